package dev.toolhost.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class McpCommandsTest {
    private static final String SAMPLE = """
            # my Toolhost config
            model = "gpt-5"   # the usual

            [mcp_servers.docs]  # remote docs
            url = "https://example.com/mcp"

            # shell settings below
            [shell_environment_policy]
            inherit = "core"
            """;

    @TempDir
    Path home;

    private Path config() {
        return home.resolve("config.toml");
    }

    @Test
    void addCreatesHomeAndFile() throws Exception {
        Path nested = home.resolve("new-home");
        CliRun r = CliRun.run(
                nested,
                "mcp",
                "add",
                "fs",
                "--env",
                "LOG_LEVEL=warn",
                "--env-var",
                "HOME",
                "--",
                "npx",
                "-y",
                "@modelcontextprotocol/server-filesystem",
                "/repo");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("Added MCP server 'fs' in " + nested.resolve("config.toml") + "\n", r.out());
        assertEquals("""
                [mcp_servers.fs]
                command = "npx"
                args = ["-y", "@modelcontextprotocol/server-filesystem", "/repo"]
                env = { LOG_LEVEL = "warn" }
                env_vars = ["HOME"]
                """, Files.readString(nested.resolve("config.toml")));
    }

    @Test
    void addAndRemoveKeepTheRestOfTheFileByteForByte() throws Exception {
        Files.writeString(config(), SAMPLE);
        CliRun add = CliRun.run(
                home,
                "mcp",
                "add",
                "api",
                "--url",
                "https://api.example/mcp",
                "--bearer-token-env-var",
                "API_TOKEN",
                "--header",
                "X-Team=tools");
        assertEquals(0, add.exitCode(), add.err());
        assertEquals(SAMPLE + """

                [mcp_servers.api]
                url = "https://api.example/mcp"
                bearer_token_env_var = "API_TOKEN"
                http_headers = { X-Team = "tools" }
                """, Files.readString(config()));
        assertEquals(0, CliRun.run(home, "mcp", "remove", "api").exitCode());
        assertEquals(SAMPLE, Files.readString(config()));

        CliRun removeDocs = CliRun.run(home, "mcp", "remove", "docs");
        assertEquals(0, removeDocs.exitCode(), removeDocs.err());
        assertEquals("""
                # my Toolhost config
                model = "gpt-5"   # the usual

                # shell settings below
                [shell_environment_policy]
                inherit = "core"
                """, Files.readString(config()));
    }

    @Test
    void aSymlinkedConfigFileIsEditedThroughTheLinkAndStaysALink() throws Exception {
        // A dotfiles setup: config.toml -> dotfiles/link-to-real.toml -> real.toml (relative links), mode 0640.
        Path dotfiles = Files.createDirectories(home.resolve("dotfiles"));
        Path real = dotfiles.resolve("real.toml");
        Files.writeString(real, SAMPLE);
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r-----"));
        Files.createSymbolicLink(dotfiles.resolve("link-to-real.toml"), Path.of("real.toml"));
        Files.createSymbolicLink(config(), Path.of("dotfiles/link-to-real.toml"));

        CliRun add = CliRun.run(home, "mcp", "add", "s3", "--", "x");
        assertEquals(0, add.exitCode(), add.err());
        assertTrue(Files.isSymbolicLink(config()), "config.toml is still a link");
        assertEquals(Path.of("dotfiles/link-to-real.toml"), Files.readSymbolicLink(config()));
        assertTrue(Files.isSymbolicLink(dotfiles.resolve("link-to-real.toml")));
        assertEquals(SAMPLE + "\n[mcp_servers.s3]\ncommand = \"x\"\n", Files.readString(real));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));

        CliRun remove = CliRun.run(home, "mcp", "remove", "s3");
        assertEquals(0, remove.exitCode(), remove.err());
        assertTrue(Files.isSymbolicLink(config()));
        assertEquals(SAMPLE, Files.readString(real));
        try (var left = Files.list(dotfiles)) {
            assertEquals(2, left.count(), "no temporary file is left next to the target");
        }
    }

    @Test
    void duplicatesNeedReplace() throws Exception {
        Files.writeString(config(), SAMPLE);
        CliRun dup = CliRun.run(home, "mcp", "add", "docs", "--", "node", "docs.js");
        assertEquals(2, dup.exitCode(), "an existing name is a usage error");
        assertEquals(
                "error: MCP server 'docs' already exists in " + config() + "; use --replace to overwrite it\n",
                dup.err());
        assertEquals(SAMPLE, Files.readString(config()));
        CliRun replaced = CliRun.run(home, "mcp", "add", "docs", "--replace", "--", "node", "docs.js");
        assertEquals(0, replaced.exitCode(), replaced.err());
        assertEquals(
                SAMPLE.replace(
                        "[mcp_servers.docs]  # remote docs\nurl = \"https://example.com/mcp\"\n",
                        "[mcp_servers.docs]\ncommand = \"node\"\nargs = [\"docs.js\"]\n"),
                Files.readString(config()));
    }

    @Test
    void badInputIsRefusedWithoutTouchingTheFile() throws Exception {
        Files.writeString(config(), SAMPLE);
        CliRun badName = CliRun.run(home, "mcp", "add", "my.server", "--", "x");
        assertEquals(2, badName.exitCode());
        assertEquals("error: invalid server name 'my.server': use only letters, digits, '_' and '-'\n", badName.err());
        CliRun neither = CliRun.run(home, "mcp", "add", "x");
        assertEquals(2, neither.exitCode());
        assertEquals(
                "error: missing server: give a command after -- (stdio) or --url URL (streamable HTTP)\n",
                neither.err());
        CliRun both = CliRun.run(home, "mcp", "add", "x", "--url", "https://e/mcp", "--", "cmd");
        assertEquals(2, both.exitCode());
        assertEquals("error: give either a command (after --) or --url, not both\n", both.err());
        CliRun noDashes = CliRun.run(home, "mcp", "add", "x", "npx", "-y", "pkg");
        assertEquals(2, noDashes.exitCode());
        assertEquals(
                "error: Unknown option: '-y'\nPut the server's command after --, e.g. toolhost mcp add NAME -- npx "
                        + "-y PACKAGE\nTry 'toolhost mcp add --help' for usage.\n",
                noDashes.err());
        CliRun badEnv = CliRun.run(home, "mcp", "add", "x", "--env", "NOVALUE", "--", "cmd");
        assertEquals(2, badEnv.exitCode());
        assertEquals("error: --env 'NOVALUE': expected KEY=VALUE\n", badEnv.err());
        CliRun missing = CliRun.run(home, "mcp", "remove", "nope");
        assertEquals(2, missing.exitCode(), "naming a server that is not configured is a usage error");
        assertEquals("error: no MCP server named 'nope' in " + config() + " (configured: docs)\n", missing.err());
        assertEquals(SAMPLE, Files.readString(config()));
    }

    @Test
    void protocolPinsTheEraAndTakesOnlyTheConfigKeysValues() throws Exception {
        CliRun legacy = CliRun.run(home, "mcp", "add", "x", "--protocol", "legacy", "--", "node", "x");
        assertEquals(0, legacy.exitCode(), legacy.err());
        assertEquals("""
                [mcp_servers.x]
                command = "node"
                args = ["x"]
                protocol = "legacy"
                """, Files.readString(config()));
        assertEquals(
                "legacy",
                JsonMapper.builder()
                        .build()
                        .readTree(CliRun.run(home, "mcp", "get", "x", "--json").out())
                        .get("protocol")
                        .asString());
        CliRun bad = CliRun.run(home, "mcp", "add", "y", "--protocol", "2025-11-25", "--url", "http://127.0.0.1:1/mcp");
        assertEquals(2, bad.exitCode());
        assertEquals(
                "error: --protocol: expected one of auto (probe the server), legacy or 2026-07-28, got '2025-11-25'\n",
                bad.err());
        assertFalse(Files.readString(config()).contains("mcp_servers.y"));
    }

    @Test
    void invalidConfigIsNotEdited() throws Exception {
        Files.writeString(config(), "sandbox_mode = 3\n");
        CliRun r = CliRun.run(home, "mcp", "add", "x", "--", "cmd");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("error: " + config() + ":1: key 'sandbox_mode'"), r.err());
        assertEquals("sandbox_mode = 3\n", Files.readString(config()));
    }

    @Test
    void listAndGet() throws Exception {
        Files.writeString(config(), SAMPLE);
        assertEquals(
                0,
                CliRun.run(home, "mcp", "add", "fs", "--", "npx", "-y", "server fs")
                        .exitCode());
        CliRun list = CliRun.run(home, "mcp", "list", "--no-connect");
        assertEquals("""
                NAME  TRANSPORT  TARGET                   AUTH           ENABLED
                docs  http       https://example.com/mcp  not logged in  yes
                fs    stdio      npx -y 'server fs'       unsupported    yes
                """, list.out());
        JsonNode json = JsonMapper.builder()
                .build()
                .readTree(CliRun.run(home, "mcp", "list", "--json", "--no-connect")
                        .out());
        assertEquals(2, json.size());
        assertEquals("fs", json.get(1).get("name").asString());
        assertEquals("stdio", json.get(1).get("transport").asString());
        assertEquals("server fs", json.get(1).get("args").get(1).asString());
        assertEquals("not logged in", json.get(0).get("auth").asString());

        CliRun get = CliRun.run(home, "mcp", "get", "docs");
        assertTrue(get.out().startsWith("[mcp_servers.docs]\nurl = \"https://example.com/mcp\""), get.out());
        assertTrue(get.out().contains("# " + config() + ":5"), get.out());
        JsonNode one = JsonMapper.builder()
                .build()
                .readTree(CliRun.run(home, "mcp", "get", "fs", "--json").out());
        assertEquals("npx", one.get("command").asString());
        assertEquals(60, one.get("tool_timeout_sec").asInt());

        CliRun none = CliRun.run(home, "mcp", "get", "zzz");
        assertEquals(2, none.exitCode());
        assertEquals("error: no MCP server named 'zzz' (configured: docs, fs)\n", none.err());
    }

    @Test
    void loginAndLogoutRefuseWhatTheyCannotDo() throws Exception {
        Files.writeString(config(), SAMPLE + """

                [mcp_servers.fs]
                command = "npx"

                [mcp_servers.tok]
                url = "https://tok.example.com/mcp"
                bearer_token_env_var = "TOK"
                """);
        CliRun stdio = CliRun.run(home, "mcp", "login", "fs");
        assertEquals(2, stdio.exitCode(), "a usage error");
        assertTrue(
                stdio.err()
                        .contains("MCP server 'fs' is a stdio server; only streamable HTTP ('url') servers use "
                                + "OAuth, so there is nothing to log in to"),
                stdio.err());
        CliRun stdioLogout = CliRun.run(home, "mcp", "logout", "fs");
        assertEquals(2, stdioLogout.exitCode(), "a usage error");
        assertTrue(stdioLogout.err().contains("so there is nothing to log out of"), stdioLogout.err());
        CliRun unknown = CliRun.run(home, "mcp", "logout", "zzz");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("no MCP server named 'zzz' (configured: docs, fs, tok)"), unknown.err());
        CliRun bearer = CliRun.run(home, "mcp", "login", "tok");
        assertEquals(2, bearer.exitCode(), "a configuration error");
        assertTrue(bearer.err().contains("configured with its own Authorization header"), bearer.err());
        CliRun nothing = CliRun.run(home, "mcp", "logout", "docs");
        assertEquals(0, nothing.exitCode());
        assertEquals("MCP server 'docs' has no stored sign-in; nothing to do.\n", nothing.out());
        assertTrue(CliRun.run(home, "mcp", "get", "tok").out().contains("# auth: bearer token"));
        CliRun badTimeout = CliRun.run(home, "mcp", "login", "docs", "--timeout", "0");
        assertEquals(2, badTimeout.exitCode());
    }

    /** An empty or blank --scopes is a usage error named for the option, found before any request. */
    @Test
    void loginRefusesScopesThatNameNoScope() throws Exception {
        // nothing listens there: a request would fail with exit 1, not 2
        Files.writeString(config(), "[mcp_servers.o]\nurl = \"http://127.0.0.1:9/mcp\"\n");
        for (String bad : new String[] {"", " ", ",,", "a,,b", "a, ,b"}) {
            CliRun r = CliRun.run(home, "mcp", "login", "o", "--no-browser", "--timeout", "5", "--scopes", bad);
            assertEquals(2, r.exitCode(), "'" + bad + "': " + r.err());
            assertTrue(r.err().contains("--scopes: "), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
        CliRun inside = CliRun.run(home, "mcp", "login", "o", "--no-browser", "--scopes", "read write");
        assertEquals(2, inside.exitCode(), inside.err());
        assertTrue(inside.err().contains("--scopes: 'read write' contains a space"), inside.err());
    }

    @Test
    void listSeesOverridesAndEmptyConfig() {
        CliRun empty = CliRun.run(home, "mcp", "list", "--no-connect");
        assertEquals(0, empty.exitCode());
        assertEquals(
                "No MCP servers configured. Add one with: toolhost mcp add NAME -- COMMAND [ARGS...]\n", empty.out());
        CliRun viaOverride = CliRun.run(home, "mcp", "list", "--no-connect", "-c", "mcp_servers.tmp.command=echo");
        assertTrue(viaOverride.out().contains("tmp   stdio      echo"), viaOverride.out());
        assertFalse(Files.exists(config()));
    }

    @Test
    void getShowsTheRootsOfferedToAServer() throws Exception {
        Files.writeString(
                config(),
                "[mcp_servers.fs]\ncommand = \"npx\"\nroots = [\"/srv/data\"]\n\n"
                        + "[mcp_servers.plain]\ncommand = \"npx\"\n");
        CliRun fs = CliRun.run(home, "mcp", "get", "fs");
        assertTrue(fs.out().contains("roots = [\"/srv/data\"]"), fs.out());
        assertTrue(fs.out().contains("# " + config() + ":3"), fs.out());
        CliRun plain = CliRun.run(home, "mcp", "get", "plain");
        assertTrue(plain.out().lines().anyMatch(l -> l.matches("roots = \\[\\]\\s+# default")), plain.out());
        JsonNode json = JsonMapper.builder()
                .build()
                .readTree(CliRun.run(home, "mcp", "get", "fs", "--json").out());
        assertEquals("/srv/data", json.get("roots").get(0).asString());
    }

    @Test
    void addWritesRootsOrForwardRootsAndGetShowsThem() throws Exception {
        Path data = Files.createDirectories(home.resolve("data"));
        Path more = Files.createDirectories(home.resolve("more"));
        CliRun fixed =
                CliRun.run(home, "mcp", "add", "fs", "--root", data.toString(), "--root", more.toString(), "--", "npx");
        assertEquals(0, fixed.exitCode(), fixed.err());
        CliRun forward = CliRun.run(home, "mcp", "add", "ide", "--forward-roots", "--url", "https://ide.example/mcp");
        assertEquals(0, forward.exitCode(), forward.err());
        assertEquals("""
                [mcp_servers.fs]
                command = "npx"
                roots = ["%s", "%s"]

                [mcp_servers.ide]
                url = "https://ide.example/mcp"
                forward_roots = true
                """.formatted(data, more), Files.readString(config()));
        CliRun ide = CliRun.run(home, "mcp", "get", "ide");
        assertTrue(ide.out().contains("forward_roots = true"), ide.out());
        CliRun fs = CliRun.run(home, "mcp", "get", "fs");
        assertTrue(fs.out().lines().anyMatch(l -> l.matches("forward_roots = false\\s+# default")), fs.out());
        JsonNode json = JsonMapper.builder()
                .build()
                .readTree(CliRun.run(home, "mcp", "get", "ide", "--json").out());
        assertTrue(json.get("forward_roots").asBoolean(), json.toString());

        String before = Files.readString(config());
        CliRun both = CliRun.run(home, "mcp", "add", "x", "--forward-roots", "--root", "/srv", "--", "cmd");
        assertEquals(2, both.exitCode());
        assertEquals(
                "error: give either --root (fixed directories) or --forward-roots (each caller's own roots),"
                        + " not both\n",
                both.err());
        assertEquals(before, Files.readString(config()));
    }

    /** The config key's rules ({@code ~} expanded, nothing relative, no {@code ..}), plus an existing directory. */
    @Test
    void addChecksEachRootBeforeWritingAndSaysWhatIsWrong() throws Exception {
        Path file = Files.writeString(home.resolve("notes.txt"), "x");
        Path missing = home.resolve("missing");
        assertEquals(
                "error: --root 'data': expected absolute directory paths or ~/... (\"data\" is relative)\n",
                CliRun.run(home, "mcp", "add", "x", "--root", "data", "--", "cmd")
                        .err());
        CliRun above = CliRun.run(home, "mcp", "add", "x", "--root", "/tmp/../etc", "--", "cmd");
        assertEquals(2, above.exitCode());
        assertEquals(
                "error: --root '/tmp/../etc': expected paths without '..' (\"/tmp/../etc\" reaches above itself)\n",
                above.err());
        CliRun absent = CliRun.run(home, "mcp", "add", "x", "--root", missing.toString(), "--", "cmd");
        assertEquals(2, absent.exitCode());
        assertEquals("error: --root '" + missing + "': directory " + missing + " does not exist\n", absent.err());
        CliRun notDir = CliRun.run(home, "mcp", "add", "x", "--root", file.toString(), "--", "cmd");
        assertEquals(2, notDir.exitCode());
        assertEquals("error: --root '" + file + "': " + file + " is not a directory\n", notDir.err());
        assertFalse(Files.exists(config()), "nothing was written");

        Path homeDir = Path.of(System.getProperty("user.home"));
        CliRun tildeMissing = CliRun.run(home, "mcp", "add", "x", "--root", "~/toolhost-no-such-dir-4f1c", "--", "cmd");
        assertEquals(2, tildeMissing.exitCode());
        assertEquals(
                "error: --root '~/toolhost-no-such-dir-4f1c': directory " + homeDir.resolve("toolhost-no-such-dir-4f1c")
                        + " does not exist\n",
                tildeMissing.err());
        CliRun tilde = CliRun.run(home, "mcp", "add", "x", "--root", "~", "--", "cmd");
        assertEquals(0, tilde.exitCode(), tilde.err());
        assertTrue(Files.readString(config()).contains("roots = [\"~\"]"), Files.readString(config()));
    }

    /**
     * Secrets are never printed: {@code env} and {@code http_headers} values are shown as {@code *****}, a URL without
     * its password and query values, in every view of the config and in the errors of a server that cannot be reached.
     */
    @Test
    void secretsAreNeverShown() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort(); // nothing listens once it is closed: connecting is refused
        }
        String url = "http://user:pw-secret@127.0.0.1:" + closed + "/mcp?token=tok-secret&v=2";
        String shownUrl = "http://user:*****@127.0.0.1:" + closed + "/mcp?token=*****&v=*****";
        Files.writeString(config(), """
                [mcp_servers.x]
                command = "/bin/false"
                env = { API_KEY = "sk-secret-123" }
                env_vars = ["PASS_ME"]

                [mcp_servers.h]
                url = "%s"
                http_headers = { Authorization = "Bearer hdr-secret" }
                env_http_headers = { X-Env = "HEADER_VAR" }

                [mcp_servers.o]
                url = "%s"
                """.formatted(url, url));
        List<String> secrets = List.of("sk-secret-123", "pw-secret", "tok-secret", "hdr-secret");

        CliRun getX = shows(secrets, "mcp", "get", "x");
        assertTrue(getX.out().contains("env = { API_KEY = \"*****\" }"), getX.out());
        assertTrue(getX.out().contains("env_vars = [\"PASS_ME\"]"), getX.out());
        CliRun getH = shows(secrets, "mcp", "get", "h");
        assertTrue(getH.out().contains("url = \"" + shownUrl + "\""), getH.out());
        assertTrue(getH.out().contains("http_headers = { Authorization = \"*****\" }"), getH.out());
        assertTrue(getH.out().contains("env_http_headers = { X-Env = \"HEADER_VAR\" }"), getH.out());
        JsonNode x = json(shows(secrets, "mcp", "get", "x", "--json"));
        assertEquals("*****", x.get("env").get("API_KEY").asString());
        JsonNode h = json(shows(secrets, "mcp", "get", "h", "--json"));
        assertEquals(shownUrl, h.get("url").asString());
        assertEquals("*****", h.get("http_headers").get("Authorization").asString());
        assertEquals("HEADER_VAR", h.get("env_http_headers").get("X-Env").asString());

        CliRun table = shows(secrets, "mcp", "list", "--no-connect");
        assertTrue(table.out().contains(shownUrl), table.out());
        JsonNode array = json(shows(secrets, "mcp", "list", "--json", "--no-connect"));
        assertEquals("*****", array.get(0).get("env").get("API_KEY").asString());
        assertEquals(shownUrl, array.get(1).get("url").asString());

        CliRun live = shows(secrets, "mcp", "list");
        assertTrue(live.out().contains("cannot connect to " + shownUrl), live.out());
        JsonNode liveJson = json(shows(secrets, "mcp", "list", "--json"));
        assertTrue(
                liveJson.get(1).get("error").asString().contains("cannot connect to " + shownUrl), liveJson.toString());
        // A refused connection says nothing about a sign-in.
        assertEquals("-", liveJson.get(1).get("auth").asString(), liveJson.toString());

        shows(secrets, "config", "show");
        shows(secrets, "config", "show", "--json");
        CliRun login = shows(secrets, "mcp", "login", "o", "--no-browser", "--timeout", "5");
        assertEquals(1, login.exitCode(), login.err());
        assertTrue(login.err().contains(shownUrl), login.err());

        CliRun badUrl = shows(secrets, "mcp", "add", "y", "--url", "ftp://user:pw-secret@h/?token=tok-secret");
        assertEquals(
                "error: --url: 'ftp://user:*****@h/?token=*****' is not an http:// or https:// URL\n", badUrl.err());
        CliRun curlHeader = shows(
                secrets, "mcp", "add", "y", "--url", "https://h/mcp", "--header", "Authorization: Bearer hdr-secret");
        assertEquals("error: --header 'Authorization: *****': expected KEY=VALUE\n", curlHeader.err());

        // -c overrides: their values are masked, and their origins name the key alone
        List<String> cli = List.of("CLISECRET1", "CLISECRET3", "CLISECRET4", "CLISECRET5", "CLISECRET6", "CLISECRET8");
        String[] overrides = {
            "-c", "mcp_servers.x.env.TOKEN=\"CLISECRET1\"",
            "-c", "mcp_servers.c.url=\"https://u:CLISECRET3@x.com/mcp?k=CLISECRET4\"",
            "-c", "shell_environment_policy.set.X=\"CLISECRET5\"",
            "-c", "mcp_servers.h.http_headers.Authorization=\"CLISECRET6\""
        };
        CliRun show = shows(cli, concat(new String[] {"config", "show"}, overrides));
        assertEquals(0, show.exitCode(), show.err());
        assertTrue(
                show.out().matches("(?s).*TOKEN = \"\\*{5}\" }? +# override -c mcp_servers\\.x\\.env\\.TOKEN\n.*"),
                show.out());
        assertTrue(show.out().contains("# override -c mcp_servers.c.url\n"), show.out());
        assertTrue(show.out().contains("# override -c shell_environment_policy.set.X\n"), show.out());
        shows(cli, concat(new String[] {"config", "show", "--json"}, overrides));
        CliRun getOverridden = shows(cli, concat(new String[] {"mcp", "get", "h"}, overrides));
        assertEquals(0, getOverridden.exitCode(), getOverridden.err());
        assertTrue(
                getOverridden.out().contains("# override -c mcp_servers.h.http_headers.Authorization\n"),
                getOverridden.out());
        shows(cli, concat(new String[] {"mcp", "get", "h", "--json"}, overrides));
        CliRun badOverride = shows(cli, "config", "show", "-c", "mcp_servers.x.env=CLISECRET8");
        assertEquals(2, badOverride.exitCode(), badOverride.err());
        assertTrue(
                badOverride.err().startsWith("error: override -c mcp_servers.x.env: key 'mcp_servers.x.env': "),
                badOverride.err());
        assertTrue(badOverride.err().contains("got a string"), badOverride.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Runs the CLI and checks that none of {@code secrets} is in what it printed. */
    private CliRun shows(List<String> secrets, String... args) {
        CliRun r = CliRun.run(home, args);
        for (String secret : secrets) {
            assertFalse(r.out().contains(secret), String.join(" ", args) + " printed " + secret + ":\n" + r.out());
            assertFalse(r.err().contains(secret), String.join(" ", args) + " printed " + secret + ":\n" + r.err());
        }
        return r;
    }

    private static JsonNode json(CliRun r) {
        return JsonMapper.builder().build().readTree(r.out());
    }
}
