package dev.toolhost.exec;

/**
 * How a process ended.
 *
 * @param exitCode      the exit code (128 + signal when killed by one)
 * @param sandboxDenied the sandbox blocked it (see the denial rules in docs/exec-protocol.md)
 * @param bytesLost     output bytes evicted before they could be delivered
 * @param failure       why the process could not run or was lost, or null
 */
public record ExitStatus(int exitCode, boolean sandboxDenied, long bytesLost, String failure) {}
