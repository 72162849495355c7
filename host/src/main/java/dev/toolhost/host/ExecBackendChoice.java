package dev.toolhost.host;

import dev.toolhost.config.ToolhostConfig;
import dev.toolhost.exec.ExecBackend;
import dev.toolhost.exec.ExecException;
import dev.toolhost.exec.ExecProcess;
import dev.toolhost.exec.ExecRequest;
import dev.toolhost.exec.OutputListener;
import java.lang.reflect.InvocationTargetException;

/**
 * Picks the exec backend for a config.
 *
 * <p>TEMPORARY: {@code dev.toolhost.exec.ExecBackends.create(ToolhostConfig)} (exec issue) is looked up
 * reflectively until it is committed; then this class becomes a direct call. Without it, process
 * execution fails with a clear message instead of the host failing to build.
 */
final class ExecBackendChoice {
    private ExecBackendChoice() {
    }

    static ExecBackend create(ToolhostConfig config) {
        try {
            Class<?> factory = Class.forName("dev.toolhost.exec.ExecBackends");
            return (ExecBackend) factory.getMethod("create", ToolhostConfig.class).invoke(null, config);
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
            return unavailable();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw UserError.usage(cause.getMessage() == null ? cause.toString() : cause.getMessage());
        }
    }

    private static ExecBackend unavailable() {
        return new ExecBackend() {
            @Override
            public ExecProcess start(ExecRequest request, OutputListener listener) throws ExecException {
                throw new ExecException("process execution is not available in this build yet");
            }

            @Override
            public void close() {
            }
        };
    }
}
