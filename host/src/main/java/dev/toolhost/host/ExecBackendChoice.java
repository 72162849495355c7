package dev.toolhost.host;

import dev.toolhost.config.ToolhostConfig;
import dev.toolhost.exec.ExecBackend;
import dev.toolhost.exec.ExecBackends;
import dev.toolhost.exec.ExecException;

/**
 * The exec backend for a config ({@link ExecBackends}): a config that names no usable exec-server is a usage error
 * (exit 2), an exec-server that cannot be reached or refuses the session a failed operation (exit 1).
 */
final class ExecBackendChoice {
    private ExecBackendChoice() {}

    static ExecBackend create(ToolhostConfig config) {
        try {
            return ExecBackends.create(config);
        } catch (ExecBackends.Misconfigured e) {
            throw UserError.usage(e.getMessage());
        } catch (ExecException e) {
            throw UserError.failed(e.getMessage());
        }
    }
}
