package dev.toolhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ConfigCommandTest {
    @TempDir
    Path home;

    private Path config(String text) throws Exception {
        Path f = home.resolve("config.toml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void showPrintsValuesWithTheirOrigins() throws Exception {
        Path f = config("model = \"m1\"\n\n[profiles.fast]\napproval_policy = \"never\"\n");
        CliRun r = CliRun.run(home, "config", "show", "-p", "fast", "-c", "sandbox_mode=\"workspace-write\"");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("model = \"m1\""), r.out());
        assertTrue(r.out().matches("(?s).*model = \"m1\" +# " + Pattern.quote(f + ":1") + "\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*approval_policy = \"never\" +# profile fast \\(.*:4\\)\n.*"), r.out());
        assertTrue(
                r.out().matches("(?s).*sandbox_mode = \"workspace-write\" +# override -c sandbox_mode\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*model_provider = \"openai\" +# default\n.*"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void aCallbackPortFromTheRootKeyIsLabelledWithItsOrigin() throws Exception {
        Path f = config("mcp_oauth_callback_port = 8765\n[mcp_servers.s]\nurl = \"https://s.example.com/mcp\"\n"
                + "[mcp_servers.t]\nurl = \"https://t.example.com/mcp\"\noauth = { callback_port = 8766 }\n");
        CliRun r = CliRun.run(home, "config", "show");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(
                r.out()
                        .matches("(?s).*\\[mcp_servers\\.s\\.oauth]\ncallback_port = 8765 +# "
                                + Pattern.quote(f + ":1 (mcp_oauth_callback_port)") + "\n.*"),
                r.out());
        assertTrue(
                r.out()
                        .matches("(?s).*\\[mcp_servers\\.t\\.oauth]\ncallback_port = 8766 +# " + Pattern.quote(f + ":6")
                                + "\n.*"),
                r.out());
    }

    @Test
    void codexsStartupTimeoutMsIsLabelledWithItsOrigin() throws Exception {
        Path f = config("[mcp_servers.c]\ncommand = \"npx\"\nstartup_timeout_ms = 20000\n");
        CliRun r = CliRun.run(home, "config", "show");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(
                r.out()
                        .matches("(?s).*\nstartup_timeout_sec = 20 +# " + Pattern.quote(f + ":3 (startup_timeout_ms)")
                                + "\n.*"),
                r.out());
    }

    @Test
    void showSaysWhenTheConfigFileIsNotThere() throws Exception {
        CliRun none = CliRun.run(home, "config", "show");
        assertTrue(
                none.out()
                        .startsWith("# config file: " + home.resolve("config.toml")
                                + " (not there: defaults and overrides only)\n"),
                none.out());
        config("model = \"m1\"\n");
        CliRun some = CliRun.run(home, "config", "show");
        assertTrue(some.out().startsWith("# config file: " + home.resolve("config.toml") + "\n"), some.out());
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheSubcommand() throws Exception {
        config("");
        JsonNode before = json(CliRun.run(home, "-s", "workspace-write", "-c", "model=a", "config", "show", "--json"));
        JsonNode middle = json(CliRun.run(home, "config", "-s", "workspace-write", "-c", "model=a", "show", "--json"));
        JsonNode after = json(CliRun.run(home, "config", "show", "--json", "-s", "workspace-write", "-c", "model=a"));
        for (JsonNode n : new JsonNode[] {before, middle, after}) {
            assertEquals("workspace-write", n.get("sandbox_mode").asString());
            assertEquals("a", n.get("model").asString());
        }
        // -c from every level is kept, in command-line order; the later one wins
        JsonNode both = json(CliRun.run(home, "-c", "model=first", "config", "show", "-c", "model=second", "--json"));
        assertEquals("second", both.get("model").asString());
    }

    @Test
    void flagsBeatOverrides() throws Exception {
        config("approval_policy = \"untrusted\"\n");
        JsonNode n = json(CliRun.run(
                home,
                "config",
                "show",
                "--json",
                "-c",
                "approval_policy=on-failure",
                "-a",
                "never",
                "-C",
                home.toString()));
        assertEquals("never", n.get("approval_policy").asString());
        assertEquals(
                home.toRealPath().toString(),
                Path.of(n.get("cwd").asString()).toRealPath().toString());
    }

    @Test
    void jsonIsCleanEvenWithWarnings() throws Exception {
        config("model_reasoning_effort = \"high\"\n[tui]\nnotifications = true\n");
        CliRun r = CliRun.run(home, "config", "show", "--json");
        assertEquals(0, r.exitCode());
        json(r);
        assertEquals(
                "warning: ignoring config keys Toolhost does not use: model_reasoning_effort ("
                        + home.resolve("config.toml") + ":1), tui (" + home.resolve("config.toml") + ":2)\n",
                r.err());
    }

    @Test
    void configErrorsExitTwoWithoutStackTrace() throws Exception {
        Path f = config("sandbox_mode = \"nope\"\n");
        CliRun r = CliRun.run(home, "config", "show");
        assertEquals(2, r.exitCode());
        assertEquals(
                "error: " + f + ":1: key 'sandbox_mode': expected one of \"read-only\", \"workspace-write\", "
                        + "\"danger-full-access\", got the string \"nope\"\n",
                r.err());
        assertEquals("", r.out());
    }

    @Test
    void strictConfigTurnsUnknownKeysIntoErrors() throws Exception {
        Path f = config("notify = [\"x\"]\n");
        CliRun r = CliRun.run(home, "--strict-config", "config", "show");
        assertEquals(2, r.exitCode());
        assertEquals("error: unknown config keys (rejected by --strict-config): notify (" + f + ":1)\n", r.err());
    }

    @Test
    void explicitConfigFileIsUsed() throws Exception {
        Path other = home.resolve("other.toml");
        Files.writeString(other, "model = \"other\"\n");
        assertEquals(
                "other",
                json(CliRun.run(home, "config", "show", "--json", "--config", other.toString()))
                        .get("model")
                        .asString());
    }

    @Test
    void usageErrorsExitTwo() {
        CliRun unknown = CliRun.run(home, "config", "show", "--bogus");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().startsWith("error: Unknown option: '--bogus'\n"), unknown.err());
        assertTrue(unknown.err().contains("Try 'toolhost config show --help' for usage."), unknown.err());

        CliRun badFlag = CliRun.run(home, "-s", "readonly", "config", "show");
        assertEquals(2, badFlag.exitCode());
        assertEquals(
                "error: -s/--sandbox: 'readonly' is not valid; expected read-only, workspace-write or "
                        + "danger-full-access\n",
                badFlag.err());

        CliRun badOverride = CliRun.run(home, "config", "show", "-c", "model");
        assertEquals(2, badOverride.exitCode());
        assertEquals("error: -c model: expected key=value, e.g. -c sandbox_mode=\"read-only\"\n", badOverride.err());

        CliRun missingSub = CliRun.run(home, "config");
        assertEquals(2, missingSub.exitCode());
        assertTrue(missingSub.err().endsWith("error: missing subcommand: try 'toolhost config show'\n"));
    }

    @Test
    void versionAndHelpOnEveryCommand() {
        CliRun v = CliRun.run(home, "--version");
        assertEquals(0, v.exitCode());
        assertTrue(v.out().startsWith("toolhost "), v.out());
        assertEquals(v.out(), CliRun.run(home, "mcp", "list", "--version").out());
        CliRun h = CliRun.run(home, "config", "show", "--help");
        assertEquals(0, h.exitCode());
        assertTrue(h.out().contains("--strict-config"));
        assertFalse(h.out().isEmpty());
    }

    private static JsonNode json(CliRun r) {
        assertEquals(0, r.exitCode(), r.err());
        return JsonMapper.builder().build().readTree(r.out());
    }

    @Test
    void aConfigFileNamedWithDashDashConfigMustExistButTheDefaultMayBeAbsent() {
        Path missing = home.resolve("typo.toml");
        for (String[] args : List.of(
                new String[] {"--config", missing.toString(), "config", "show"},
                new String[] {"config", "show", "--config", missing.toString()},
                new String[] {"--config", missing.toString(), "mcp", "list", "--no-connect"})) {
            CliRun r = CliRun.run(home, args);
            assertEquals(2, r.exitCode(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("error: --config " + missing + ": no such file"), r.err());
            assertEquals("", r.out());
        }
        CliRun defaults = CliRun.run(home, "config", "show");
        assertEquals(0, defaults.exitCode(), defaults.err());
    }
}
