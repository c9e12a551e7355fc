package io.poolstate.feed.whitelist;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Address;
import io.poolstate.nats.WhitelistSink;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.protocol.whitelist.WhitelistFold.Outcome;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the feed's whitelist block-synchronised. Any thread offers updates (a message, or a source's re-sync);
 * they queue. The follower thread calls {@link #applyPending()} between blocks: the queued updates go through
 * the {@link WhitelistFold} in arrival order, atomically, and the new list is in force from the next block. A
 * diff that does not follow the list in force changes nothing and asks the source for a re-sync; a list the
 * fold's guard holds (empty, drastically shrunken) changes nothing and is reported.
 *
 * <p>Queue: any thread. Fold and {@link #current()}'s value: written by the follower thread only.
 */
public final class WhitelistTracker implements WhitelistSink {
    private static final Logger LOG = LoggerFactory.getLogger(WhitelistTracker.class);

    /** A queued update and when it arrived ({@link System#nanoTime()}): one message, or a whole re-sync. */
    private record Pending(WhitelistMessage message, List<WhitelistMessage> resync, long receivedNanos) {
    }

    /**
     * What one {@link #applyPending()} did: the pools that entered and left the list, how many updates were
     * applied, skipped as duplicates, refused (gap, held, rejected), and each applied update's queue latency.
     */
    public record Applied(int updates, List<PoolId> added, List<PoolId> removed, int duplicates, int refused, List<Long> latenciesNanos) {
        static final Applied NONE = new Applied(0, List.of(), List.of(), 0, 0, List.of());

        public boolean changed() {
            return !added.isEmpty() || !removed.isEmpty();
        }
    }

    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger largestQueue = new AtomicInteger();
    private final AtomicBoolean resync = new AtomicBoolean();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong held = new AtomicLong();
    private final Set<Address> managers;
    private final WhitelistFold fold;
    private volatile Whitelist current = Whitelist.EMPTY;
    private volatile String heldReason;

    /** {@code managers}: the PoolManager addresses whose logs carry V4 events; {@code guard}: what is held. */
    public WhitelistTracker(Set<Address> managers, WhitelistFold.Guard guard) {
        this.managers = Set.copyOf(managers);
        this.fold = new WhitelistFold(guard, true); // metadata, where given, names each pool's protocol in metrics
    }

    public Set<Address> managers() {
        return managers;
    }

    /** Queues an update (any thread). */
    public void offer(WhitelistMessage m) {
        enqueue(new Pending(m, null, System.nanoTime()));
    }

    @Override
    public void live(WhitelistMessage message) {
        offer(message);
    }

    @Override
    public void resynced(List<WhitelistMessage> fromLatestFull) {
        enqueue(new Pending(null, List.copyOf(fromLatestFull), System.nanoTime()));
    }

    @Override
    public boolean needsResync() {
        return resync.get();
    }

    @Override
    public void malformed(String subject, String reason) {
        malformed.incrementAndGet();
    }

    private void enqueue(Pending p) {
        queue.add(p);
        largestQueue.accumulateAndGet(pending.incrementAndGet(), Math::max);
    }

    public int pendingUpdates() {
        return pending.get();
    }

    public int largestQueue() {
        return largestQueue.get();
    }

    /** Messages that could not be read, since start. */
    public long malformedMessages() {
        return malformed.get();
    }

    /** Lists held by the guard since start. */
    public long heldLists() {
        return held.get();
    }

    /** Why the newest drastic change was held, or null when the last list in force was applied normally. */
    public String heldReason() {
        return heldReason;
    }

    /** The list in force (any thread). */
    public Whitelist current() {
        return current;
    }

    /** Applies everything queued, atomically. Follower thread only, between blocks. */
    public Applied applyPending() {
        if (queue.isEmpty()) {
            return Applied.NONE;
        }
        Set<PoolId> before = current.ids();
        int updates = 0;
        int duplicates = 0;
        int refused = 0;
        List<Long> latencies = new ArrayList<>();
        Pending p;
        while ((p = queue.poll()) != null) {
            pending.decrementAndGet();
            Outcome o = p.resync() != null ? fold.resync(p.resync()) : fold.apply(p.message());
            switch (o) {
                case Outcome.Applied a -> {
                    updates++;
                    latencies.add(System.nanoTime() - p.receivedNanos());
                }
                case Outcome.Duplicate d -> duplicates++;
                case Outcome.Gap g -> {
                    refused++;
                    if (!resync.getAndSet(true)) {
                        LOG.warn("whitelist gap: {}; keeping the list in force until a re-sync", g.reason());
                    }
                }
                case Outcome.Held h -> {
                    refused++;
                    held.incrementAndGet();
                    heldReason = h.reason();
                    LOG.error("whitelist change held, not applied: {}; the list in force stays (allow it with --whitelist-allow-shrink)", h.reason());
                }
                case Outcome.Rejected r -> {
                    refused++;
                    malformed.incrementAndGet();
                    LOG.warn("whitelist message rejected: {}", r.reason());
                }
            }
        }
        resync.set(fold.needsResync());
        if (fold.held() == null) {
            heldReason = null;
        }
        if (updates == 0) {
            return new Applied(0, List.of(), List.of(), duplicates, refused, List.of());
        }
        Whitelist next = Whitelist.of(fold.state());
        Set<PoolId> after = next.ids();
        List<PoolId> added = after.stream().filter(id -> !before.contains(id)).toList();
        List<PoolId> removed = before.stream().filter(id -> !after.contains(id)).toList();
        current = next;
        LOG.info("whitelist applied: updates={} added={} removed={} size={} snapshot={}", updates, added.size(), removed.size(), next.size(),
                next.snapshotId());
        return new Applied(updates, added, removed, duplicates, refused, latencies);
    }
}
