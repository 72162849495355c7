package dev.toolhost.exec;

/**
 * A piece of output. When the retained window evicted output before it could be delivered, a chunk
 * with {@code lostBytes > 0} and empty {@code data} marks the hole: output is never silently skipped.
 *
 * @param stream     "stdout", "stderr" or "pty" ("lost" for a marker)
 * @param lostChunks for a marker, how many output chunks (seqs) are missing; 0 when unknown or not a marker
 */
public record OutputChunk(String stream, byte[] data, long lostBytes, long lostChunks) {

    public OutputChunk(String stream, byte[] data, long lostBytes) {
        this(stream, data, lostBytes, 0);
    }

    public static OutputChunk lost(long bytes) {
        return new OutputChunk("lost", new byte[0], bytes, 0);
    }

    /** A marker for {@code chunks} missing chunks holding (at least) {@code bytes} bytes. */
    public static OutputChunk lost(long bytes, long chunks) {
        return new OutputChunk("lost", new byte[0], bytes, chunks);
    }

    public boolean isLostMarker() {
        return lostBytes > 0 || lostChunks > 0;
    }
}
