package dev.toolhost.builtin.policy;

import dev.toolhost.mcp.core.InputRequest;
import dev.toolhost.mcp.core.RequestMeta;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks the caller for approval without blocking: the first time a subject comes up it throws
 * {@link ApprovalPending} with a form elicitation (one required string {@code decision}: approved,
 * approved_for_session, denied, abort); the retry brings the answer under {@link #INPUT_KEY}. Decisions
 * taken in earlier rounds of the same call come back through the sealed request state, so a call that
 * needs two approvals asks twice and never runs a step twice. Declining the form counts as denied,
 * cancelling it as abort.
 */
public final class RoundApprover implements Approver {
    /** The {@code inputRequests} key of the approval question. */
    public static final String INPUT_KEY = "approval";

    private final RequestMeta meta;
    private final Map<String, String> decided;
    private final String pending;
    private final Object answer;
    private final Map<String, Object> kept;

    /**
     * @param decided  subject to decision wire name, from earlier rounds of this call
     * @param pending  the subject asked in the previous round, or null
     * @param answer   the caller's answer to it ({@code inputResponses.approval}), or null
     * @param kept     what earlier rounds kept ({@link #keep})
     */
    public RoundApprover(
            RequestMeta meta, Map<String, String> decided, String pending, Object answer, Map<String, Object> kept) {
        this.meta = meta;
        this.decided = new LinkedHashMap<>(decided);
        this.pending = pending;
        this.answer = answer;
        this.kept = new LinkedHashMap<>(kept);
    }

    /** What this call keeps for its later rounds, to be sealed into the next round's state. */
    public Map<String, Object> kept() {
        return Map.copyOf(kept);
    }

    @Override
    public void keep(String key, Object value) {
        kept.put(key, value);
    }

    @Override
    public Object kept(String key) {
        return kept.get(key);
    }

    /** Decisions so far (subject to wire name), to be sealed into the next round's state. */
    public Map<String, String> decided() {
        return Map.copyOf(decided);
    }

    @Override
    public boolean answered(String subject) {
        return decided.containsKey(subject) || (subject.equals(pending) && answer != null);
    }

    @Override
    public ApprovalDecision ask(ApprovalRequest request) throws ApprovalUnavailableException {
        String known = decided.get(request.subject());
        if (known != null) {
            return ApprovalDecision.fromWireName(known);
        }
        if (request.subject().equals(pending) && answer != null) {
            ApprovalDecision d = decisionOf(answer, choices(meta.caller().stateful()));
            decided.put(request.subject(), d.wireName());
            return d;
        }
        if (!meta.canElicit()) {
            throw new ApprovalUnavailableException("approval is required but the connected MCP client does not support"
                    + " elicitation, so nobody can be asked. To proceed, run with '-a never' (failures are returned"
                    + " instead of asking), pick a sandbox that allows this ('-s workspace-write' or"
                    + " '-s danger-full-access'), or use a client that declares the elicitation capability");
        }
        throw new ApprovalPending(
                request.subject(),
                InputRequest.elicitation(request.message(), schema(meta.caller().stateful())));
    }

    /**
     * The approval form. A stateless (2026-07-28) caller has no session to remember an answer in, so it is
     * not offered approved_for_session.
     */
    public static Map<String, Object> schema(boolean stateful) {
        List<String> choices = choices(stateful);
        return Map.of(
                "type", "object",
                "properties",
                        Map.of(
                                "decision",
                                Map.of(
                                        "type",
                                        "string",
                                        "title",
                                        "Decision",
                                        "description",
                                        "approved: run it once;"
                                                + (stateful
                                                        ? " approved_for_session: run it and"
                                                                + " don't ask again for this exact command;"
                                                        : "")
                                                + " denied: don't run it; abort: don't run it and stop",
                                        "enum",
                                        choices)),
                "required", List.of("decision"));
    }

    /** The {@code decision} values the form offers: the only answers taken. */
    private static List<String> choices(boolean stateful) {
        return stateful
                ? List.of("approved", "approved_for_session", "denied", "abort")
                : List.of("approved", "denied", "abort");
    }

    /**
     * An elicitation result (JSON): accept with content.decision, one of {@code offered} (a value the form did not
     * offer, such as approved_for_session to a caller without a session, is refused like an unknown one), decline
     * (with _meta.reason from a relay), cancel.
     */
    static ApprovalDecision decisionOf(Object result, List<String> offered) throws ApprovalUnavailableException {
        if (!(result instanceof Map<?, ?> r)) {
            throw new ApprovalUnavailableException("the answer to the approval request is not an elicitation result");
        }
        String action = String.valueOf(r.get("action"));
        switch (action) {
            case "accept" -> {
                Object d = r.get("content") instanceof Map<?, ?> c ? c.get("decision") : null;
                if (d == null) {
                    return ApprovalDecision.DENIED;
                }
                if (!offered.contains(d.toString())) {
                    throw new ApprovalUnavailableException("the MCP client answered the approval request with"
                            + " decision '" + d + "'; expected one of the values offered: "
                            + String.join(", ", offered));
                }
                return ApprovalDecision.fromWireName(d.toString());
            }
            case "decline" -> {
                // A decline that carries _meta.reason came from a relay (the hub) that had nobody to ask, not
                // from a person: report the reason rather than "the user denied it".
                Object reason = r.get("_meta") instanceof Map<?, ?> m ? m.get("reason") : null;
                if (reason != null) {
                    throw new ApprovalUnavailableException(reason.toString());
                }
                return ApprovalDecision.DENIED;
            }
            case "cancel" -> {
                return ApprovalDecision.ABORT;
            }
            default ->
                throw new ApprovalUnavailableException("the answer to the approval request has action '" + action
                        + "'; expected accept, decline or cancel");
        }
    }
}
