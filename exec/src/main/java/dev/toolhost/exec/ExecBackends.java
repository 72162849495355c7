package dev.toolhost.exec;

import dev.toolhost.config.Redact;
import dev.toolhost.config.ToolhostConfig;
import dev.toolhost.exec.client.ClientOptions;
import dev.toolhost.exec.client.RemoteExecBackend;
import dev.toolhost.exec.local.LocalExecBackend;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The one place that decides, from config, whether processes run here or on a remote exec-server. */
public final class ExecBackends {
    private ExecBackends() {}

    /**
     * A {@link LocalExecBackend} when {@code exec_server_url} is not set, else a {@link RemoteExecBackend}
     * connected over WebSocket with the bearer token read from {@code exec_server_token_file}.
     *
     * @throws ExecException naming the URL or file when the token cannot be read, the server is unreachable
     *                       or it rejects the token
     */
    public static ExecBackend create(ToolhostConfig config) throws ExecException {
        String url = config.execServerUrl();
        if (url == null || url.isBlank()) {
            return new LocalExecBackend();
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new Misconfigured("exec_server_url '" + Redact.url(url) + "' is not a valid URL: " + e.getReason());
        }
        String token = config.execServerTokenFile() == null ? null : readToken(config.execServerTokenFile());
        return RemoteExecBackend.connect(uri, token, ClientOptions.defaults());
    }

    /** The config names no usable exec-server (a bad URL, a token file that is missing or empty): fix the config. */
    public static final class Misconfigured extends ExecException {
        Misconfigured(String message) {
            super(message);
        }
    }

    private static String readToken(Path file) throws ExecException {
        String token;
        try {
            token = Files.readString(file).strip();
        } catch (NoSuchFileException e) {
            throw new Misconfigured("exec_server_token_file " + file + " does not exist");
        } catch (IOException e) {
            throw new Misconfigured("cannot read exec_server_token_file " + file + ": " + e.getMessage());
        }
        if (token.isEmpty()) {
            throw new Misconfigured("exec_server_token_file " + file + " is empty");
        }
        return token;
    }
}
