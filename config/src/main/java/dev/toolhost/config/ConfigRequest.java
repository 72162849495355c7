package dev.toolhost.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything the command line says about configuration.
 *
 * @param configFile the config.toml to read (it may not exist)
 * @param profile    profile name from {@code -p}, or null
 * @param overrides  raw {@code key=value} strings from {@code -c}, in order
 * @param sandbox    {@code -s}, or null
 * @param approval   {@code -a}, or null
 * @param cd         {@code -C}, or null
 * @param strict     {@code --strict-config}: unknown keys are errors
 */
public record ConfigRequest(
        Path configFile,
        String profile,
        List<String> overrides,
        SandboxMode sandbox,
        ApprovalPolicy approval,
        Path cd,
        boolean strict) {

    public ConfigRequest {
        overrides = List.copyOf(overrides);
    }

    /** Only the given file, no profile, overrides or flags. */
    public static ConfigRequest ofFile(Path configFile) {
        return new ConfigRequest(configFile, null, List.of(), null, null, null, false);
    }
}
