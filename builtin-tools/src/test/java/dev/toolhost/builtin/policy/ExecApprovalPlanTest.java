package dev.toolhost.builtin.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.builtin.policy.ExecApprovalPlan.Ask;
import dev.toolhost.builtin.policy.ExecApprovalPlan.Retry;
import dev.toolhost.config.ApprovalPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecApprovalPlanTest {

    /**
     * The decision table. Inputs: policy, sandboxed, escalation requested, known safe, unsandboxed approved for
     * the session, unsandboxed already answered in this call ({@code *}: either). Outputs: refused, the question
     * asked first, whether the first run keeps the sandbox, the retry without the sandbox.
     */
    private static final String[] TABLE = {
        // policy     sbx esc safe sess ans -> refused ask        keep retry
        "untrusted    N   *   N    *    *   -> N       RUN        N    NONE",
        "untrusted    N   *   Y    *    *   -> N       NONE       N    NONE",
        "untrusted    Y   Y   *    *    *   -> N       ESCALATION N    NONE",
        "untrusted    Y   N   N    Y    *   -> N       RUN        N    NONE",
        "untrusted    Y   N   N    N    N   -> N       RUN        Y    ON_SANDBOX_DENIAL",
        "untrusted    Y   N   N    N    Y   -> N       RUN        Y    NOW",
        "untrusted    Y   N   Y    Y    *   -> N       NONE       N    NONE",
        "untrusted    Y   N   Y    N    N   -> N       NONE       Y    ON_SANDBOX_DENIAL",
        "untrusted    Y   N   Y    N    Y   -> N       NONE       Y    NOW",
        "on-request   N   *   *    *    *   -> N       NONE       N    NONE",
        "on-request   Y   Y   *    *    *   -> N       ESCALATION N    NONE",
        "on-request   Y   N   *    *    *   -> N       NONE       Y    NONE",
        "on-failure   N   *   *    *    *   -> N       NONE       N    NONE",
        "on-failure   Y   *   *    Y    *   -> N       NONE       N    NONE",
        "on-failure   Y   *   *    N    N   -> N       NONE       Y    ON_SANDBOX_DENIAL",
        "on-failure   Y   *   *    N    Y   -> N       NONE       Y    NOW",
        "never        N   *   *    *    *   -> N       NONE       N    NONE",
        "never        Y   Y   *    *    *   -> Y       NONE       Y    NONE",
        "never        Y   N   *    *    *   -> N       NONE       Y    NONE",
    };

    private record Inputs(
            ApprovalPolicy policy,
            boolean sandboxed,
            boolean escalate,
            boolean knownSafe,
            boolean forSession,
            boolean answered) {}

    @Test
    void everyCombinationDecidesAsItsRowSays() {
        Map<Inputs, String> rowOf = new HashMap<>();
        for (String row : TABLE) {
            String[] sides = row.split("->");
            String[] in = sides[0].trim().split("\\s+");
            String[] out = sides[1].trim().split("\\s+");
            ExecApprovalPlan expected =
                    new ExecApprovalPlan(yes(out[0]), Ask.valueOf(out[1]), yes(out[2]), Retry.valueOf(out[3]));
            for (Inputs inputs : expand(ApprovalPolicy.fromWireName(in[0]), in)) {
                String earlier = rowOf.put(inputs, row);
                assertEquals(null, earlier, "two rows cover " + inputs + ": " + earlier + " and " + row);
                ExecApprovalPlan actual = ExecApprovalPlan.decide(
                        inputs.policy(),
                        inputs.sandboxed(),
                        inputs.escalate(),
                        inputs.knownSafe(),
                        inputs.forSession(),
                        inputs.answered());
                assertEquals(expected, actual, inputs + " (row: " + row + ")");
            }
        }
        // Every combination of the inputs has its row: the table is the whole decision.
        assertEquals(ApprovalPolicy.values().length * 32, rowOf.size());
    }

    @Test
    void theSubjectsAreTheKeysRememberedForTheSession() {
        assertEquals("run:ls -la", Ask.RUN.subject().key("ls -la"));
        assertEquals("unsandboxed:make", Ask.ESCALATION.subject().key("make"));
        assertTrue(Ask.NONE.subject() == null);
    }

    private static List<Inputs> expand(ApprovalPolicy policy, String[] in) {
        List<Inputs> out = new ArrayList<>();
        for (boolean sandboxed : values(in[1])) {
            for (boolean escalate : values(in[2])) {
                for (boolean safe : values(in[3])) {
                    for (boolean forSession : values(in[4])) {
                        for (boolean answered : values(in[5])) {
                            out.add(new Inputs(policy, sandboxed, escalate, safe, forSession, answered));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static boolean[] values(String cell) {
        return cell.equals("*") ? new boolean[] {false, true} : new boolean[] {yes(cell)};
    }

    private static boolean yes(String cell) {
        return switch (cell) {
            case "Y" -> true;
            case "N" -> false;
            default -> throw new IllegalArgumentException("not Y or N: " + cell);
        };
    }
}
