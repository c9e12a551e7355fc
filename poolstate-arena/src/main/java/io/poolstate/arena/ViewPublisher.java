package io.poolstate.arena;

import io.poolstate.dex.pool.PoolId;
import java.util.Map;

/**
 * Publishes what readers see: after each block (or pool-set change) an immutable {@link ArenaView} of the
 * served pools at the tip. Scrape blocks and the not-served list change rarely and are copied only then.
 *
 * <p>Single writer: the arena's writer thread; {@link #current()} from any thread.
 */
final class ViewPublisher {
    private final long chainId;
    private final ArenaMetrics metrics;
    private volatile ArenaView view;
    /** The served pools at the tip, shared with the previous view where they did not change (writer thread). */
    private PoolTable<io.poolstate.dex.state.PoolSnapshot> table = PoolTable.empty();
    private volatile long lastAdvanceNanos = System.nanoTime();

    ViewPublisher(long chainId, ArenaMetrics metrics) {
        this.chainId = chainId;
        this.metrics = metrics;
        this.view = ArenaView.starting(chainId);
    }

    ArenaView current() {
        return view;
    }

    long lastAdvanceNanos() {
        return lastAdvanceNanos;
    }

    /** The same view in another mode. */
    void mode(ArenaMode m) {
        view = view.withMode(m);
        metrics.mode.set(m.ordinal());
    }

    /** A new state (start-up): everything copied. */
    void reset(LiveBook book, PoolSetFollower follower, ArenaMode m) {
        book.takeScrapeInfoChanged();
        follower.takeChanged();
        book.takeChanges();
        table = PoolTable.of(book.snapshots());
        view = build(book, follower, m, Map.copyOf(book.scrapedAt()), Map.copyOf(follower.notServed()));
        metrics.mode.set(m.ordinal());
        lastAdvanceNanos = System.nanoTime();
    }

    /** The state at the tip now. */
    void publish(LiveBook book, PoolSetFollower follower, ArenaMode m) {
        ArenaView v = view;
        Map<PoolId, Long> scraped = book.takeScrapeInfoChanged() ? Map.copyOf(book.scrapedAt()) : v.scrapedAt();
        Map<PoolId, String> notServed = follower.takeChanged() ? Map.copyOf(follower.notServed()) : v.notServed();
        LiveBook.Changes c = book.takeChanges();
        table = table.with(c.put(), c.removed());
        ArenaView next = build(book, follower, m, scraped, notServed);
        if (next.blockNumber() != v.blockNumber() || !next.blockHash().equals(v.blockHash())) {
            lastAdvanceNanos = System.nanoTime();
        }
        view = next;
        metrics.mode.set(m.ordinal());
    }

    private ArenaView build(LiveBook book, PoolSetFollower follower, ArenaMode m, Map<PoolId, Long> scraped, Map<PoolId, String> notServed) {
        ArenaView next = new ArenaView(chainId, m, book.tipNumber(), book.tipHash(), table, scraped, notServed,
                follower.forwarded(), book.whitelistSnapshotId(), book.blocksApplied(), book.eventsApplied());
        metrics.appliedBlock.set(next.blockNumber());
        metrics.pools.set(next.pools().size());
        metrics.poolsNotServed.set(notServed.size());
        metrics.poolsForwarded.set(next.forwarded());
        return next;
    }
}
