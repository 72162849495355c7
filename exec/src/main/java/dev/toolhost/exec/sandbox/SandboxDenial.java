package dev.toolhost.exec.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Decides {@code sandboxDenied} for a sandboxed process (rules: docs/exec-protocol.md, "When sandboxDenied
 * is true"): never for exit 0; true when the output contains a denial signature; else false for 2, 126 and
 * 127, true for 159 (SIGSYS: a seccomp kill), false otherwise. Feed it every output chunk; it keeps a small
 * overlap so a signature split across chunks is still seen.
 */
public final class SandboxDenial {

    private static final List<String> SIGNATURES = List.of(
            "operation not permitted",
            "permission denied",
            "read-only file system",
            "seccomp",
            "sandbox",
            "landlock",
            "failed to write file");
    private static final int OVERLAP = 32;

    private String tail = "";
    private boolean signatureSeen;

    public synchronized void accept(byte[] data, int off, int len) {
        if (signatureSeen || len == 0) {
            return;
        }
        String text = tail + new String(data, off, len, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        for (String s : SIGNATURES) {
            if (text.contains(s)) {
                signatureSeen = true;
                return;
            }
        }
        tail = text.substring(Math.max(0, text.length() - OVERLAP));
    }

    public synchronized boolean signatureSeen() {
        return signatureSeen;
    }

    public boolean denied(int exitCode) {
        return denied(exitCode, signatureSeen());
    }

    public static boolean denied(int exitCode, boolean signatureSeen) {
        if (exitCode == 0) {
            return false;
        }
        if (signatureSeen) {
            return true;
        }
        return exitCode == 159;
    }
}
