package dev.toolhost.exec.client;

import java.time.Duration;

/**
 * Tunables of the exec client.
 *
 * @param clientName              sent in {@code initialize}
 * @param cwdAsFileUri            send {@code cwd} as a {@code file://} URI (Codex 0.169) instead of a plain
 *                                absolute path (older servers, and Toolhost's, which accepts both)
 * @param finalRead               always issue one {@code process/read} before completing, even after a
 *                                complete pushed stream (the pre-push behaviour; for A/B benchmarks)
 * @param reconnectInterval       pause between reconnect attempts after a WebSocket drops
 * @param reconnectGiveUp         stop reconnecting after this long (under the server's 30 s session grace)
 * @param bufferedEventsPerProcess pushed events held per process (queued for delivery or ahead of order)
 *                                before further ones are dropped and recovered with one read
 * @param gapGrace                how long a seq hole may stay open (events produced concurrently can
 *                                arrive out of order) before a read fills it
 * @param requestTimeout          how long to wait for a reply to a request
 */
public record ClientOptions(
        String clientName,
        boolean cwdAsFileUri,
        boolean finalRead,
        Duration reconnectInterval,
        Duration reconnectGiveUp,
        int bufferedEventsPerProcess,
        Duration gapGrace,
        Duration requestTimeout) {

    public static ClientOptions defaults() {
        return new ClientOptions(
                "toolhost",
                false,
                false,
                Duration.ofMillis(100),
                Duration.ofSeconds(25),
                4096,
                Duration.ofMillis(20),
                Duration.ofSeconds(30));
    }

    public ClientOptions withCwdAsFileUri(boolean value) {
        return new ClientOptions(
                clientName,
                value,
                finalRead,
                reconnectInterval,
                reconnectGiveUp,
                bufferedEventsPerProcess,
                gapGrace,
                requestTimeout);
    }

    public ClientOptions withFinalRead(boolean value) {
        return new ClientOptions(
                clientName,
                cwdAsFileUri,
                value,
                reconnectInterval,
                reconnectGiveUp,
                bufferedEventsPerProcess,
                gapGrace,
                requestTimeout);
    }

    public ClientOptions withBufferedEventsPerProcess(int value) {
        return new ClientOptions(
                clientName,
                cwdAsFileUri,
                finalRead,
                reconnectInterval,
                reconnectGiveUp,
                value,
                gapGrace,
                requestTimeout);
    }

    public ClientOptions withReconnectGiveUp(Duration value) {
        return new ClientOptions(
                clientName,
                cwdAsFileUri,
                finalRead,
                reconnectInterval,
                value,
                bufferedEventsPerProcess,
                gapGrace,
                requestTimeout);
    }
}
