package dev.toolhost.config;

import java.util.List;
import java.util.Map;

/**
 * The effective config plus where each value came from.
 *
 * @param origins  dotted key to a human description of its origin: "default", "file:LINE" (as
 *                 {@code /path/config.toml:12}), "profile NAME", "override -c KEY" (never
 *                 the value: it may be a secret), "flag -s"
 * @param warnings one line each, e.g. unknown keys that were ignored
 */
public record LoadedConfig(ToolhostConfig config, Map<String, String> origins, List<String> warnings) {
    public LoadedConfig {
        origins = Map.copyOf(origins);
        warnings = List.copyOf(warnings);
    }
}
