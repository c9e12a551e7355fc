package io.poolstate.arena;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.RpcException;
import io.poolstate.feed.client.PoolSetChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the served pools equal to the pools the feed forwards. The feed announces each change of its set in
 * the stream, at the block boundary where it takes effect; a removed pool leaves the book there, an added pool
 * is read pinned at the tip — the last block before its events are forwarded — and joins in, so it gets every
 * event after it. A pool the arena cannot serve yet (no metadata from the catalog, a failed read) is listed with
 * the reason and tried again with backoff; one reverted below the block it was read at is read again.
 *
 * <p>Single writer: the arena's writer thread.
 */
final class PoolSetFollower {
    private static final Logger LOG = LoggerFactory.getLogger(PoolSetFollower.class);
    private static final long FIRST_RETRY_NANOS = 500_000_000L;
    private static final long MAX_RETRY_NANOS = 30_000_000_000L;

    /** A forwarded pool that is not served: why, and when to try again. */
    private record Waiting(String reason, long nextAttemptNanos, long backoffNanos) {
    }

    private final PoolCatalog catalog;
    private final PoolScraper scraper;
    private final ArenaMetrics metrics;
    private final Set<PoolId> forwarded = new LinkedHashSet<>();
    private final Map<PoolId, Waiting> waiting = new LinkedHashMap<>();
    private boolean known;
    private long catalogVersion = -1;
    private boolean changed = true;

    PoolSetFollower(PoolCatalog catalog, PoolScraper scraper, ArenaMetrics metrics) {
        this.catalog = catalog;
        this.scraper = scraper;
        this.metrics = metrics;
    }

    /** Whether the feed has named its pool set on this connection. */
    boolean known() {
        return known;
    }

    int forwarded() {
        return forwarded.size();
    }

    Set<PoolId> forwardedIds() {
        return forwarded;
    }

    /** True once since the last call when the not-served list changed (the view copies it only then). */
    boolean takeChanged() {
        boolean c = changed;
        changed = false;
        return c;
    }

    /** Forwarded pools not served, with the reason. */
    Map<PoolId, String> notServed() {
        Map<PoolId, String> m = new LinkedHashMap<>();
        waiting.forEach((id, w) -> m.put(id, w.reason()));
        return m;
    }

    /** Applies a change of the feed's set: removed pools leave the book now, added ones wait for {@link #join}. */
    void change(PoolSetChange c, LiveBook book) {
        if (c.replace()) {
            Set<PoolId> named = new HashSet<>(c.added()); // a list's contains would make a replace of N pools cost N * N
            for (PoolId id : List.copyOf(forwarded)) {
                if (!named.contains(id)) {
                    drop(id, book);
                }
            }
            forwarded.clear();
        }
        c.removed().forEach(id -> drop(id, book));
        for (PoolId id : c.added()) {
            forwarded.add(id);
            if (!book.serves(id) && !waiting.containsKey(id)) {
                waiting.put(id, new Waiting("waiting to be read", 0, FIRST_RETRY_NANOS));
            }
        }
        for (PoolId id : List.copyOf(book.served())) {
            if (!forwarded.contains(id)) {
                book.remove(id); // served but no longer forwarded (a checkpoint's pool the feed does not send)
            }
        }
        book.poolSetChanged(c.snapshotId());
        known = true;
        changed = true;
        metrics.poolSetChanges.increment();
        if (!c.added().isEmpty() || !c.removed().isEmpty() || c.replace()) {
            LOG.info("feed pool set {}: from_block={} snapshot={} added={} removed={} forwarded={}", c.replace() ? "named" : "changed",
                    c.fromBlockNumber(), c.snapshotId(), c.added().size(), c.removed().size(), forwarded.size());
        }
    }

    private void drop(PoolId id, LiveBook book) {
        forwarded.remove(id);
        waiting.remove(id);
        book.remove(id);
    }

    /** A forwarded pool was read and is served now (start-up's pinned read). */
    void joined(PoolId id) {
        if (waiting.remove(id) != null) {
            changed = true;
        }
    }

    /** Pools that must be read again (reverted below the block they were read at). */
    void reread(List<PoolId> ids) {
        for (PoolId id : ids) {
            if (forwarded.contains(id)) {
                waiting.put(id, new Waiting("reverted below the block it was read at; reading again", 0, FIRST_RETRY_NANOS));
                changed = true;
            }
        }
    }

    /** Whether some pool is due for a read. */
    boolean due() {
        if (waiting.isEmpty()) {
            return false;
        }
        long now = System.nanoTime();
        if (catalog.version() != catalogVersion) {
            return true;
        }
        for (Waiting w : waiting.values()) {
            if (now - w.nextAttemptNanos() >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the due pools at the tip (pinned by hash) and serves them from there. Pools without metadata, or
     * whose read failed, keep waiting with the reason and a growing delay.
     */
    void join(LiveBook book) {
        long now = System.nanoTime();
        boolean catalogMoved = catalog.version() != catalogVersion;
        catalogVersion = catalog.version();
        List<PoolDescriptor> read = new ArrayList<>();
        Map<PoolId, String> noMetadata = new HashMap<>();
        for (Map.Entry<PoolId, Waiting> e : waiting.entrySet()) {
            if (now - e.getValue().nextAttemptNanos() < 0 && !catalogMoved) {
                continue;
            }
            PoolDescriptor d = catalog.metadata(e.getKey());
            if (d == null) {
                noMetadata.put(e.getKey(), "no metadata for this pool in the whitelist catalog");
            } else {
                read.add(d);
            }
        }
        noMetadata.forEach((id, why) -> retryLater(id, why, now));
        if (read.isEmpty()) {
            return;
        }
        long at = book.tipNumber();
        ScrapeResult r;
        try {
            r = scraper.scrape(read, BlockRef.hash(book.tipHash()), at);
        } catch (RpcException e) {
            read.forEach(d -> retryLater(d.id(), "read at block " + at + " failed: " + e.getMessage(), now));
            return;
        }
        r.states().forEach((id, s) -> {
            book.put(s, at);
            waiting.remove(id);
        });
        if (!r.failures().isEmpty()) {
            metrics.scrapeFailures.increment(r.failures().size());
            LOG.error("pools not served, read failed (retrying): block={} {}", at, r.failureSummary());
            r.failures().forEach((id, why) -> retryLater(id, why, now));
        }
        changed = true;
        if (!r.states().isEmpty()) {
            LOG.info("pools joined: block={} read={} failed={} served={} waiting={}", at, r.states().size(), r.failures().size(),
                    book.served().size(), waiting.size());
        }
    }

    private void retryLater(PoolId id, String why, long now) {
        Waiting w = waiting.get(id);
        long backoff = w == null ? FIRST_RETRY_NANOS : Math.min(MAX_RETRY_NANOS, w.backoffNanos() * 2);
        waiting.put(id, new Waiting(why, now + backoff, backoff));
        changed = true;
    }
}
