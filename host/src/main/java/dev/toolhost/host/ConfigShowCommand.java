package dev.toolhost.host;

import dev.toolhost.config.ConfigJson;
import dev.toolhost.config.LoadedConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "Print the effective configuration and where each value comes from.")
final class ConfigShowCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the effective configuration as JSON (without origins).")
    boolean json;

    @Override
    public Integer call() {
        LoadedConfig loaded = global.load();
        ObjectNode tree = ConfigJson.of(loaded.config());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(PrettyJson.pretty(tree));
        } else {
            out.println("# config file: " + global.configFile()
                    + (Files.exists(global.configFile()) ? "" : " (not there: defaults and overrides only)"));
            new OriginTomlPrinter(loaded.origins(), out).print(tree, "", false);
        }
        out.flush();
        return Cli.OK;
    }
}
