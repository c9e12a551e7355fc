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
 * so runs never overlap here; the Postgres lock keeps other processes out) and answers requests on
 * {@code whitelist.pools.<chain>.sync} with the last published list in the full format: the same messages as on the
 * stream (numbered parts when it does not fit in one), sent to the request's reply subject. Owns one scheduler thread.
 */
public final class WhitelistService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WhitelistService.class);

    private final WhitelistRunner runner;
    private final WhitelistStore store;
    private final Connection nats;
    private final String chain;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("whitelist-runner").unstarted(r));
    private Dispatcher dispatcher;

    public WhitelistService(WhitelistRunner runner, WhitelistStore store, Connection nats, String chain) {
        this.runner = runner;
        this.store = store;
        this.nats = nats;
        this.chain = chain;
    }

    public WhitelistService start(Duration interval) {
        dispatcher = nats.createDispatcher(m -> {
            try {
                WhitelistStore.Snapshot s = store.latestPublished();
                if (s == null || m.getReplyTo() == null) {
                    LOG.info("sync request not answered: {}", s == null ? "no list published yet" : "no reply subject");
                    return;
                }
                WhitelistMessage full = new WhitelistMessage(UpdateType.FULL, chain, s.snapshotId(), null, Instant.ofEpochMilli(s.snapshotId()),
                        List.copyOf(s.pools().values()), List.copyOf(s.pools().keySet()));
                List<byte[]> parts = runner.publisher().prepare(full).full();
                for (byte[] part : parts) {
                    nats.publish(m.getReplyTo(), part);
                }
                LOG.info("answered a sync request with snapshot {} in {} messages", full.snapshotId(), parts.size());
            } catch (Exception e) {
                LOG.error("sync request failed: {}", e.toString());
            }
        });
        dispatcher.subscribe(new WhitelistSubjects(chain).sync());
        scheduler.scheduleWithFixedDelay(this::runSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("whitelist service started: chain={} interval={}", chain, interval);
        return this;
    }

    private void runSafely() {
        try {
            runner.runOnce();
        } catch (Exception e) {
            LOG.error("whitelist run failed, next run at the next interval: {}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (dispatcher != null) {
            nats.closeDispatcher(dispatcher);
        }
    }
}
