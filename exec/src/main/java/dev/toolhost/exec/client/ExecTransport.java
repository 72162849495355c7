package dev.toolhost.exec.client;

/** One connection to an exec-server carrying whole JSON-RPC messages: a WebSocket or a child's stdio. */
interface ExecTransport {

    /** Receives messages from one thread at a time, in arrival order. */
    interface Listener {
        void onMessage(String json);

        /** The connection ended (called once, also after {@link #close()}). */
        void onClosed(String reason);
    }

    /** Opens a new connection; for WebSocket each call is a fresh socket (used to reconnect). */
    interface Factory {
        ExecTransport connect(Listener listener) throws dev.toolhost.exec.ExecException;

        /** Whether a dropped connection can be replaced and the session resumed (WebSocket yes, stdio no). */
        boolean resumable();

        /** Names the endpoint in user-facing errors. */
        String describe();

        /** Releases what the factory holds (for WebSocket, the client's event loop). */
        default void close() {}
    }

    /** Sends one message; thread-safe, messages go out in call order. Fails quietly when closed. */
    void send(String json);

    void close();
}
