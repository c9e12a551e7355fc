package io.poolstate.whales;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the snapshot thread ({@code whales-scheduler}): one snapshot at start-up, then one at the start of each
 * interval slot. An attempt that throws (database down, node unreachable) is logged and counted and retried at
 * the next slot; the thread keeps running until {@link #close()}.
 */
public final class WhaleSchedulerAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WhaleSchedulerAgent.class);

    private final WhaleTracker tracker;
    private final WhaleMetrics metrics;
    private final Duration interval;
    private final Thread thread;
    private volatile boolean running = true;

    public WhaleSchedulerAgent(WhaleTracker tracker, WhaleMetrics metrics, Duration interval) {
        this.tracker = tracker;
        this.metrics = metrics;
        this.interval = interval;
        this.thread = new Thread(this::run, "whales-scheduler");
    }

    public WhaleSchedulerAgent start() {
        LOG.info("whale tracker started: asset={} interval={}", tracker.store().asset(), interval);
        thread.start();
        return this;
    }

    private void run() {
        Instant at = Instant.now();
        while (running) {
            try {
                tracker.snapshot(at);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                metrics.failure("attempt");
                LOG.error("whale snapshot attempt failed: asset={} error={}", tracker.store().asset(), e.toString());
            }
            Instant next = tracker.slotOf(at).plus(interval);
            try {
                for (long ms = Duration.between(Instant.now(), next).toMillis(); ms > 0; ms = Duration.between(Instant.now(), next).toMillis()) {
                    Thread.sleep(ms);
                }
            } catch (InterruptedException e) {
                return;
            }
            at = next;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
    }
}
