package dev.toolhost.builtin.policy;

import dev.toolhost.config.ApprovalPolicy;

/**
 * What one {@code exec_command} call must ask before it runs, and under which sandbox: a pure function of
 * the approval policy, the sandbox and what the caller already answered. The tool does the asking (which
 * may end the round with {@link ApprovalPending}) and the running; this only decides.
 *
 * @param refused    the call is refused without asking: escalation under {@code approval_policy never}
 * @param ask        the question asked before the first run
 * @param keepSandbox whether the first run is sandboxed (false: no sandbox configured, escalation asked for
 *                   and approved, or running unsandboxed was approved for the session earlier)
 * @param retry      what happens when the sandboxed run is blocked by the sandbox
 */
public record ExecApprovalPlan(boolean refused, Ask ask, boolean keepSandbox, Retry retry) {

    /** The question before the first run; its subject is {@link Subject#key} of the command. */
    public enum Ask {
        NONE(null),
        /** "Run this command?" ({@code untrusted}, a command not known to be safe). */
        RUN(Subject.RUN),
        /** "Run outside the sandbox?" (the model asked for {@code require_escalated}). */
        ESCALATION(Subject.UNSANDBOXED);

        private final Subject subject;

        Ask(Subject subject) {
            this.subject = subject;
        }

        /** The subject asked about, null for {@link #NONE}. */
        public Subject subject() {
            return subject;
        }
    }

    /** What an approval is about, remembered per subject when approved for the session. */
    public enum Subject {
        RUN("run:"),
        UNSANDBOXED("unsandboxed:");

        private final String prefix;

        Subject(String prefix) {
            this.prefix = prefix;
        }

        /** The approval subject of {@code cmd}, e.g. {@code unsandboxed:make test}. */
        public String key(String cmd) {
            return prefix + cmd;
        }
    }

    /** Re-running without the sandbox ({@code untrusted} and {@code on-failure} only, subject UNSANDBOXED). */
    public enum Retry {
        /** Never re-run (no sandbox on the first run, or a policy that does not offer it). */
        NONE,
        /** Run sandboxed; when the sandbox blocks it, ask whether to run it again without the sandbox. */
        ON_SANDBOX_DENIAL,
        /**
         * The sandboxed run already failed in an earlier round and this round carries the answer: ask again
         * (it returns the answer) and run without the sandbox, without running it sandboxed a second time.
         */
        NOW,
    }

    private static final ExecApprovalPlan REFUSED = new ExecApprovalPlan(true, Ask.NONE, true, Retry.NONE);

    /**
     * @param policy                 {@code approval_policy}
     * @param sandboxed              a sandbox is configured (not {@code danger-full-access})
     * @param escalationRequested    the model passed {@code sandbox_permissions: require_escalated}
     * @param knownSafe              the command line is read-only by {@link SafeCommands#isKnownSafe}
     * @param unsandboxedForSession  running this exact command unsandboxed was approved for the session
     * @param unsandboxedAnswered    this call's approver already has an answer about running it unsandboxed
     *                               (an earlier round asked after the sandbox blocked it)
     */
    public static ExecApprovalPlan decide(
            ApprovalPolicy policy,
            boolean sandboxed,
            boolean escalationRequested,
            boolean knownSafe,
            boolean unsandboxedForSession,
            boolean unsandboxedAnswered) {
        // Without a sandbox there is nothing to escalate from.
        boolean escalate = escalationRequested && sandboxed;
        Ask ask = Ask.NONE;
        boolean keepSandbox = sandboxed;
        switch (policy) {
            case UNTRUSTED -> {
                if (escalate) {
                    ask = Ask.ESCALATION;
                    keepSandbox = false;
                } else if (!knownSafe) {
                    ask = Ask.RUN;
                }
                if (unsandboxedForSession) {
                    keepSandbox = false;
                }
            }
            case ON_REQUEST -> {
                if (escalate) {
                    ask = Ask.ESCALATION;
                    keepSandbox = false;
                }
            }
            case ON_FAILURE -> {
                if (unsandboxedForSession) {
                    keepSandbox = false;
                }
            }
            case NEVER -> {
                if (escalate) {
                    return REFUSED;
                }
            }
        }
        boolean mayRetry = policy == ApprovalPolicy.ON_FAILURE || policy == ApprovalPolicy.UNTRUSTED;
        Retry retry =
                !mayRetry || !keepSandbox ? Retry.NONE : unsandboxedAnswered ? Retry.NOW : Retry.ON_SANDBOX_DENIAL;
        return new ExecApprovalPlan(false, ask, keepSandbox, retry);
    }
}
