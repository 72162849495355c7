package dev.toolhost.exec.client;

import dev.toolhost.exec.OutputChunk;
import dev.toolhost.exec.OutputListener;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Records what a listener was given: the bytes per stream, in order, and every lost marker. */
final class Collector implements OutputListener {
    private final ByteArrayOutputStream all = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final List<OutputChunk> markers = new ArrayList<>();
    private final StringBuilder layout = new StringBuilder();
    private final List<Integer> markerOffsets = new ArrayList<>();

    @Override
    public synchronized void onOutput(OutputChunk chunk) {
        if (chunk.isLostMarker()) {
            markers.add(chunk);
            markerOffsets.add(all.size());
            layout.append("[lost]");
            return;
        }
        all.writeBytes(chunk.data());
        (chunk.stream().equals("stderr") ? stderr : stdout).writeBytes(chunk.data());
        layout.append(chunk.stream().equals("stderr") ? "E" : "O");
    }

    synchronized String text() {
        return all.toString(StandardCharsets.UTF_8);
    }

    synchronized String stdout() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    synchronized String stderr() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    synchronized List<OutputChunk> markers() {
        return List.copyOf(markers);
    }

    /** Where in {@link #text()} (as bytes) each lost marker was delivered. */
    synchronized List<Integer> markerOffsets() {
        return List.copyOf(markerOffsets);
    }

    /** One letter per delivered chunk (O stdout, E stderr) and [lost] per marker, in delivery order. */
    synchronized String layout() {
        return layout.toString();
    }
}
