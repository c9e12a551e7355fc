package io.poolstate.arena;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.feed.whitelist.NatsWhitelistAgent;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pools the arena serves, with their metadata: a fixed list (from a file), or the whitelist's
 * {@code .full} subject on NATS (a full list replaces; add/remove apply on top of the snapshot they name; a gap
 * asks for a replay). Each change is offered to the arena, which takes it at a block boundary. Thread-safe.
 */
public final class PoolCatalog implements NatsWhitelistAgent.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(PoolCatalog.class);

    private final Map<PoolId, PoolDescriptor> pools = new LinkedHashMap<>();
    private final AtomicReference<List<PoolDescriptor>> change = new AtomicReference<>();
    private long snapshot;
    private boolean gap;

    /** A catalog that never changes. */
    public static PoolCatalog of(List<PoolDescriptor> fixed) {
        PoolCatalog c = new PoolCatalog();
        fixed.forEach(p -> c.pools.put(p.id(), p));
        return c;
    }

    /** An empty catalog filled from NATS. */
    public static PoolCatalog fromNats() {
        return new PoolCatalog();
    }

    public synchronized List<PoolDescriptor> current() {
        return List.copyOf(pools.values());
    }

    /** The newest list not yet taken, or null; the arena's writer calls this between blocks. */
    public List<PoolDescriptor> takeChange() {
        return change.getAndSet(null);
    }

    @Override
    public synchronized void replayed(List<WhitelistMessage> stored) {
        int lastFull = -1;
        for (int i = 0; i < stored.size(); i++) {
            if (stored.get(i).type() == UpdateType.FULL) {
                lastFull = i;
            }
        }
        if (lastFull < 0) {
            LOG.warn("no full pool list stored on NATS yet; waiting for one");
            return;
        }
        gap = false;
        for (WhitelistMessage m : stored.subList(lastFull, stored.size())) {
            if (!apply(m)) {
                LOG.warn("stored pool list has a gap at snapshot {}: using snapshot {} until a full list", m.snapshotId(), snapshot);
                gap = false; // replaying again would find the same gap
                break;
            }
        }
        offer();
    }

    @Override
    public synchronized void live(WhitelistMessage m) {
        if (apply(m)) {
            offer();
        } else {
            gap = true;
        }
    }

    @Override
    public synchronized boolean needsResync() {
        return gap;
    }

    private boolean apply(WhitelistMessage m) {
        if (m.type() != UpdateType.REMOVE && m.pools().isEmpty() && !m.poolIds().isEmpty()) {
            LOG.warn("ignoring a pool list without metadata (minimal format) on the full subject: snapshot={}", m.snapshotId());
            return true;
        }
        if (m.type() == UpdateType.FULL) {
            pools.clear();
            m.pools().forEach(p -> pools.put(p.id(), p));
        } else {
            if (m.prevSnapshotId() != null && m.prevSnapshotId() != snapshot) {
                return false;
            }
            if (m.type() == UpdateType.ADD) {
                m.pools().forEach(p -> pools.put(p.id(), p));
            } else {
                m.poolIds().forEach(pools::remove);
            }
        }
        snapshot = m.snapshotId() == null ? snapshot : m.snapshotId();
        return true;
    }

    private void offer() {
        change.set(List.copyOf(pools.values()));
    }
}
