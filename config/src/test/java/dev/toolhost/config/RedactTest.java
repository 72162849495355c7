package dev.toolhost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactTest {
    @Test
    void urlKeepsSchemeHostPortPathAndParameterNames() {
        assertEquals(
                "https://user:*****@example.invalid/mcp?token=*****",
                Redact.url("https://user:pw@example.invalid/mcp?token=abc"));
        assertEquals(
                "http://127.0.0.1:8080/a/b?x=*****&y=*****&z=*****",
                Redact.url("http://127.0.0.1:8080/a/b?x=1&y=&z=a=b"));
        assertEquals("https://[::1]:443/mcp", Redact.url("https://[::1]:443/mcp"));
        assertEquals("https://example.com/mcp", Redact.url("https://example.com/mcp"), "nothing secret: unchanged");
        assertEquals("wss://host/exec", Redact.url("wss://host/exec"));
    }

    @Test
    void urlMasksAUserinfoWithoutPasswordABareParameterAndTheFragment() {
        assertEquals("https://*****@github.example/mcp", Redact.url("https://ghp_token@github.example/mcp"));
        assertEquals("https://u:*****@h/", Redact.url("https://u:p:q@h/"), "the password is all after the first ':'");
        assertEquals("https://u:*****@h/", Redact.url("https://u:p@ss@h/"), "the host follows the last '@'");
        assertEquals("https://h/p?*****&a=*****", Redact.url("https://h/p?sk-bare&a=1"));
        assertEquals("https://h/p?a=*****#*****", Redact.url("https://h/p?a=1#access_token=t"));
        assertEquals("https://h/p?&", Redact.url("https://h/p?&"), "empty parameters stay empty");
    }

    @Test
    void urlNeverFailsOnWhatIsNoValidUrl() {
        String bad = "https://u:se cret@h/p q?k=v a l\nue";
        String shown = Redact.url(bad);
        assertEquals("https://u:*****@h/p q?k=*****", shown);
        assertFalse(shown.contains("cret"), shown);
        assertEquals("not a url", Redact.url("not a url"));
        assertEquals("?k=*****", Redact.url("?k=v"));
        assertNull(Redact.url(null));
    }

    @Test
    void secretValuesAreThoseOfEnvHeadersAndTheShellPolicysSet() {
        assertTrue(Redact.secretValue("mcp_servers.s.env.TOKEN"));
        assertTrue(Redact.secretValue("mcp_servers.s.http_headers"));
        assertTrue(Redact.secretValue("model_providers.p.http_headers.Authorization"));
        assertTrue(Redact.secretValue("shell_environment_policy.set.API_KEY"));
        assertFalse(Redact.secretValue("mcp_servers.s.env_http_headers.Authorization"), "names of variables");
        assertFalse(Redact.secretValue("mcp_servers.s.tool_timeout_sec"));
        assertFalse(Redact.secretValue("mcp_servers.set.command"), "a server named set");
    }

    @Test
    void valuesKeepKeysAndMaskEveryValue() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("Z_KEY", "sk-secret-123");
        env.put("A_EMPTY", "");
        assertEquals(Map.of("A_EMPTY", "*****", "Z_KEY", "*****"), Redact.values(env));
        assertEquals("[A_EMPTY, Z_KEY]", Redact.values(env).keySet().toString(), "sorted, as shown");
    }

    @Test
    void configJsonShowsNamesOfVariablesButNoSecret(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("config.toml");
        Files.writeString(f, """
                exec_server_url = "wss://u:pw-exec@exec.invalid/x?token=tok-exec"
                [shell_environment_policy]
                set = { SET_KEY = "set-secret" }
                [model_providers.p]
                name = "P"
                base_url = "https://api.invalid/v1?key=key-provider"
                env_key = "P_API_KEY"
                http_headers = { X-Api-Key = "hdr-provider" }
                [mcp_servers.x]
                command = "/bin/false"
                env = { API_KEY = "sk-secret-123" }
                env_vars = ["PASS_THROUGH"]
                [mcp_servers.h]
                url = "https://user:pw@example.invalid/mcp?token=abc"
                http_headers = { Authorization = "Bearer xyz" }
                env_http_headers = { X-Env = "HEADER_VAR" }
                bearer_token_env_var = "TOKEN_VAR"
                """);
        ToolhostConfig c = ConfigLoader.load(new ConfigRequest(f, null, List.of(), null, null, null, true))
                .config();
        String shown = ConfigJson.of(c).toString();
        for (String secret : List.of(
                "pw-exec",
                "tok-exec",
                "set-secret",
                "key-provider",
                "hdr-provider",
                "sk-secret-123",
                ":pw@",
                "abc",
                "xyz")) {
            assertFalse(shown.contains(secret), secret + " in " + shown);
        }
        var x = ConfigJson.server(c.mcpServers().get("x"));
        assertEquals("*****", x.get("env").get("API_KEY").asString());
        assertEquals("PASS_THROUGH", x.get("env_vars").get(0).asString());
        var h = ConfigJson.server(c.mcpServers().get("h"));
        assertEquals(
                "https://user:*****@example.invalid/mcp?token=*****",
                h.get("url").asString());
        assertEquals("*****", h.get("http_headers").get("Authorization").asString());
        assertEquals("HEADER_VAR", h.get("env_http_headers").get("X-Env").asString());
        assertEquals("TOKEN_VAR", h.get("bearer_token_env_var").asString());
        assertEquals(
                "P_API_KEY",
                ConfigJson.of(c).get("model_providers").get("p").get("env_key").asString());
        assertEquals(
                "https://user:pw@example.invalid/mcp?token=abc",
                c.mcpServers().get("h").url(),
                "the config itself keeps the real URL");
    }
}
