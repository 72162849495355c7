package dev.toolhost.exec.local;

import dev.toolhost.exec.sandbox.BwrapSandbox;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads and the sandbox that managed processes share: blocking pipe readers, exit watchers
 * and stdin writers run on one cached pool of daemon threads (idle ones exit after a minute, so
 * there is nothing to close: exit notifications of killed processes still need it). One per backend or server.
 */
public final class ProcessIo {

    private final ExecutorService pool;
    private final BwrapSandbox sandbox;

    public ProcessIo(BwrapSandbox sandbox) {
        this.sandbox = sandbox;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "exec-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newCachedThreadPool(threads);
    }

    public ProcessIo() {
        this(new BwrapSandbox());
    }

    public ExecutorService pool() {
        return pool;
    }

    public BwrapSandbox sandbox() {
        return sandbox;
    }
}
