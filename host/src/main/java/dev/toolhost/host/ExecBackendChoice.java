package dev.toolhost.host;

import dev.toolhost.config.ToolhostConfig;
import dev.toolhost.exec.ExecBackend;
import dev.toolhost.exec.ExecBackends;
import dev.toolhost.exec.ExecException;

/** The exec backend for a config ({@link ExecBackends}), with its errors as user errors (exit 2). */
final class ExecBackendChoice {
    private ExecBackendChoice() {}

    static ExecBackend create(ToolhostConfig config) {
        try {
            return ExecBackends.create(config);
        } catch (ExecException e) {
            throw UserError.usage(e.getMessage());
        }
    }
}
