package io.poolstate.whitelist;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.protocol.whitelist.WhitelistSubjects;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.whitelist.store.WhitelistStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the whitelist on a schedule (one run at start, then every {@code interval} after the previous one ended,
 * so runs never overlap here; the Postgres lock keeps other processes out). A run that fails (Postgres or NATS
 * restarting, the run lock lost) is retried with backoff — {@link #RETRY_FIRST}, doubling, at most
 * {@link #RETRY_MAX} and never later than the interval — so a snapshot it left pending is finished within seconds
 * of the database's return, not an interval later. Answers requests on
 * {@code whitelist.pools.<chain>.sync} with the last published list in the full format: the same messages as on the
 * stream (numbered parts when it does not fit in one), sent to the request's reply subject. Owns one scheduler thread
 * ({@code whitelist-runner-<chain>}): the services of several chains in one process run apart, a slow or failing run
 * of one never delays another.
 */
public final class WhitelistService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WhitelistService.class);

    private final WhitelistRunner runner;
    private final WhitelistStore store;
    private final Connection nats;
    private final String chain;
    /** The first retry after a failed run. */
    public static final Duration RETRY_FIRST = Duration.ofSeconds(1);
    /** The longest wait between retries (unless the interval is shorter). */
    public static final Duration RETRY_MAX = Duration.ofMinutes(1);

    private final ScheduledExecutorService scheduler;
    private Dispatcher dispatcher;
    private Duration interval;
    private int failures; // runs failed in a row; scheduler thread only

    public WhitelistService(WhitelistRunner runner, WhitelistStore store, Connection nats, String chain) {
        this.runner = runner;
        this.store = store;
        this.nats = nats;
        this.chain = chain;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("whitelist-runner-" + chain).unstarted(r));
    }

    public WhitelistService start(Duration interval) {
        dispatcher = nats.createDispatcher(m -> {
            try {
                WhitelistStore.Snapshot s = store.latestPublished();
                if (s == null || m.getReplyTo() == null) {
                    LOG.info("sync request not answered: chain={} {}", chain, s == null ? "no list published yet" : "no reply subject");
                    return;
                }
                WhitelistMessage full = new WhitelistMessage(UpdateType.FULL, chain, s.snapshotId(), null, Instant.ofEpochMilli(s.snapshotId()),
                        List.copyOf(s.pools().values()), List.copyOf(s.pools().keySet()));
                List<byte[]> parts = runner.publisher().prepare(full).full();
                for (byte[] part : parts) {
                    nats.publish(m.getReplyTo(), part);
                }
                LOG.info("answered a sync request with snapshot {} in {} messages: chain={}", full.snapshotId(), parts.size(), chain);
            } catch (Exception e) {
                LOG.error("sync request failed: chain={} reason={}", chain, e.toString());
            }
        });
        dispatcher.subscribe(new WhitelistSubjects(chain).sync());
        this.interval = interval;
        scheduler.execute(this::runAndSchedule);
        LOG.info("whitelist service started: chain={} interval={}", chain, interval);
        return this;
    }

    /** One run, then the next one scheduled: after {@code interval}, or sooner (backoff) after a failure. */
    private void runAndSchedule() {
        Duration next = interval;
        try {
            runner.runOnce();
            if (failures > 0) {
                LOG.info("whitelist run succeeded after {} failed attempts: chain={}", failures, chain);
            }
            failures = 0;
        } catch (Exception e) {
            failures++;
            next = retryDelay(failures, interval);
            LOG.error("whitelist run failed (attempt {} in a row), retrying in {} ms: chain={} reason={}", failures, next.toMillis(), chain, e.toString());
        } catch (Error e) {
            // an executor keeps a task's Error to itself: hand it to the thread's handler (the launcher's ends the process for a restart)
            Thread t = Thread.currentThread();
            t.getUncaughtExceptionHandler().uncaughtException(t, e);
            return;
        }
        try {
            scheduler.schedule(this::runAndSchedule, next.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed while this run ended: no next run
        }
    }

    /** The wait before retry number {@code failures} (1 = the first): {@link #RETRY_FIRST} doubling, capped at {@link #RETRY_MAX} and {@code interval}. */
    static Duration retryDelay(int failures, Duration interval) {
        Duration d = RETRY_FIRST.multipliedBy(1L << Math.min(failures - 1, 20));
        d = d.compareTo(RETRY_MAX) > 0 ? RETRY_MAX : d;
        return d.compareTo(interval) > 0 ? interval : d;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (dispatcher != null) {
            nats.closeDispatcher(dispatcher);
        }
    }
}
