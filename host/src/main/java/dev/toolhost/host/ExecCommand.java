package dev.toolhost.host;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "exec", mixinStandardHelpOptions = true, description = "Run the agent headlessly on a prompt.")
final class ExecCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Override
    public Integer call() {
        // PLACEHOLDER: implemented by its issue.
        throw UserError.failed("'exec' is not implemented yet");
    }
}
