package dev.toolhost.host;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "config", mixinStandardHelpOptions = true, description = "Show the effective configuration.")
final class ConfigCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Override
    public Integer call() {
        // PLACEHOLDER: implemented by its issue.
        throw UserError.failed("'config' is not implemented yet");
    }
}
