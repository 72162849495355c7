package dev.toolhost.config;

/**
 * A configuration problem a user must fix. The message is complete and user-facing (it names the
 * file, line, key and what was expected); callers print it as is and exit with status 2.
 */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
