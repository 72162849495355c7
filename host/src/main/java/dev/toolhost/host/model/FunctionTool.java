package dev.toolhost.host.model;

import java.util.Map;

/** A tool offered to the model as a function: its name, description and JSON Schema of the arguments. */
public record FunctionTool(String name, String description, Map<String, Object> parameters) {
    public FunctionTool {
        description = description == null ? "" : description;
        parameters = Map.copyOf(parameters);
    }
}
