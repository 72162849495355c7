package dev.toolhost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path f = dir.resolve("config.toml");
        Files.writeString(f, text);
        return f;
    }

    private LoadedConfig load(String text, String profile, List<String> overrides, SandboxMode flag) throws Exception {
        return ConfigLoader.load(new ConfigRequest(file(text), profile, overrides, flag, null, null, false));
    }

    private String error(String text, String... overrides) throws IOException {
        Path f = file(text);
        return assertThrows(
                        ConfigException.class,
                        () -> ConfigLoader.load(
                                new ConfigRequest(f, null, List.of(overrides), null, null, null, false)))
                .getMessage();
    }

    @Test
    void missingFileGivesBuiltInDefaults() throws Exception {
        LoadedConfig c = ConfigLoader.load(ConfigRequest.ofFile(dir.resolve("absent.toml")));
        ToolhostConfig cfg = c.config();
        assertNull(cfg.model());
        assertEquals("openai", cfg.modelProvider());
        assertEquals(SandboxMode.READ_ONLY, cfg.sandboxMode());
        assertEquals(ApprovalPolicy.ON_REQUEST, cfg.approvalPolicy());
        ModelProviderConfig openai = cfg.modelProviders().get("openai");
        assertEquals("https://api.openai.com/v1", openai.baseUrl());
        assertEquals("OPENAI_API_KEY", openai.envKey());
        assertEquals(WireApi.RESPONSES, openai.wireApi());
        assertEquals(4, openai.requestMaxRetries());
        assertEquals(300_000, openai.streamIdleTimeoutMs());
        ModelProviderConfig ollama = cfg.modelProviders().get("ollama");
        assertEquals("http://127.0.0.1:11434/v1", ollama.baseUrl());
        assertNull(ollama.envKey());
        assertEquals(WireApi.CHAT, ollama.wireApi());
        assertTrue(c.warnings().isEmpty());
        assertEquals(cfg, ConfigLoader.defaults(Path.of("")));
    }

    @Test
    void precedenceDefaultsFileProfileOverrideFlag() throws Exception {
        String text = """
                model = "file-model"
                sandbox_mode = "workspace-write"
                approval_policy = "untrusted"

                [profiles.fast]
                model = "profile-model"
                sandbox_mode = "read-only"
                """;
        Path f = file(text);
        LoadedConfig fileOnly = load(text, null, List.of(), null);
        assertEquals("file-model", fileOnly.config().model());
        assertEquals(f + ":1", fileOnly.origins().get("model"));
        assertEquals("default", fileOnly.origins().get("model_provider"));

        LoadedConfig profiled = load(text, "fast", List.of(), null);
        assertEquals("profile-model", profiled.config().model());
        assertEquals(SandboxMode.READ_ONLY, profiled.config().sandboxMode());
        assertEquals(ApprovalPolicy.UNTRUSTED, profiled.config().approvalPolicy());
        assertEquals("profile fast (" + f + ":6)", profiled.origins().get("model"));

        LoadedConfig overridden =
                load(text, "fast", List.of("model=\"cli-model\"", "sandbox_mode=danger-full-access"), null);
        assertEquals("cli-model", overridden.config().model());
        assertEquals(SandboxMode.DANGER_FULL_ACCESS, overridden.config().sandboxMode());
        assertEquals("override -c model", overridden.origins().get("model"));

        LoadedConfig flagged =
                load(text, "fast", List.of("sandbox_mode=danger-full-access"), SandboxMode.WORKSPACE_WRITE);
        assertEquals(SandboxMode.WORKSPACE_WRITE, flagged.config().sandboxMode());
        assertEquals("flag -s", flagged.origins().get("sandbox_mode"));
    }

    @Test
    void overridesReachMcpServerKeysAndParseTomlValues() throws Exception {
        LoadedConfig c = load(
                """
                [mcp_servers.fs]
                command = "npx"
                """,
                null,
                List.of(
                        "mcp_servers.fs.args=[\"-y\", \"pkg\"]",
                        "mcp_servers.fs.tool_timeout_sec=5",
                        "mcp_servers.new.url=https://example.com/mcp"),
                null);
        McpServerConfig fs = c.config().mcpServers().get("fs");
        assertEquals(List.of("-y", "pkg"), fs.args());
        assertEquals(Duration.ofSeconds(5), fs.toolTimeout());
        assertEquals(
                "https://example.com/mcp", c.config().mcpServers().get("new").url());
    }

    @Test
    void userProviderTablesMergeOverBuiltIns() throws Exception {
        LoadedConfig c = load("""
                model_provider = "ollama"
                [model_providers.ollama]
                base_url = "http://gpu:11434/v1"
                [model_providers.openai]
                http_headers = { "OpenAI-Organization" = "org-1" }
                env_http_headers = { "OpenAI-Project" = "OPENAI_PROJECT" }
                request_max_retries = 1
                """, null, List.of(), null);
        ModelProviderConfig ollama = c.config().modelProviders().get("ollama");
        assertEquals("http://gpu:11434/v1", ollama.baseUrl());
        assertEquals(WireApi.CHAT, ollama.wireApi());
        ModelProviderConfig openai = c.config().modelProviders().get("openai");
        assertEquals("https://api.openai.com/v1", openai.baseUrl());
        assertEquals("org-1", openai.httpHeaders().get("OpenAI-Organization"));
        assertEquals("OPENAI_PROJECT", openai.envHttpHeaders().get("OpenAI-Project"));
        assertEquals(1, openai.requestMaxRetries());
    }

    @Test
    void toolhostOwnKeys() throws Exception {
        LoadedConfig c = load("""
                exec_server_url = "ws://127.0.0.1:7777"
                exec_server_token_file = "token.txt"
                """, null, List.of(), null);
        assertEquals("ws://127.0.0.1:7777", c.config().execServerUrl());
        assertEquals(dir.resolve("token.txt"), c.config().execServerTokenFile());
    }

    @Test
    void cdFlagSetsCwd() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("work"));
        LoadedConfig c =
                ConfigLoader.load(new ConfigRequest(dir.resolve("none.toml"), null, List.of(), null, null, sub, false));
        assertEquals(sub, c.config().cwd());
        assertEquals("flag -C", c.origins().get("cwd"));
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ConfigLoader.load(new ConfigRequest(
                        dir.resolve("none.toml"), null, List.of(), null, null, dir.resolve("nope"), false)));
        assertEquals("-C/--cd: " + dir.resolve("nope") + " is not a directory", e.getMessage());
    }

    // ---- error paths: each names file, line, key and what was expected ----

    @Test
    void wrongType() throws Exception {
        String m = error("model = \"m\"\n[mcp_servers.fs]\ncommand = \"npx\"\nargs = \"-y\"\n");
        assertEquals(
                dir.resolve("config.toml") + ":4: key 'mcp_servers.fs.args': expected an array of strings, "
                        + "got the string \"-y\"",
                m);
    }

    @Test
    void wrongTypeWhereSecretsGoNamesOnlyTheType() throws Exception {
        String headers = error("[mcp_servers.s]\nurl = \"http://127.0.0.1/mcp\"\n"
                + "http_headers = \"Authorization: Bearer sk-live-1\"\n");
        assertEquals(
                dir.resolve("config.toml") + ":3: key 'mcp_servers.s.http_headers': expected a table of strings, e.g."
                        + " { NAME = \"value\" }, got a string",
                headers);
        String env = error("[mcp_servers.s]\ncommand = \"x\"\nenv = { TOKEN = 12345678 }\n");
        assertFalse(env.contains("12345678"), env);
        assertTrue(env.contains("key 'mcp_servers.s.env.TOKEN': expected a string, got an integer"), env);
    }

    @Test
    void aSyntaxErrorQuotesTheLineWithoutSecrets() throws Exception {
        String env = error("[mcp_servers.x]\ncommand = \"a\"\nenv = { TOKEN = \"sk-live-SECRET123\" \n");
        assertFalse(env.contains("SECRET"), env);
        assertTrue(env.contains("3 | env = { TOKEN = \"*****\""), env);
        String url = error("[mcp_servers.x]\nurl = \"https://u:SECRETPW@h/mcp?k=SECRETQ\" x\n");
        assertFalse(url.contains("SECRET"), url);
        assertTrue(url.contains("2 | url = \"https://u:*****@h/mcp?k=*****\" x"), url);
        String plain = error("[mcp_servers.x]\ncommand = \"npx\" x\n");
        assertTrue(plain.contains("2 | command = \"npx\" x"), "a value that is no secret is shown: " + plain);
    }

    @Test
    void aWritableRootThatIsNoDirectoryIsWarnedAbout() throws Exception {
        Files.createDirectories(dir.resolve("there"));
        LoadedConfig c = load(
                "sandbox_mode = \"workspace-write\"\n"
                        + "sandbox_workspace_write.writable_roots = [\"" + dir.resolve("there") + "\", \""
                        + dir.resolve("missing") + "\"]\n",
                null,
                List.of(),
                null);
        assertEquals(
                List.of("sandbox_workspace_write.writable_roots: " + dir.resolve("missing")
                        + " is not a directory, so it is not writable (" + dir.resolve("config.toml") + ":2)"),
                c.warnings());
        LoadedConfig readOnly = load(
                "sandbox_workspace_write.writable_roots = [\"" + dir.resolve("missing") + "\"]\n",
                null,
                List.of(),
                null);
        assertTrue(readOnly.warnings().isEmpty(), "only the workspace-write sandbox uses them");
    }

    @Test
    void aProfileThatCannotBeUsedIsWarnedAboutBeforeItIsSelected() throws Exception {
        Path f = file("model = \"m\"\n[profiles.ok]\nmodel = \"n\"\n[profiles.bad]\nsandbox_mode = \"yolo\"\n");
        LoadedConfig c = ConfigLoader.load(ConfigRequest.ofFile(f));
        assertEquals("m", c.config().model());
        assertEquals(1, c.warnings().size(), c.warnings().toString());
        assertTrue(
                c.warnings().get(0).startsWith("profile 'bad' cannot be used: "),
                c.warnings().get(0));
        assertTrue(
                c.warnings().get(0).contains("got the string \"yolo\""),
                c.warnings().get(0));
    }

    @Test
    void wrongElementType() throws Exception {
        String m = error("[mcp_servers.fs]\ncommand = \"npx\"\nargs = [\"a\", 2]\n");
        assertEquals(
                dir.resolve("config.toml") + ":3: key 'mcp_servers.fs.args': expected an array of strings "
                        + "(element 2 is not a string), got the integer 2",
                m);
    }

    @Test
    void badEnumValue() throws Exception {
        String m = error("\nsandbox_mode = \"readonly\"\n");
        assertEquals(
                dir.resolve("config.toml") + ":2: key 'sandbox_mode': expected one of \"read-only\", "
                        + "\"workspace-write\", \"danger-full-access\", got the string \"readonly\"",
                m);
    }

    @Test
    void anOverrideIsNamedByItsKeyNeverByItsValue() throws Exception {
        LoadedConfig loaded = load(
                "",
                null,
                List.of(
                        "mcp_servers.s.command=\"x\"",
                        "mcp_servers.s.env.TOKEN=\"CLISECRET1\"",
                        "mcp_servers.h.url=\"https://u:CLISECRET3@x.com/mcp?k=CLISECRET4\"",
                        "shell_environment_policy.set.X=\"CLISECRET5\"",
                        "mcp_servers.s.bogus=\"CLISECRET7\""),
                null);
        assertEquals("override -c mcp_servers.s.env.TOKEN", loaded.origins().get("mcp_servers.s.env.TOKEN"));
        assertEquals("override -c mcp_servers.h.url", loaded.origins().get("mcp_servers.h.url"));
        assertFalse(
                loaded.origins().toString().contains("CLISECRET"),
                loaded.origins().toString());
        assertFalse(
                loaded.warnings().toString().contains("CLISECRET"),
                loaded.warnings().toString());

        String m = error("", "mcp_servers.s.command=\"x\"", "mcp_servers.s.env=CLISECRET8");
        assertTrue(m.startsWith("override -c mcp_servers.s.env: key 'mcp_servers.s.env': expected "), m);
        assertTrue(m.endsWith(", got a string"), m);
        for (String bad : List.of(
                "mcp_servers.s.env.TOKEN=12345",
                "mcp_servers.s.env.TOKEN=12345.5",
                "mcp_servers.s.env.TOKEN=true",
                "mcp_servers.h.url=\"ftp://u:CLISECRET10@x.com/?k=CLISECRET11\"",
                "profile=12345",
                "a..b=CLISECRET13")) {
            m = error("", "mcp_servers.s.command=\"x\"", bad);
            assertTrue(m.startsWith("override -c ") || m.startsWith("-c a..b:"), m);
            assertFalse(m.contains("CLISECRET") || m.contains("12345") || m.contains("true"), m);
        }
        m = assertThrows(
                        ConfigException.class,
                        () -> ConfigLoader.load(new ConfigRequest(
                                file(""), null, List.of("bogus=\"CLISECRET14\""), null, null, null, true)))
                .getMessage();
        assertTrue(m.contains("bogus (override -c bogus)"), m);
        assertFalse(m.contains("CLISECRET"), m);
    }

    @Test
    void badEnumValueFromOverrideNamesTheOverride() throws Exception {
        String m = error("", "approval_policy=sometimes");
        assertEquals(
                "override -c approval_policy: key 'approval_policy': expected one of \"untrusted\", "
                        + "\"on-failure\", \"on-request\", \"never\", got a string",
                m);
    }

    @Test
    void badBoolean() throws Exception {
        String m = error("[sandbox_workspace_write]\nnetwork_access = \"yes\"\n");
        assertEquals(
                dir.resolve("config.toml") + ":2: key 'sandbox_workspace_write.network_access': expected a "
                        + "boolean (true or false), got the string \"yes\"",
                m);
    }

    @Test
    void serverWithNeitherCommandNorUrl() throws Exception {
        String m = error("model = \"x\"\n\n[mcp_servers.broken]\nargs = [\"a\"]\n");
        assertEquals(
                dir.resolve("config.toml") + ":3: [mcp_servers.broken]: expected either 'command' (a stdio "
                        + "server) or 'url' (a streamable HTTP server), found neither",
                m);
    }

    @Test
    void serverWithBothCommandAndUrl() throws Exception {
        String m = error("[mcp_servers.both]\ncommand = \"x\"\nurl = \"https://e.com/mcp\"\n");
        assertEquals(
                dir.resolve("config.toml") + ":3: [mcp_servers.both]: expected either 'command' (a stdio "
                        + "server) or 'url' (a streamable HTTP server), found both",
                m);
    }

    @Test
    void tomlSyntaxError() throws Exception {
        String m = error("model = \"x\"\nsandbox_mode = read-only\n");
        assertEquals(
                dir.resolve("config.toml") + ":2: invalid TOML in key 'sandbox_mode' at column 16: Unknown token"
                        + " (expected a value: a \"quoted string\", a number, true/false, an [array] or an { inline = \"table\" })"
                        + "\n    2 | sandbox_mode = read-only",
                m);
    }

    @Test
    void duplicateKeyIsASyntaxError() throws Exception {
        String m = error("model = \"a\"\nmodel = \"b\"\n");
        assertTrue(m.startsWith(dir.resolve("config.toml") + ":2: invalid TOML in key 'model'"), m);
        assertTrue(m.contains("Duplicate key (each key and table may be defined only once)"), m);
    }

    @Test
    void unknownProvider() throws Exception {
        String m = error("model_provider = \"anthropic\"\n");
        assertEquals(
                dir.resolve("config.toml") + ":1: key 'model_provider': expected the id of a "
                        + "[model_providers.<id>] table (one of ollama, openai), got the string \"anthropic\"",
                m);
    }

    @Test
    void providerWithoutBaseUrl() throws Exception {
        String m = error("[model_providers.mine]\nname = \"Mine\"\n");
        assertEquals(
                dir.resolve("config.toml") + ":1: [model_providers.mine]: missing key 'base_url' (expected the "
                        + "provider's API base URL, e.g. \"https://api.example.com/v1\")",
                m);
    }

    @Test
    void execServerUrlMustBeWebSocket() throws Exception {
        String m = error("exec_server_url = \"http://host:1\"\n");
        assertEquals(
                dir.resolve("config.toml") + ":1: key 'exec_server_url': expected a ws:// or wss:// URL, got the "
                        + "string \"http://host:1\"",
                m);
    }

    @Test
    void mcpServerUrlMustBeHttpAndItsSecretsAreNotEchoed() throws Exception {
        String m = error("exec_server_url = \"http://u:pw-secret@host:1/?token=tok-secret\"\n");
        assertEquals(
                dir.resolve("config.toml") + ":1: key 'exec_server_url': expected a ws:// or wss:// URL, got the "
                        + "string \"http://u:*****@host:1/?token=*****\"",
                m);
        m = error("[mcp_servers.b]\nurl = \"https://user:pw-secret@example.invalid/mcp?token=a bc\"\n");
        assertEquals(
                dir.resolve("config.toml")
                        + ":2: key 'mcp_servers.b.url': expected an http:// or https:// URL, got the "
                        + "string \"https://user:*****@example.invalid/mcp?token=*****\"",
                m);
        m = error("[mcp_servers.b]\nurl = \"ftp://example.invalid/mcp\"\n");
        assertTrue(m.contains("key 'mcp_servers.b.url': expected an http:// or https:// URL"), m);
        m = error("", "mcp_servers.b.url=\"example.invalid/mcp\"");
        assertTrue(m.contains("key 'mcp_servers.b.url': expected an http:// or https:// URL"), m);
    }

    @Test
    void undefinedProfile() throws Exception {
        Path f = file("[profiles.a]\nmodel = \"x\"\n");
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ConfigLoader.load(new ConfigRequest(f, "b", List.of(), null, null, null, false)));
        assertEquals(
                "profile 'b' is not defined in " + f + " (expected a [profiles.b] table; defined: a)", e.getMessage());
    }

    @Test
    void malformedOverride() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ConfigLoader.load(new ConfigRequest(
                        dir.resolve("none.toml"), null, List.of("sandbox_mode"), null, null, null, false)));
        assertEquals("-c sandbox_mode: expected key=value, e.g. -c sandbox_mode=\"read-only\"", e.getMessage());
        for (String pasted : List.of("sk-live-SECRET123", "=SECRET123", "mcp_servers:SECRET123")) {
            ConfigException secret = assertThrows(
                    ConfigException.class,
                    () -> ConfigLoader.load(new ConfigRequest(
                            dir.resolve("none.toml"), null, List.of(pasted), null, null, null, false)));
            assertEquals(
                    "-c (an argument without a key): expected key=value, e.g. -c sandbox_mode=\"read-only\"",
                    secret.getMessage(),
                    "never printed back: it may be a secret pasted by mistake");
        }
    }

    @Test
    void unknownKeysWarnOnceOrFailWhenStrict() throws Exception {
        Path f = file("model = \"m\"\nfoo = 1\n[tui]\nx = 1\n");
        LoadedConfig c = ConfigLoader.load(ConfigRequest.ofFile(f));
        assertEquals(
                List.of("ignoring config keys Toolhost does not use: foo (" + f + ":2), tui (" + f + ":3)"),
                c.warnings());
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ConfigLoader.load(new ConfigRequest(f, null, List.of(), null, null, null, true)));
        assertEquals(
                "unknown config keys (rejected by --strict-config): foo (" + f + ":2), tui (" + f + ":3)",
                e.getMessage());
    }

    @Test
    void overrideValuesAreTomlElsePlainStrings() throws Exception {
        assertEquals(3, ConfigOverride.parse("a=3").value().intValue());
        assertTrue(ConfigOverride.parse("a=true").value().booleanValue());
        assertEquals("x", ConfigOverride.parse("a = \"x\"").value().asString());
        assertEquals(2, ConfigOverride.parse("a=[\"x\", \"y\"]").value().size());
        assertEquals(
                "v", ConfigOverride.parse("a={ k = \"v\" }").value().get("k").asString());
        assertEquals("read-only", ConfigOverride.parse("a=read-only").value().asString());
        assertEquals("1\nb = 2", ConfigOverride.parse("a=1\nb = 2").value().asString());
        assertEquals(
                List.of("mcp_servers", "my.server", "command"),
                ConfigOverride.parse("mcp_servers.\"my.server\".command=x").key());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigOverride.parse("a..b=1"));
        assertEquals(
                "-c a..b: not a valid dotted key (expected names of letters, digits, _ and -, joined by dots)",
                e.getMessage());
    }

    @Test
    void aMisspelledKeyIsReportedWithTheKeyItProbablyMeans() throws Exception {
        Path f = file("sandbx_mode = \"read-only\"\n[mcp_servers.fs]\ncommand = \"npx\"\ntool_timout_sec = 5\n"
                + "[profiles.work]\nmodle = \"m\"\n");
        LoadedConfig c = ConfigLoader.load(ConfigRequest.ofFile(f));
        assertEquals(
                List.of("ignoring config keys Toolhost does not use: sandbx_mode (" + f + ":1; did you mean"
                        + " sandbox_mode?), mcp_servers.fs.tool_timout_sec (" + f + ":4; did you mean"
                        + " mcp_servers.fs.tool_timeout_sec?), profiles.work.modle (" + f + ":6; did you mean"
                        + " profiles.work.model?)"),
                c.warnings());
    }

    @Test
    void shortKeysAndKeysCutShortGetASuggestionToo() throws Exception {
        Path f = file("approval = \"never\"\n[mcp_servers.fs]\ncommand = \"npx\"\narg = []\ntool_timeout = 5\n");
        String warning = ConfigLoader.load(ConfigRequest.ofFile(f)).warnings().get(0);
        assertTrue(warning.contains("approval (" + f + ":1; did you mean approval_policy?)"), warning);
        assertTrue(warning.contains("mcp_servers.fs.arg (" + f + ":4; did you mean mcp_servers.fs.args?)"), warning);
        assertTrue(
                warning.contains(
                        "mcp_servers.fs.tool_timeout (" + f + ":5; did you mean mcp_servers.fs.tool_timeout_sec?)"),
                warning);
    }

    @Test
    void topLevelKeysBelowATableHeaderAreOneErrorSayingWhereTheyLandedAndHowToFixIt() throws Exception {
        Path f = file("[mcp_servers.fs]\ncommand = \"npx\"\nmodel = \"gpt-5\"\nmodel_provider = \"openai\"\n"
                + "unrelated = 1\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(ConfigRequest.ofFile(f)));
        assertEquals(
                f + ":3: 'model' is inside the [mcp_servers.fs] table, so it does not set Toolhost's 'model'\n"
                        + f + ":4: 'model_provider' is inside the [mcp_servers.fs] table, so it does not set Toolhost's"
                        + " 'model_provider'\n"
                        + "In TOML every key after a [table] header belongs to that table, up to the next header. Move these"
                        + " lines above the first [table] header of " + f
                        + " (or into a [profiles.NAME] table for a profile).",
                e.getMessage());
        // Keys that are not Toolhost's top-level keys stay a warning.
        LoadedConfig c = ConfigLoader.load(ConfigRequest.ofFile(file("[mcp_servers.fs]\ncommand = \"npx\"\nx = 1\n")));
        assertEquals(
                List.of("ignoring config keys Toolhost does not use: mcp_servers.fs.x (" + f + ":3)"), c.warnings());
    }

    @Test
    void rootsAreOffByDefaultAndTakenAsWritten() throws Exception {
        LoadedConfig c = load("""
                [mcp_servers.plain]
                command = "npx"

                [mcp_servers.fs]
                command = "npx"
                roots = ["/srv/data", "/srv/data/./more/", "~/notes"]
                max_message_bytes = 1048576
                """, null, List.of(), null);
        McpServerConfig plain = c.config().mcpServers().get("plain");
        assertEquals(List.of(), plain.roots());
        assertEquals(McpServerConfig.DEFAULT_MAX_MESSAGE_BYTES, plain.maxMessageBytes());
        McpServerConfig fs = c.config().mcpServers().get("fs");
        assertEquals(
                List.of(
                        Path.of("/srv/data"),
                        Path.of("/srv/data/more"),
                        Path.of(System.getProperty("user.home"), "notes")),
                fs.roots());
        assertEquals(1 << 20, fs.maxMessageBytes());
    }

    @Test
    void rootsThatCouldReachFurtherThanWrittenAreRefused() throws Exception {
        assertEquals(
                dir.resolve("config.toml") + ":3: key 'mcp_servers.fs.roots': expected absolute directory paths"
                        + " or ~/... (\"data\" is relative), got an array",
                error("[mcp_servers.fs]\ncommand = \"npx\"\nroots = [\"data\"]\n"));
        assertEquals(
                dir.resolve("config.toml") + ":3: key 'mcp_servers.fs.roots': expected paths without '..'"
                        + " (\"/srv/data/..\" reaches above itself), got an array",
                error("[mcp_servers.fs]\ncommand = \"npx\"\nroots = [\"/srv/data/..\"]\n"));
        assertEquals(
                dir.resolve("config.toml") + ":3: key 'mcp_servers.fs.roots': expected an array of strings, "
                        + "got the string \"/srv\"",
                error("[mcp_servers.fs]\ncommand = \"npx\"\nroots = \"/srv\"\n"));
    }

    @Test
    void forwardRootsIsOffByDefaultAndExcludesConfiguredRoots() throws Exception {
        LoadedConfig c = load("""
                [mcp_servers.plain]
                command = "npx"

                [mcp_servers.fs]
                command = "npx"
                forward_roots = true
                """, null, List.of(), null);
        assertFalse(c.config().mcpServers().get("plain").forwardRoots());
        assertTrue(c.config().mcpServers().get("fs").forwardRoots());
        assertEquals(List.of(), c.config().mcpServers().get("fs").roots());
        assertEquals(
                dir.resolve("config.toml") + ":4: [mcp_servers.fs]: 'forward_roots = true' and 'roots' exclude each"
                        + " other: forward_roots offers each caller's own roots, roots offers fixed directories;"
                        + " keep one",
                error("[mcp_servers.fs]\ncommand = \"npx\"\nroots = [\"/srv\"]\nforward_roots = true\n"));
        // An empty roots list is no conflict.
        assertTrue(
                load("[mcp_servers.fs]\ncommand = \"npx\"\nroots = []\nforward_roots = true\n", null, List.of(), null)
                        .config()
                        .mcpServers()
                        .get("fs")
                        .forwardRoots());
    }

    @Test
    void maxMessageBytesIsBounded() throws Exception {
        assertEquals(
                dir.resolve("config.toml") + ":3: key 'mcp_servers.fs.max_message_bytes': expected an integer"
                        + " from 65536 (64 KiB) to 1073741824 (1 GiB), got the integer 10",
                error("[mcp_servers.fs]\ncommand = \"npx\"\nmax_message_bytes = 10\n"));
    }

    @Test
    void protocolPinsTheEraAndDefaultsToAuto() throws Exception {
        LoadedConfig c = load("""
                [mcp_servers.plain]
                command = "npx"

                [mcp_servers.modern]
                url = "https://example.com/mcp"
                protocol = "2026-07-28"

                [mcp_servers.old]
                command = "npx"
                protocol = "legacy"
                """, null, List.of(), null);
        assertEquals("auto", c.config().mcpServers().get("plain").protocol());
        assertEquals("2026-07-28", c.config().mcpServers().get("modern").protocol());
        assertEquals("legacy", c.config().mcpServers().get("old").protocol());
        assertEquals(
                dir.resolve("config.toml") + ":3: key 'mcp_servers.fs.protocol': expected one of \"auto\" (probe"
                        + " the server), \"legacy\" or \"2026-07-28\", got the string \"2025-11-25\"",
                error("[mcp_servers.fs]\ncommand = \"npx\"\nprotocol = \"2025-11-25\"\n"));
    }
}
