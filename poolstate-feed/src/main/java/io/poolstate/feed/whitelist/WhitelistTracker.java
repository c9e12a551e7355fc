package io.poolstate.feed.whitelist;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the whitelist block-synchronised. Any thread {@link #offer}s updates; they queue. The follower thread
 * calls {@link #applyPending()} between blocks: queued updates are applied atomically, in arrival order (an add
 * then a remove of one pool nets out), and the new list is in force from the next block. A full list replaces;
 * a diff applies only on top of the snapshot it names ({@code prev_snapshot_id}); otherwise it is not applied,
 * the list in force stays, and {@link #needsResync()} asks the source for the latest full list.
 */
public final class WhitelistTracker {
    private static final Logger LOG = LoggerFactory.getLogger(WhitelistTracker.class);

    /** A queued update and when it arrived ({@link System#nanoTime()}). */
    private record Pending(WhitelistMessage message, long receivedNanos) {
    }

    /** What one {@link #applyPending()} did. {@code latenciesNanos}: arrival to application, per update applied. */
    public record Applied(int updates, int added, int removed, int skipped, List<Long> latenciesNanos) {
        static final Applied NONE = new Applied(0, 0, 0, 0, List.of());
    }

    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean resync = new AtomicBoolean();
    private final Set<Address> managers;
    private volatile Whitelist current = Whitelist.EMPTY;
    private int largestQueue;

    private final boolean logChanges;

    /** {@code managers}: the PoolManager addresses whose logs carry V4 events. */
    public WhitelistTracker(Set<Address> managers) {
        this(managers, true);
    }

    /** {@code logChanges} false for scratch trackers (folding a replay), which must not log as the list in force. */
    public WhitelistTracker(Set<Address> managers, boolean logChanges) {
        this.managers = Set.copyOf(managers);
        this.logChanges = logChanges;
    }

    public Set<Address> managers() {
        return managers;
    }

    /** Queues an update (any thread). */
    public void offer(WhitelistMessage m) {
        queue.add(new Pending(m, System.nanoTime()));
        int n = pending.incrementAndGet();
        synchronized (this) {
            largestQueue = Math.max(largestQueue, n);
        }
    }

    public int pendingUpdates() {
        return pending.get();
    }

    public synchronized int largestQueue() {
        return largestQueue;
    }

    /** The list in force (any thread). */
    public Whitelist current() {
        return current;
    }

    /** True after a diff could not be applied; cleared when a full list arrives. */
    public boolean needsResync() {
        return resync.get();
    }

    /** Applies everything queued, atomically. Follower thread only, between blocks. */
    public Applied applyPending() {
        if (queue.isEmpty()) {
            return Applied.NONE;
        }
        Whitelist w = current;
        Set<Address> addresses = new HashSet<>(w.addresses());
        Set<Bytes32> v4 = new HashSet<>(w.v4Ids());
        Map<PoolId, Protocol> protocols = new HashMap<>(w.protocols());
        long snapshot = w.snapshotId();
        int updates = 0;
        int added = 0;
        int removed = 0;
        int skipped = 0;
        List<Long> latencies = new ArrayList<>();
        Pending p;
        while ((p = queue.poll()) != null) {
            pending.decrementAndGet();
            WhitelistMessage m = p.message();
            if (m.type() == UpdateType.FULL) {
                removed += addresses.size() + v4.size();
                addresses.clear();
                v4.clear();
                protocols.clear();
                added += add(m, addresses, v4, protocols);
                snapshot = m.snapshotId() == null ? 0 : m.snapshotId();
                resync.set(false);
            } else if (m.snapshotId() != null && m.snapshotId() == snapshot && snapshot != 0) {
                skipped++; // the same snapshot again (a redelivery): already applied
                continue;
            } else if (resync.get() || (m.prevSnapshotId() != null && m.prevSnapshotId() != snapshot)) {
                if (!resync.getAndSet(true) && logChanges) {
                    LOG.warn("whitelist gap: update snapshot={} prev={} does not follow snapshot={}; keeping the list in force until a full list",
                            m.snapshotId(), m.prevSnapshotId(), snapshot);
                }
                skipped++;
                continue;
            } else if (m.type() == UpdateType.ADD) {
                added += add(m, addresses, v4, protocols);
                snapshot = m.snapshotId() == null ? snapshot : m.snapshotId();
            } else {
                for (PoolId id : m.poolIds()) {
                    boolean was = id.isV4() ? v4.remove(id.v4Id()) : addresses.remove(id.address());
                    protocols.remove(id);
                    removed += was ? 1 : 0;
                }
                snapshot = m.snapshotId() == null ? snapshot : m.snapshotId();
            }
            updates++;
            latencies.add(System.nanoTime() - p.receivedNanos());
        }
        current = new Whitelist(addresses, v4, protocols, snapshot);
        if (updates > 0 && logChanges) {
            LOG.info("whitelist applied: updates={} added={} removed={} size={} snapshot={}", updates, added, removed, current.size(), snapshot);
        }
        return new Applied(updates, added, removed, skipped, latencies);
    }

    private static int add(WhitelistMessage m, Set<Address> addresses, Set<Bytes32> v4, Map<PoolId, Protocol> protocols) {
        int n = 0;
        for (PoolId id : m.poolIds()) {
            n += (id.isV4() ? v4.add(id.v4Id()) : addresses.add(id.address())) ? 1 : 0;
        }
        for (PoolDescriptor d : m.pools()) {
            protocols.put(d.id(), d.protocol());
        }
        return n;
    }
}
