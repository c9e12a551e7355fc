package io.poolstate.whales;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the snapshot thread ({@code whales-scheduler}): one snapshot at start-up, then one at the start of each
 * interval slot. An attempt that throws (database down or restarting, the snapshot lock lost, node unreachable
 * before anything could be recorded) is logged and counted and retried within its slot with backoff —
 * {@link #RETRY_FIRST}, doubling, at most {@link #RETRY_MAX} — so a database restart costs seconds, not the slot;
 * once the slot is over, the next slot's attempt takes over. A snapshot that failed and was stored as incomplete
 * waits for the next slot. The thread keeps running until {@link #close()}.
 */
public final class WhaleSchedulerAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WhaleSchedulerAgent.class);
    /** The first retry after an attempt that threw. */
    public static final Duration RETRY_FIRST = Duration.ofSeconds(1);
    /** The longest wait between retries within a slot. */
    public static final Duration RETRY_MAX = Duration.ofMinutes(1);

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
        int failures = 0;
        while (running) {
            Instant next = tracker.slotOf(at).plus(interval);
            try {
                tracker.snapshot(at);
                failures = 0;
            } catch (Exception e) {
                if (!running) {
                    return; // closed: the interrupt was ours
                }
                failures++;
                metrics.failure("attempt");
                Instant retry = Instant.now().plus(retryDelay(failures));
                if (retry.isBefore(next)) {
                    LOG.error("whale snapshot attempt failed: asset={} slot={} attempt={} retry_in_ms={} error={}", tracker.store().asset(),
                            tracker.slotOf(at), failures, Duration.between(Instant.now(), retry).toMillis(), e.toString());
                    next = retry;
                } else {
                    LOG.error("whale snapshot attempt failed: asset={} slot={} attempt={} next=the next slot error={}", tracker.store().asset(),
                            tracker.slotOf(at), failures, e.toString());
                    failures = 0;
                }
                Thread.interrupted(); // an interrupt that was not close()'s (a lost lock's) must not end the wait below
                if (!running) {
                    return;
                }
            }
            try {
                for (long ms = Duration.between(Instant.now(), next).toMillis(); ms > 0; ms = Duration.between(Instant.now(), next).toMillis()) {
                    Thread.sleep(ms);
                }
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            }
            at = next;
        }
    }

    /** The wait before retry number {@code failures} (1 = the first): {@link #RETRY_FIRST} doubling, at most {@link #RETRY_MAX}. */
    static Duration retryDelay(int failures) {
        Duration d = RETRY_FIRST.multipliedBy(1L << Math.min(failures - 1, 20));
        return d.compareTo(RETRY_MAX) > 0 ? RETRY_MAX : d;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
    }
}
