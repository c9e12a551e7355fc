package io.poolstate.arena;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.nats.WhitelistSink;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata of the pools the arena may serve (tokens, fee, tick spacing, hooks, PoolManager): from a fixed
 * list (a pools file), or from the whitelist's {@code .full} subject on NATS, folded by the one
 * {@link WhitelistFold}. Which pools are served is the feed's to say (its pool-set frames); the catalog only
 * answers what a pool is. A pool's metadata never changes, so every pool ever listed stays known. Metadata that
 * does not describe a valid pool (see {@link PoolDescriptor#problem()}) is refused with the reason and counted.
 *
 * <p>Thread-safe: the NATS delivery thread writes, the arena's writer reads.
 */
public final class PoolCatalog implements WhitelistSink {
    private static final Logger LOG = LoggerFactory.getLogger(PoolCatalog.class);

    private final Map<PoolId, PoolDescriptor> known = new HashMap<>();
    private final WhitelistFold fold;
    private final AtomicLong version = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile String held;

    private PoolCatalog(WhitelistFold.Guard guard) {
        this.fold = new WhitelistFold(guard, true);
    }

    /** A catalog of a fixed list. */
    public static PoolCatalog of(List<PoolDescriptor> fixed) {
        PoolCatalog c = new PoolCatalog(WhitelistFold.Guard.NONE);
        fixed.forEach(c::learn);
        return c;
    }

    /** An empty catalog filled from NATS; {@code guard} holds drastic changes of the published list. */
    public static PoolCatalog fromNats(WhitelistFold.Guard guard) {
        return new PoolCatalog(guard);
    }

    /** A pool's metadata, or null when no list has described it (any thread). */
    public synchronized PoolDescriptor metadata(PoolId id) {
        return known.get(id);
    }

    /** Pools with metadata (any thread). */
    public synchronized int size() {
        return known.size();
    }

    /** Grows with every change of what is known: the writer re-reads waiting pools when it moves. */
    public long version() {
        return version.get();
    }

    /** Metadata refused since start. */
    public long refused() {
        return refused.get();
    }

    /** The published list in force (the fold's), for the status page. */
    public synchronized List<PoolDescriptor> published() {
        return fold.state().descriptors();
    }

    /** Why the newest drastic change of the published list was held, or null. */
    public String held() {
        return held;
    }

    @Override
    public synchronized void resynced(List<WhitelistMessage> fromLatestFull) {
        fromLatestFull.forEach(this::learnAll);
        report(fold.resync(fromLatestFull));
    }

    @Override
    public synchronized void live(WhitelistMessage m) {
        learnAll(m);
        report(fold.apply(m));
    }

    @Override
    public synchronized boolean needsResync() {
        return fold.needsResync();
    }

    @Override
    public void malformed(String subject, String reason) {
        refused.incrementAndGet();
    }

    private void report(WhitelistFold.Outcome o) {
        switch (o) {
            case WhitelistFold.Outcome.Held h -> {
                held = h.reason();
                LOG.error("published pool list held: {}", h.reason());
            }
            case WhitelistFold.Outcome.Applied a -> held = null;
            case WhitelistFold.Outcome.Rejected r -> {
                refused.incrementAndGet();
                LOG.warn("whitelist message rejected: {}", r.reason());
            }
            case WhitelistFold.Outcome.Gap g -> LOG.warn("whitelist gap on the full subject: {}; re-syncing", g.reason());
            case WhitelistFold.Outcome.Duplicate d -> {
            }
        }
    }

    private void learnAll(WhitelistMessage m) {
        m.pools().forEach(this::learn);
    }

    private synchronized void learn(PoolDescriptor d) {
        String problem = d.problem();
        if (problem != null) {
            refused.incrementAndGet();
            LOG.warn("pool metadata refused: pool={} reason={}", d.id(), problem);
            return;
        }
        if (!d.equals(known.put(d.id(), d))) {
            version.incrementAndGet();
        }
    }
}
