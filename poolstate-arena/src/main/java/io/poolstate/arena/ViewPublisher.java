package io.poolstate.arena;

import io.poolstate.arena.mmap.ArenaFileWriter;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.state.PoolSnapshot;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what readers see: after each block (or pool-set change) an immutable {@link ArenaView} of the
 * served pools at the tip. Scrape blocks and the not-served list change rarely and are copied only then. A pool
 * whose LP fee at the tip is unknown ({@link LiveBook#lpFeesUnknown()}) is listed as not served, with the reason.
 * With an arena file ({@link #file}), each view is also written there: the pools that changed, then the block.
 *
 * Each published view goes to the {@link ViewListener}s, in order.
 *
 * <p>Single writer: the arena's writer thread; {@link #current()} from any thread.
 */
final class ViewPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(ViewPublisher.class);
    private final long chainId;
    private final ArenaMetrics metrics;
    private volatile ArenaView view;
    /** The served pools at the tip, shared with the previous view where they did not change (writer thread). */
    private PoolTable<PoolSnapshot> table = PoolTable.empty();
    private volatile long lastAdvanceNanos = System.nanoTime();
    private Map<PoolId, String> followerNotServed = Map.of();
    private ArenaFileWriter file;
    /** Pools left out of the last view for an unknown LP fee: they come back into the file when it is known. */
    private Set<PoolId> lastUnknownFees = Set.of();
    private final List<ViewListener> listeners = new CopyOnWriteArrayList<>();

    ViewPublisher(long chainId, ArenaMetrics metrics) {
        this.chainId = chainId;
        this.metrics = metrics;
        this.view = ArenaView.starting(chainId);
    }

    /** Tells {@code l} of every view published from now on (writer thread; it must not block). */
    void listen(ViewListener l) {
        listeners.add(l);
    }

    ArenaView current() {
        return view;
    }

    long lastAdvanceNanos() {
        return lastAdvanceNanos;
    }

    /** Also writes every view into {@code writer} (before the first one is published). */
    void file(ArenaFileWriter writer) {
        this.file = writer;
    }

    /** The same view in another mode. */
    void mode(ArenaMode m) {
        view = view.withMode(m);
        metrics.mode.set(m.ordinal());
        if (file != null) {
            file.mode(m);
        }
    }

    /** A new state (start-up): everything copied. */
    void reset(LiveBook book, PoolSetFollower follower, ArenaMode m) {
        book.takeScrapeInfoChanged();
        follower.takeChanged();
        book.takeChanges();
        table = PoolTable.of(book.snapshots());
        followerNotServed = Map.copyOf(follower.notServed());
        view = build(book, follower, m, Map.copyOf(book.scrapedAt()));
        metrics.mode.set(m.ordinal());
        lastAdvanceNanos = System.nanoTime();
        writeFile(view, null);
        tell(view, true);
    }

    /** The state at the tip now. */
    void publish(LiveBook book, PoolSetFollower follower, ArenaMode m) {
        ArenaView v = view;
        Map<PoolId, Long> scraped = book.takeScrapeInfoChanged() ? Map.copyOf(book.scrapedAt()) : v.scrapedAt();
        if (follower.takeChanged()) {
            followerNotServed = Map.copyOf(follower.notServed());
        }
        LiveBook.Changes c = book.takeChanges();
        table = table.with(c.ids(), c.put(), c.removed());
        ArenaView next = build(book, follower, m, scraped);
        if (next.blockNumber() != v.blockNumber() || !next.blockHash().equals(v.blockHash())) {
            lastAdvanceNanos = System.nanoTime();
        }
        view = next;
        metrics.mode.set(m.ordinal());
        if (file != null) {
            Set<PoolId> candidates = new HashSet<>(c.ids());
            candidates.addAll(c.removed());
            candidates.addAll(lastUnknownFees);
            candidates.addAll(book.lpFeesUnknown().keySet());
            writeFile(next, candidates);
        }
        tell(next, false);
    }

    /**
     * Writes the view's block into the arena file: {@code candidates} are the pools that may have changed (null: all).
     * A file that cannot be written (disk full, the 2 GiB limit) is closed — its readers see status closed and the
     * last block written — and counted, and the arena goes on serving its API.
     */
    private void writeFile(ArenaView v, Set<PoolId> candidates) {
        if (file == null) {
            return;
        }
        try {
            long records = file.recordsWritten();
            if (candidates == null) {
                file.publishAll(v);
            } else {
                file.publish(v, candidates);
            }
            metrics.arenaFileBlocks.increment();
            metrics.arenaFileRecords.increment(file.recordsWritten() - records);
            metrics.arenaFileGeneration.set(file.generation());
            lastUnknownFees = v.notServed().keySet(); // the view's own immutable map: no copy
        } catch (Exception e) {
            metrics.arenaFileFailures.increment();
            LOG.error("arena file write failed, the file is closed at its last block: file={} block={} reason={}", file.path(), v.blockNumber(), e.toString());
            file.close();
            file = null;
        }
    }

    private void tell(ArenaView v, boolean reset) {
        for (ViewListener l : listeners) {
            l.published(v, reset);
        }
    }

    /** The pools in the book are served, except those whose LP fee at the tip is unknown: listed as not served instead. */
    private ArenaView build(LiveBook book, PoolSetFollower follower, ArenaMode m, Map<PoolId, Long> scraped) {
        Map<PoolId, String> unknownFees = book.lpFeesUnknown();
        Map<PoolId, PoolSnapshot> pools;
        Map<PoolId, String> notServed;
        if (unknownFees.isEmpty()) {
            pools = table;
            notServed = followerNotServed;
        } else {
            pools = table.with(Map.of(), unknownFees.keySet());
            Map<PoolId, String> all = new HashMap<>(followerNotServed);
            all.putAll(unknownFees);
            notServed = Map.copyOf(all);
        }
        ArenaView next = new ArenaView(chainId, m, book.tipNumber(), book.tipHash(), pools, scraped, notServed,
                follower.forwarded(), book.whitelistSnapshotId(), book.blocksApplied(), book.eventsApplied());
        metrics.appliedBlock.set(next.blockNumber());
        metrics.pools.set(next.pools().size());
        metrics.poolsNotServed.set(notServed.size());
        metrics.poolsForwarded.set(next.forwarded());
        return next;
    }
}
