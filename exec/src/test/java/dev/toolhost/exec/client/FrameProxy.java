package dev.toolhost.exec.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A TCP proxy in front of a WebSocket exec-server, over real sockets. It can cut every live connection,
 * rewrite or drop whole server-to-client text messages (the filter returns null to drop), and delay each
 * direction by a fixed time (for latency A/B runs).
 */
public final class FrameProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final long delayNanos;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile Function<String, List<String>> serverToClient = List::of;
    private volatile boolean closed;

    public FrameProxy(URI upstreamWs, long delayMillisEachWay) throws IOException {
        this.upstream = new InetSocketAddress(upstreamWs.getHost(), upstreamWs.getPort());
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillisEachWay);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "frame-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public FrameProxy(URI upstreamWs) throws IOException {
        this(upstreamWs, 0);
    }

    public URI uri() {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort());
    }

    /** How many client connections were accepted so far (a reconnect makes a new one). */
    public int connections() {
        return connections.get();
    }

    /** Rewrites (or, returning null, drops) each server-to-client text message. */
    public void filter(UnaryOperator<String> filter) {
        this.serverToClient = text -> {
            String out = filter.apply(text);
            return out == null ? List.of() : List.of(out);
        };
    }

    /** Replaces each server-to-client text message by zero or more messages (to hold some back and reorder). */
    public void filterMany(Function<String, List<String>> filter) {
        this.serverToClient = filter;
    }

    /** Drops every live connection abruptly, as a network failure would. */
    public void cut() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        cut();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                client.setTcpNoDelay(true);
                Socket server = new Socket();
                server.setTcpNoDelay(true);
                try {
                    server.connect(upstream, 2000);
                } catch (IOException e) {
                    closeQuietly(client);
                    continue;
                }
                connections.incrementAndGet();
                sockets.add(client);
                sockets.add(server);
                start("frame-proxy-up", () -> pump(client, server, false));
                start("frame-proxy-down", () -> pump(server, client, true));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    /** Copies {@code from} to {@code to}; downstream (server to client) traffic is parsed into frames. */
    private void pump(Socket from, Socket to, boolean downstream) {
        Sender sender = new Sender(to);
        try {
            InputStream in = from.getInputStream();
            if (!downstream) {
                byte[] buf = new byte[65536];
                int n;
                while ((n = in.read(buf)) > 0) {
                    sender.send(Arrays.copyOf(buf, n));
                }
            } else {
                sender.send(readHttpHead(in));
                pumpFrames(in, sender);
            }
        } catch (IOException e) {
            // connection over
        } finally {
            sender.finish();
            closeQuietly(from);
        }
    }

    private static byte[] readHttpHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("eof in HTTP head");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    private void pumpFrames(InputStream in, Sender sender) throws IOException {
        ByteArrayOutputStream message = null;
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                return;
            }
            int b1 = readByte(in);
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0f;
            boolean masked = (b1 & 0x80) != 0;
            long len = b1 & 0x7f;
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            raw.write(b0);
            raw.write(b1);
            if (len == 126) {
                byte[] ext = in.readNBytes(2);
                raw.write(ext);
                len = ((ext[0] & 0xff) << 8) | (ext[1] & 0xff);
            } else if (len == 127) {
                byte[] ext = in.readNBytes(8);
                raw.write(ext);
                len = 0;
                for (byte e : ext) {
                    len = (len << 8) | (e & 0xff);
                }
            }
            byte[] mask = masked ? in.readNBytes(4) : null;
            if (mask != null) {
                raw.write(mask);
            }
            byte[] payload = in.readNBytes((int) len);
            if (payload.length < len) {
                return;
            }
            if (opcode == 1 || (opcode == 0 && message != null)) {
                if (mask != null) {
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= mask[i % 4];
                    }
                }
                if (message == null) {
                    message = new ByteArrayOutputStream();
                }
                message.write(payload);
                if (fin) {
                    List<String> texts = serverToClient.apply(message.toString(StandardCharsets.UTF_8));
                    message = null;
                    for (String text : texts) {
                        sender.send(textFrame(text.getBytes(StandardCharsets.UTF_8)));
                    }
                }
                continue;
            }
            raw.write(payload);
            sender.send(raw.toByteArray());
        }
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new IOException("eof in frame");
        }
        return b;
    }

    private static byte[] textFrame(byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 10);
        out.write(0x81);
        if (payload.length < 126) {
            out.write(payload.length);
        } else if (payload.length < 65536) {
            out.write(126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xff);
        } else {
            out.write(127);
            long len = payload.length;
            for (int i = 7; i >= 0; i--) {
                out.write((int) (len >>> (8 * i)) & 0xff);
            }
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

    /** Writes to one socket, each piece no earlier than its arrival time plus the configured delay. */
    private final class Sender {
        private static final byte[] END = new byte[0];
        private final Socket to;
        private final LinkedBlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();

        Sender(Socket to) {
            this.to = to;
            if (delayNanos > 0) {
                start("frame-proxy-delay", this::drain);
            }
        }

        void send(byte[] data) throws IOException {
            if (delayNanos == 0) {
                OutputStream out = to.getOutputStream();
                out.write(data);
                out.flush();
            } else {
                queue.add(new Object[] {System.nanoTime() + delayNanos, data});
            }
        }

        void finish() {
            if (delayNanos == 0) {
                closeQuietly(to);
            } else {
                queue.add(new Object[] {System.nanoTime() + delayNanos, END});
            }
        }

        private void drain() {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Object[] item = queue.take();
                    long due = (long) item[0];
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    byte[] data = (byte[]) item[1];
                    if (data == END) {
                        break;
                    }
                    out.write(data);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // connection over
            } finally {
                closeQuietly(to);
            }
        }
    }
}
