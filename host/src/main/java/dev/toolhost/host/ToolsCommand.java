package dev.toolhost.host;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "tools", mixinStandardHelpOptions = true, description = "List every tool, built-in and external.")
final class ToolsCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Override
    public Integer call() {
        // PLACEHOLDER: implemented by its issue.
        throw UserError.failed("'tools' is not implemented yet");
    }
}
