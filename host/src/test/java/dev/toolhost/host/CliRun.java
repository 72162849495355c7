package dev.toolhost.host;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs the CLI in-process with a private TOOLHOST_HOME and captures stdout, stderr and the exit code. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(Path home, String... args) {
        String previous = System.getProperty("toolhost.home");
        System.setProperty("toolhost.home", home.toString());
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = Cli.create();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(args);
            return new CliRun(code, out.toString(), err.toString());
        } finally {
            if (previous == null) {
                System.clearProperty("toolhost.home");
            } else {
                System.setProperty("toolhost.home", previous);
            }
        }
    }
}
