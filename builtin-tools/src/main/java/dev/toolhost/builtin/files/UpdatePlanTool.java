package dev.toolhost.builtin.files;

import static dev.toolhost.builtin.Schemas.prop;
import static dev.toolhost.builtin.Schemas.props;

import dev.toolhost.builtin.Args;
import dev.toolhost.builtin.BuiltinTool;
import dev.toolhost.builtin.Schemas;
import dev.toolhost.builtin.ToolCall;
import dev.toolhost.builtin.ToolError;
import dev.toolhost.builtin.ToolResults;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code update_plan}: the model's step list with statuses, kept per MCP session and returned each call. */
public final class UpdatePlanTool implements BuiltinTool {
    private static final Set<String> STATUSES = Set.of("pending", "in_progress", "completed");

    @Override
    public McpSchema.Tool tool() {
        Map<String, Object> step = Map.of(
                "type",
                "object",
                "properties",
                props(
                        "step",
                        prop("string", "what to do"),
                        "status",
                        Map.of("type", "string", "enum", List.of("pending", "in_progress", "completed"))),
                "required",
                List.of("step", "status"),
                "additionalProperties",
                false);
        return McpSchema.Tool.builder()
                .name("update_plan")
                .description("Replaces the plan (steps with status pending, in_progress or completed; at most one"
                        + " in_progress) and returns it. Without 'plan' it returns the current plan.")
                .inputSchema(Schemas.input(
                        props(
                                "explanation", prop("string", "optional note about the change"),
                                "plan", Map.of("type", "array", "items", step)),
                        List.of()))
                .outputSchema(Schemas.output(
                        props(
                                "explanation", Map.of("type", "string"),
                                "plan", Map.of("type", "array", "items", step)),
                        List.of("plan")))
                .annotations(new McpSchema.ToolAnnotations("Update the plan", false, false, true, false, null))
                .build();
    }

    @Override
    public McpSchema.CallToolResult call(ToolCall call) throws ToolError {
        Args args = call.args();
        List<?> raw = args.optList("plan");
        if (raw != null) {
            call.session().setPlan(validate(raw), args.optString("explanation", null));
        }
        List<Map<String, Object>> plan = call.session().plan();
        StringBuilder text = new StringBuilder(raw != null ? "Plan updated" : "Current plan");
        String explanation = call.session().planExplanation();
        if (explanation != null) {
            text.append(": ").append(explanation);
        }
        text.append('\n');
        for (Map<String, Object> s : plan) {
            String mark = switch ((String) s.get("status")) {
                case "completed" -> "[x] ";
                case "in_progress" -> "[>] ";
                default -> "[ ] ";
            };
            text.append(mark).append(s.get("step")).append('\n');
        }
        if (plan.isEmpty()) {
            text.append("(no steps)\n");
        }
        Map<String, Object> structured = new LinkedHashMap<>();
        if (explanation != null) {
            structured.put("explanation", explanation);
        }
        structured.put("plan", plan);
        return ToolResults.structured(text.toString(), structured);
    }

    private static List<Map<String, Object>> validate(List<?> raw) throws ToolError {
        List<Map<String, Object>> steps = new ArrayList<>();
        int inProgress = 0;
        for (int i = 0; i < raw.size(); i++) {
            if (!(raw.get(i) instanceof Map<?, ?> m)) {
                throw new ToolError("update_plan: plan[" + i + "] must be an object with 'step' and 'status'");
            }
            Object step = m.get("step");
            Object status = m.get("status");
            if (!(step instanceof String s) || s.isBlank()) {
                throw new ToolError("update_plan: plan[" + i + "].step must be a non-empty string");
            }
            if (!(status instanceof String st) || !STATUSES.contains(st)) {
                throw new ToolError(
                        "update_plan: plan[" + i + "].status must be pending, in_progress or completed, got " + status);
            }
            if (st.equals("in_progress")) {
                inProgress++;
            }
            Map<String, Object> clean = new LinkedHashMap<>();
            clean.put("step", s);
            clean.put("status", st);
            steps.add(clean);
        }
        if (inProgress > 1) {
            throw new ToolError("update_plan: at most one step may be in_progress, got " + inProgress);
        }
        return steps;
    }
}
