package dev.toolhost.mcp.client.oauth;

import dev.toolhost.config.AtomicFiles;
import dev.toolhost.config.ToolhostHome;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where sign-ins are kept: {@code $TOOLHOST_HOME/mcp-credentials.json}, owner-only (0600), one entry per
 * configured server name. An entry is used only for the URL it was made for, and its clients and tokens
 * are stamped with the issuer of the authorization server that issued them (never sent to another).
 * Read-modify-write happens under a file lock, so two Toolhost processes do not lose each other's refresh; a
 * refresh itself runs under it too, so that processes sharing the file refresh one sign-in once (see
 * {@link ServerAuthorization}).
 */
public final class CredentialStore {
    static final String FILE_NAME = "mcp-credentials.json";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** A registered (or configured, or metadata-document) client at one authorization server. */
    public record Client(String clientId, String clientSecret, String tokenEndpointAuthMethod, String redirectUri) {}

    /**
     * Tokens from one authorization server.
     *
     * @param obtainedAt epoch seconds when the token came
     * @param expiresAt  epoch seconds, or null when the server gave no lifetime
     */
    public record Tokens(
            String issuer,
            String accessToken,
            String refreshToken,
            long obtainedAt,
            Long expiresAt,
            List<String> scopes,
            String tokenEndpoint,
            String resource) {
        public Tokens {
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
        }
    }

    /** One server's sign-in: its URL, the clients per issuer, the current tokens. */
    public record Entry(String serverUrl, Map<String, Client> clients, Tokens tokens) {
        public Entry {
            clients = clients == null ? Map.of() : Map.copyOf(clients);
        }

        Entry withClient(String issuer, Client client) {
            Map<String, Client> c = new LinkedHashMap<>(clients);
            c.put(issuer, client);
            return new Entry(serverUrl, c, tokens);
        }

        Entry withTokens(Tokens t) {
            return new Entry(serverUrl, clients, t);
        }
    }

    record FileContent(int version, Map<String, Entry> servers) {
        FileContent {
            servers = servers == null ? Map.of() : servers;
        }
    }

    /** File locks belong to the whole JVM (a second lock throws): one holder per process at a time. */
    private static final Object PROCESS_LOCK = new Object();

    private final Path file;

    public CredentialStore(Path file) {
        this.file = file;
    }

    public static CredentialStore atHome() {
        return new CredentialStore(ToolhostHome.dir().resolve(FILE_NAME));
    }

    public Path file() {
        return file;
    }

    /** The entry for {@code name} when it was made for {@code serverUrl}. */
    public Optional<Entry> load(String name, String serverUrl) {
        Entry e = read().servers().get(name);
        return e != null && serverUrl.equals(e.serverUrl()) ? Optional.of(e) : Optional.empty();
    }

    /**
     * Replaces the entry with what {@code change} makes of the current one (an empty entry when there is none
     * yet). {@code change} runs under the lock, which every Toolhost process sharing the file waits for: it
     * may make a bounded network request (a refresh), never wait on a person. When it throws, nothing is written.
     */
    public Entry update(String name, String serverUrl, UnaryOperator<Entry> change) {
        return locked(() -> {
            Map<String, Entry> servers = new LinkedHashMap<>(read().servers());
            Entry current = servers.get(name);
            if (current != null && !serverUrl.equals(current.serverUrl())) {
                current = null;
            }
            Entry next = change.apply(current == null ? new Entry(serverUrl, Map.of(), null) : current);
            servers.put(name, next);
            write(new FileContent(1, servers));
            return next;
        });
    }

    /** Removes the entry; true when there was one. */
    public boolean remove(String name) {
        return locked(() -> {
            Map<String, Entry> servers = new LinkedHashMap<>(read().servers());
            if (servers.remove(name) == null) {
                return false;
            }
            write(new FileContent(1, servers));
            return true;
        });
    }

    private FileContent read() {
        if (!Files.exists(file)) {
            return new FileContent(1, Map.of());
        }
        try {
            FileContent c = JSON.readValue(Files.readString(file), FileContent.class);
            if (c == null) {
                throw new OAuthException(corrupt("it is empty"));
            }
            return c;
        } catch (JacksonException e) {
            throw new OAuthException(corrupt(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new OAuthException("cannot read the MCP credentials file " + file + ": " + e.getMessage(), e);
        }
    }

    private String corrupt(String why) {
        return "the MCP credentials file " + file + " is corrupt (" + why + "); delete it and sign in again with "
                + "`toolhost mcp login NAME`";
    }

    private void write(FileContent content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (Files.exists(file)) {
                restrict(file);
            }
            AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(content));
            restrict(file);
        } catch (IOException e) {
            throw new OAuthException("cannot write the MCP credentials file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void restrict(Path p) throws IOException {
        try {
            Files.setPosixFilePermissions(p, OWNER_ONLY);
        } catch (UnsupportedOperationException notPosix) {
            // the temp file AtomicFiles creates is already private to the user on such systems
        }
    }

    private interface Locked<T> {
        T run();
    }

    private <T> T locked(Locked<T> body) {
        Path lock = file.resolveSibling(file.getFileName() + ".lock");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            synchronized (PROCESS_LOCK) {
                try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock ignored = ch.lock()) {
                    return body.run();
                }
            }
        } catch (IOException e) {
            throw new OAuthException("cannot lock the MCP credentials file " + file + ": " + e.getMessage(), e);
        }
    }
}
