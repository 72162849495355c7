package dev.toolhost.host;

/**
 * A command whose {@code --json} output reports a failure too: besides the message on stderr, one JSON object on
 * stdout, so that a script reading stdout always gets JSON. {@link Cli} prints it for every failure, usage errors
 * included.
 */
interface JsonFailure {
    /** Whether --json was given (as parsed; {@link Cli} also looks at the raw arguments when parsing failed). */
    boolean jsonRequested();

    /** The failure as one line of JSON, in the shape the command's --json output already uses. */
    String jsonFailure(String message, int exitCode);
}
