package dev.toolhost.exec.client;

import dev.toolhost.exec.ExecException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** The exec protocol over a spawned server's stdin/stdout, one JSON message per line. Its stderr is inherited. */
final class StdioClientTransport implements ExecTransport {

    private final Process process;
    private final OutputStream stdin;
    private final Listener listener;
    private final AtomicBoolean closed = new AtomicBoolean();

    private StdioClientTransport(Process process, Listener listener) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.listener = listener;
    }

    static Factory factory(List<String> command) {
        List<String> argv = List.copyOf(command);
        return new Factory() {
            @Override
            public ExecTransport connect(Listener listener) throws ExecException {
                Process process;
                try {
                    process = new ProcessBuilder(argv)
                            .redirectError(ProcessBuilder.Redirect.INHERIT)
                            .start();
                } catch (IOException e) {
                    throw new ExecException("cannot start exec-server command " + argv + ": " + e.getMessage(), e);
                }
                StdioClientTransport transport = new StdioClientTransport(process, listener);
                Thread reader = new Thread(transport::readLoop, "toolhost-exec-stdio-" + process.pid());
                reader.setDaemon(true);
                reader.start();
                return transport;
            }

            @Override
            public boolean resumable() {
                return false;
            }

            @Override
            public String describe() {
                return "stdio exec-server " + argv;
            }
        };
    }

    private void readLoop() {
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!line.isBlank() && !closed.get()) {
                    listener.onMessage(line);
                }
            }
        } catch (IOException e) {
            // falls through: the connection is over either way
        }
        String reason = "the exec-server's stdout closed";
        try {
            if (process.waitFor(2, TimeUnit.SECONDS)) {
                reason = "the exec-server process exited with code " + process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finish(reason);
    }

    @Override
    public void send(String json) {
        byte[] line = (json + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (stdin) {
            try {
                stdin.write(line);
                stdin.flush();
            } catch (IOException e) {
                finish("cannot write to the exec-server: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        try {
            synchronized (stdin) {
                stdin.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        process.destroy();
        finish("closed by client");
    }

    private void finish(String reason) {
        if (closed.compareAndSet(false, true)) {
            listener.onClosed(reason);
        }
    }
}
