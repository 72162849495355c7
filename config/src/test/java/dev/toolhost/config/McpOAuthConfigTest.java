package dev.toolhost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code [mcp_servers.NAME.oauth]} table and {@code mcp_oauth_callback_port}. */
class McpOAuthConfigTest {
    @TempDir
    Path dir;

    private LoadedConfig load(String text) throws Exception {
        Path f = dir.resolve("config.toml");
        Files.writeString(f, text);
        return ConfigLoader.load(new ConfigRequest(f, null, List.of(), null, null, null, true));
    }

    private String error(String text) throws IOException {
        Path f = dir.resolve("config.toml");
        Files.writeString(f, text);
        return assertThrows(
                        ConfigException.class,
                        () -> ConfigLoader.load(new ConfigRequest(f, null, List.of(), null, null, null, true)))
                .getMessage();
    }

    @Test
    void everyKeyIsReadUnderStrictConfig() throws Exception {
        McpOAuthConfig o = load("""
                mcp_oauth_callback_port = 8765
                [mcp_servers.t]
                url = "https://t.example.com/mcp"
                [mcp_servers.t.oauth]
                client_id = "cid"
                client_secret_env_var = "T_SECRET"
                scopes = ["a", "b"]
                callback_port = 8766
                client_metadata_url = "https://toolhost.example.org/client.json"
                [mcp_servers.u]
                url = "https://u.example.com/mcp"
                oauth = { grant_type = "client_credentials", client_id = "bot", private_key_file = "keys/k.pem", signing_algorithm = "ES256" }
                [mcp_servers.v]
                url = "https://v.example.com/mcp"
                """).config().mcpServers().get("t").oauth();
        assertEquals(
                new McpOAuthConfig(
                        "cid",
                        "T_SECRET",
                        List.of("a", "b"),
                        8766,
                        "https://toolhost.example.org/client.json",
                        McpOAuthConfig.GrantType.AUTHORIZATION_CODE,
                        null,
                        null),
                o);
        ToolhostConfig c = load(Files.readString(dir.resolve("config.toml"))).config();
        McpOAuthConfig u = c.mcpServers().get("u").oauth();
        assertEquals(McpOAuthConfig.GrantType.CLIENT_CREDENTIALS, u.grantType());
        assertEquals(dir.resolve("keys/k.pem").toString(), u.privateKeyFile());
        assertEquals(8765, u.callbackPort(), "the root callback port applies where the server sets none");
        assertEquals(8765, c.mcpServers().get("v").oauth().callbackPort());
        assertNull(c.mcpServers().get("v").oauth().clientId());
        assertEquals(
                "cid",
                ConfigJson.server(c.mcpServers().get("t"))
                        .get("oauth")
                        .get("client_id")
                        .asString());
    }

    @Test
    void badValuesNameTheKey() throws Exception {
        String http = "[mcp_servers.t]\nurl = \"https://t.example.com/mcp\"\n[mcp_servers.t.oauth]\n";
        String e = error(http + "callback_port = 70000\n");
        assertTrue(
                e.contains(
                        "key 'mcp_servers.t.oauth.callback_port': expected a TCP port (1-65535), got the integer 70000"),
                e);
        e = error(http + "client_metadata_url = \"http://insecure.example.com/c.json\"\n");
        assertTrue(e.contains("mcp_servers.t.oauth.client_metadata_url': expected an https URL with a path"), e);
        e = error(http + "grant_type = \"password\"\n");
        assertTrue(e.contains("expected one of \"authorization_code\", \"client_credentials\""), e);
        e = error(http + "grant_type = \"client_credentials\"\n");
        assertTrue(e.contains("needs 'client_id' and either 'client_secret_env_var' or 'private_key_file'"), e);
        e = error("[mcp_servers.s]\ncommand = \"srv\"\n[mcp_servers.s.oauth]\nclient_id = \"x\"\n");
        assertTrue(e.contains("[mcp_servers.s.oauth]: OAuth applies only to a 'url'"), e);
        e = error("mcp_oauth_callback_port = \"8765\"\n");
        assertTrue(e.contains("key 'mcp_oauth_callback_port': expected an integer"), e);
    }
}
