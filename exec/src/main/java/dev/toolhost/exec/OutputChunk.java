package dev.toolhost.exec;

/**
 * A piece of output. When the retained window evicted output before it could be delivered, a chunk
 * with {@code lostBytes > 0} and empty {@code data} marks the hole: output is never silently skipped.
 *
 * @param stream "stdout", "stderr" or "pty"
 */
public record OutputChunk(String stream, byte[] data, long lostBytes) {
    public static OutputChunk lost(long bytes) {
        return new OutputChunk("lost", new byte[0], bytes);
    }

    public boolean isLostMarker() {
        return lostBytes > 0;
    }
}
