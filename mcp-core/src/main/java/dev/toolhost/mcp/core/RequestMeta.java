package dev.toolhost.mcp.core;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;

/**
 * What a request says about its caller. Under 2026-07-28 every request carries it in {@code _meta}
 * ({@code io.modelcontextprotocol/protocolVersion}, {@code .../clientInfo}, {@code .../clientCapabilities},
 * {@code .../logLevel}, {@code progressToken}, W3C trace keys; spec {@code basic/index}); a legacy session
 * fills it from {@code initialize} and {@code logging/setLevel}.
 *
 * @param logLevel      null: no {@code notifications/message} for this request
 * @param traceContext  {@code traceparent}, {@code tracestate}, {@code baggage} when given (passed downstream)
 * @param progressToken null when the caller asked for no progress
 */
public record RequestMeta(
        String protocolVersion,
        McpSchema.Implementation clientInfo,
        McpSchema.ClientCapabilities clientCapabilities,
        McpSchema.LoggingLevel logLevel,
        Map<String, Object> traceContext,
        Object progressToken,
        Caller caller) {

    public RequestMeta {
        traceContext = traceContext == null ? Map.of() : Map.copyOf(traceContext);
    }

    /** Toolhost calling its own hub (CLI, agent loop): it answers every kind of input request itself. */
    public static RequestMeta local() {
        return new RequestMeta(
                null,
                null,
                McpSchema.ClientCapabilities.builder()
                        .elicitation()
                        .sampling()
                        .roots(false)
                        .build(),
                null,
                Map.of(),
                null,
                Caller.local());
    }

    /** Whether the caller declared elicitation of any mode. */
    public boolean canElicit() {
        return clientCapabilities != null && clientCapabilities.elicitation() != null;
    }

    /**
     * What {@code r} needs that this caller did not declare, as -32021's {@code data.requiredCapabilities} names it
     * ({@code {"elicitation": {"form": {}}}}, {@code {"sampling": {}}}, {@code {"roots": {}}}), or null when the caller
     * can answer it. Elicitation goes by {@code params.mode}: {@code "url"} needs a {@code url} key; any other (form)
     * needs {@code elicitation: {}} or a {@code form} key, since an empty object declares form only (spec
     * {@code client/elicitation}, {@code basic/patterns/mrtr}).
     */
    public Map<String, Object> missingCapability(InputRequest r) {
        return switch (r.method()) {
            case InputRequest.ELICITATION -> {
                boolean url = "url".equals(r.params().get("mode"));
                McpSchema.ClientCapabilities.Elicitation e = canElicit() ? clientCapabilities.elicitation() : null;
                boolean declared = e != null && (url ? e.url() != null : e.form() != null || e.url() == null);
                yield declared ? null : Map.of("elicitation", Map.of(url ? "url" : "form", Map.of()));
            }
            case InputRequest.SAMPLING -> canSample() ? null : Map.of("sampling", Map.of());
            case InputRequest.ROOTS -> canListRoots() ? null : Map.of("roots", Map.of());
            default -> null;
        };
    }

    public boolean canSample() {
        return clientCapabilities != null && clientCapabilities.sampling() != null;
    }

    public boolean canListRoots() {
        return clientCapabilities != null && clientCapabilities.roots() != null;
    }

    /**
     * The same, without the {@code roots} capability: what a downstream server that must not see this caller's roots
     * is told (one without {@code forward_roots}).
     */
    public RequestMeta withoutRoots() {
        if (!canListRoots()) {
            return this;
        }
        McpSchema.ClientCapabilities c = clientCapabilities;
        return new RequestMeta(
                protocolVersion,
                clientInfo,
                new McpSchema.ClientCapabilities(c.experimental(), null, c.sampling(), c.elicitation(), c.extensions()),
                logLevel,
                traceContext,
                progressToken,
                caller);
    }

    /** The client's name for messages ("unnamed client" when it gave none). */
    public String clientName() {
        return clientInfo == null || clientInfo.name() == null ? "unnamed client" : clientInfo.name();
    }
}
