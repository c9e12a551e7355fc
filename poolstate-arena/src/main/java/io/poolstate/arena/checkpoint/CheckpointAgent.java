package io.poolstate.arena.checkpoint;

import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaView;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes checkpoints on its own thread, off the arena's apply path: the writer thread {@link #offer}s the view it just
 * published (immutable, so it can be written while the next blocks are applied) and returns at once; this agent's
 * thread writes the newest view offered, skipping views superseded while a write was under way. A failed write is
 * logged and counted, and the next offer tries again; the thread never dies silently.
 *
 * <p>Threads: {@link #offer} from the arena's writer thread; its own thread ({@code arena-checkpoint}) writes.
 */
public final class CheckpointAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointAgent.class);

    private final CheckpointStore store;
    private final ArenaMetrics metrics;
    private final AtomicReference<ArenaView> pending = new AtomicReference<>();
    private final Object signal = new Object();
    private volatile boolean running = true;
    private final Thread thread;

    public CheckpointAgent(CheckpointStore store, ArenaMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
        this.thread = Thread.ofPlatform().daemon().name("arena-checkpoint").unstarted(this::run);
    }

    public CheckpointAgent start() {
        thread.start();
        return this;
    }

    /** Asks for {@code v} to be written; replaces a view offered earlier and not yet written. */
    public void offer(ArenaView v) {
        pending.set(v);
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Writes {@code v} now on the calling thread (shutdown); waits for a write under way. */
    public void writeNow(ArenaView v) {
        pending.set(null);
        write(v);
    }

    private void run() {
        while (running) {
            ArenaView v = pending.getAndSet(null);
            if (v == null) {
                synchronized (signal) {
                    try {
                        if (pending.get() == null && running) {
                            signal.wait(1000);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                continue;
            }
            try {
                write(v);
            } catch (RuntimeException e) {
                metrics.threadFailures.increment();
                LOG.error("checkpoint thread: unexpected failure, continuing: {}", e.toString());
            }
        }
    }

    private void write(ArenaView v) {
        long t0 = System.nanoTime();
        try {
            long bytes = store.write(v);
            metrics.checkpointWrite.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            metrics.checkpointBytes.set(bytes);
            metrics.checkpointBlock.set(v.blockNumber());
        } catch (IOException e) {
            metrics.checkpointFailures.increment();
            LOG.error("checkpoint failed: file={} block={} reason={}", store.file(), v.blockNumber(), e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
