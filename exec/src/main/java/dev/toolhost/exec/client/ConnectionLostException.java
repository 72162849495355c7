package dev.toolhost.exec.client;

/** A request could not be answered because the connection dropped (or was not up) while it was pending. */
final class ConnectionLostException extends RuntimeException {
    ConnectionLostException(String message) {
        super(message);
    }
}
