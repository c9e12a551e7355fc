package io.poolstate.stress;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Bytes32;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.feed.client.FeedClient;
import io.poolstate.feed.client.PoolSetChange;
import io.poolstate.protocol.feed.FeedFrame;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * A feed consumer's check of the stream against the published whitelist. It keeps the forwarded set from the
 * {@code PoolSet} frames (as {@link FeedClient} delivers them) and at every {@code EndBlock}, forward or revert,
 * requires: the set equals {@link PublishedLog#at} the snapshot the block names, {@code forwarded_pools} equals
 * its size, that snapshot was published, and a block never names an older snapshot than its parent. Blocks must
 * chain: a forward block extends the last applied one (no gap, also across a resume), a revert undoes exactly the
 * last applied one. Every connection loss it was not told to expect, a rescrape and a refused resume are
 * differences too.
 *
 * <p>Called on the feed client's thread (one client at a time: a resumed consumer gets a new client with this
 * checker); the counters are read by any thread, all methods synchronised.
 */
public final class ForwardedSetChecker implements FeedClient.Listener {
    private static final int KEPT_BLOCKS = 1024;

    private final String name;
    private final PublishedLog log;
    private final Differences differences;
    private final ToLongFunction<Bytes32> headSeenNanos;
    private final Set<PoolId> set = new HashSet<>();
    private final TreeMap<Long, Bytes32> chain = new TreeMap<>();
    private final Map<Bytes32, Long> snapshotOf = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes32, Long> e) {
            return size() > 4 * KEPT_BLOCKS;
        }
    };
    private final Map<String, Long> counts = new HashMap<>();
    private final LongSamples latencies = new LongSamples();
    private volatile boolean measuring;
    private boolean expectDisconnect;
    private boolean afterRevert;
    private long revertedSnapshot;
    private long lastSnapshot;
    private long lastNumber;
    private Bytes32 lastHash = Bytes32.ZERO;

    /**
     * @param headSeenNanos when the harness saw a block announced by the node ({@link System#nanoTime()}), by hash; 0 when
     *                      it did not: the head → EndBlock latency is taken for blocks it saw
     */
    public ForwardedSetChecker(String name, PublishedLog log, Differences differences, ToLongFunction<Bytes32> headSeenNanos) {
        this.name = name;
        this.log = log;
        this.differences = differences;
        this.headSeenNanos = headSeenNanos;
    }

    /** Latencies are recorded only while measuring (the storm), not during start-up and the quiet end. */
    public void measuring(boolean on) {
        measuring = on;
    }

    /** The next connection loss is the harness's own doing (a consumer closed to resume it). */
    public synchronized void expectDisconnect() {
        expectDisconnect = true;
    }

    @Override
    public synchronized void onPoolSet(PoolSetChange c) {
        if (c.replace()) {
            set.clear();
            count("replacing pool sets");
        } else {
            count("pool-set changes");
        }
        set.removeAll(c.removed());
        set.addAll(c.added());
        if (set.size() != c.size()) {
            differ("pool set from block " + c.fromBlockNumber() + " holds " + set.size() + " pools, the client counts " + c.size());
        }
    }

    @Override
    public synchronized void onBlock(FeedBlock b) {
        long n = b.number();
        Bytes32 hash = b.begin().blockHash();
        FeedFrame.EndBlock end = b.end();
        long snapshot = end.whitelistSnapshotId();
        if (b.isRevert()) {
            count("reverts");
            Map.Entry<Long, Bytes32> tip = chain.lastEntry();
            if (tip != null && (tip.getKey() != n || !tip.getValue().equals(hash))) {
                differ("revert of block " + n + " " + hash + " but the last applied block is " + tip.getKey() + " " + tip.getValue());
            }
            chain.remove(n);
            afterRevert = true;
            revertedSnapshot = Math.max(revertedSnapshot, snapshot);
        } else {
            count("blocks");
            Map.Entry<Long, Bytes32> tip = chain.lastEntry();
            if (tip != null && (tip.getKey() != n - 1 || !tip.getValue().equals(b.begin().parentHash()))) {
                differ("block " + n + " " + hash + " does not extend the last applied block " + tip.getKey() + " " + tip.getValue());
            }
            Long parentSnapshot = snapshotOf.get(b.begin().parentHash());
            if (parentSnapshot != null && snapshot < parentSnapshot) {
                differ("block " + n + " names snapshot " + snapshot + ", older than its parent's " + parentSnapshot);
            }
            if (afterRevert) {
                count("reorgs");
                if (measuring) {
                    count("reorgs during the storm");
                    if (snapshot > revertedSnapshot) {
                        count("reorgs during the storm with whitelist updates applied at the replacement block");
                    }
                }
                afterRevert = false;
                revertedSnapshot = 0;
            }
            chain.put(n, hash);
            while (chain.size() > KEPT_BLOCKS) {
                chain.pollFirstEntry();
            }
            snapshotOf.put(hash, snapshot);
            lastSnapshot = snapshot;
            lastNumber = n;
            lastHash = hash;
            long seen = headSeenNanos.applyAsLong(hash);
            if (measuring && seen != 0) {
                latencies.add(System.nanoTime() - seen);
            }
        }
        check(b, n, snapshot);
    }

    private void check(FeedBlock b, long n, long snapshot) {
        String at = (b.isRevert() ? "revert of block " : "block ") + n + " " + b.begin().blockHash();
        if (b.end().forwardedPools() != set.size()) {
            differ(at + ": EndBlock forwards " + b.end().forwardedPools() + " pools, the pool set holds " + set.size());
        }
        Set<PoolId> expected = log.at(snapshot);
        if (expected == null) {
            differ(at + ": names snapshot " + snapshot + ", which was never published");
            return;
        }
        if (!expected.equals(set)) {
            Set<PoolId> missing = new HashSet<>(expected);
            missing.removeAll(set);
            Set<PoolId> extra = new HashSet<>(set);
            extra.removeAll(expected);
            differ(at + ": forwarded set differs from the whitelist fold at snapshot " + snapshot + ": missing=" + sample(missing) + " extra="
                    + sample(extra));
        }
    }

    @Override
    public synchronized void onDisconnect(String reason) {
        if (expectDisconnect) {
            expectDisconnect = false;
            return;
        }
        differ("connection lost: " + reason);
    }

    @Override
    public synchronized void onRescrape(FeedFrame.Rescrape r) {
        differ("rescrape from block " + r.fromBlockNumber() + ": " + r.reason());
        chain.clear();
    }

    @Override
    public synchronized void onResumeRejected(FeedFrame.ResumeRejected r) {
        differ("resume refused: " + r.reason() + " " + r.message());
        chain.clear();
    }

    /** The snapshot named by the newest forward block. */
    public synchronized long lastSnapshot() {
        return lastSnapshot;
    }

    /** The number of the newest forward block delivered. */
    public synchronized long lastNumber() {
        return lastNumber;
    }

    /** The newest forward block delivered. */
    public synchronized Bytes32 lastHash() {
        return lastHash;
    }

    /** The snapshot a forward block named, or null when this consumer did not get it (or it is long gone). */
    public synchronized Long snapshotOf(Bytes32 hash) {
        return snapshotOf.get(hash);
    }

    /** The forwarded set now. */
    public synchronized Set<PoolId> set() {
        return Set.copyOf(set);
    }

    public synchronized long count(String what, long dflt) {
        return counts.getOrDefault(what, dflt);
    }

    public synchronized Map<String, Long> counts() {
        return Map.copyOf(counts);
    }

    /** Head announced → EndBlock received, nanoseconds, for forward blocks while measuring. */
    public LongSamples latencies() {
        return latencies;
    }

    public String name() {
        return name;
    }

    private void count(String what) {
        counts.merge(what, 1L, Long::sum);
    }

    private void differ(String what) {
        differences.add(name + ": " + what);
    }

    private static String sample(Set<PoolId> ids) {
        return ids.size() <= 4 ? ids.toString() : ids.stream().limit(4).toList() + " and " + (ids.size() - 4) + " more";
    }
}
