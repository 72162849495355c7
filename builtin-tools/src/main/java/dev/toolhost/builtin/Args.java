package dev.toolhost.builtin;

import java.util.List;
import java.util.Map;

/**
 * Typed access to a tool call's arguments, with errors that name the argument and what was expected. The arguments
 * have already been checked against the tool's inputSchema ({@code BuiltinTools.call}), so no string stands in for
 * a number or a boolean here either.
 */
public final class Args {
    private final String tool;
    private final Map<String, Object> values;

    public Args(String tool, Map<String, Object> values) {
        this.tool = tool;
        this.values = values == null ? Map.of() : values;
    }

    public String string(String name) throws ToolError {
        String s = optString(name, null);
        if (s == null) {
            throw new ToolError(tool + ": missing required argument '" + name + "' (string)");
        }
        return s;
    }

    public String optString(String name, String fallback) throws ToolError {
        Object v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            throw new ToolError(tool + ": argument '" + name + "' must be a string, got " + v);
        }
        return s;
    }

    public long optLong(String name, long fallback, long min, long max) throws ToolError {
        Object v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number num) || num.doubleValue() != Math.rint(num.doubleValue())) {
            throw new ToolError(tool + ": argument '" + name + "' must be an integer, got " + v);
        }
        // Compared before narrowing: a number beyond a long's range must not wrap into the range.
        double d = num.doubleValue();
        if (d < min || d > max || num.longValue() < min || num.longValue() > max) {
            throw new ToolError(tool + ": argument '" + name + "' must be "
                    + (max == Long.MAX_VALUE ? "at least " + min : "between " + min + " and " + max) + ", got " + v);
        }
        return num.longValue();
    }

    public int optInt(String name, int fallback, int min, int max) throws ToolError {
        return (int) optLong(name, fallback, min, max);
    }

    public boolean optBool(String name, boolean fallback) throws ToolError {
        Object v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new ToolError(tool + ": argument '" + name + "' must be true or false, got " + v);
    }

    public List<?> optList(String name) throws ToolError {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> l)) {
            throw new ToolError(tool + ": argument '" + name + "' must be an array, got " + v);
        }
        return l;
    }
}
