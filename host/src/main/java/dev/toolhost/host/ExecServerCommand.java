package dev.toolhost.host;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "exec-server", mixinStandardHelpOptions = true, description = "Run a Codex-compatible exec-server.")
final class ExecServerCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Override
    public Integer call() {
        // PLACEHOLDER: implemented by its issue.
        throw UserError.failed("'exec-server' is not implemented yet");
    }
}
