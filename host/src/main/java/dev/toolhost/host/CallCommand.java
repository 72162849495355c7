package dev.toolhost.host;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "call", mixinStandardHelpOptions = true, description = "Call one tool headlessly.")
final class CallCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Override
    public Integer call() {
        // PLACEHOLDER: implemented by its issue.
        throw UserError.failed("'call' is not implemented yet");
    }
}
