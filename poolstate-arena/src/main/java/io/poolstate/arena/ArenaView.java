package io.poolstate.arena;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.eth.Bytes32;
import java.util.Map;

/**
 * What readers see: every served pool's state at the end of one block, named by number and hash. Immutable;
 * the arena's writer publishes a new one after each block, so a reader never sees half a block.
 *
 * @param scrapedAt           the block each served pool was read at (its state since then comes from applied events)
 * @param notServed           pools the feed forwards that are not served, with the reason (scrape failed, no
 *                            metadata, waiting for a scrape, its LP fee at this block could not be read)
 * @param forwarded           how many pools the feed forwards (the pool set it announced)
 * @param whitelistSnapshotId the whitelist snapshot of the pool set served (and counted in {@code forwarded}): named by this
 *                            block's {@code EndBlock}, or by a pool-set change the feed announced after it (0: none)
 */
public record ArenaView(long chainId, ArenaMode mode, long blockNumber, Bytes32 blockHash, Map<PoolId, PoolSnapshot> pools,
                        Map<PoolId, Long> scrapedAt, Map<PoolId, String> notServed, int forwarded, long whitelistSnapshotId,
                        long blocksApplied, long eventsApplied) {
    public static ArenaView starting(long chainId) {
        return new ArenaView(chainId, ArenaMode.BUFFERING, 0, Bytes32.ZERO, Map.of(), Map.of(), Map.of(), 0, 0, 0, 0);
    }

    /** A pool that differs between two views: {@code after} null when it left, {@code before} null when it joined. */
    @FunctionalInterface
    public interface PoolDifference {
        void accept(PoolId pool, PoolSnapshot before, PoolSnapshot after);
    }

    /**
     * Calls {@code d} for every pool whose snapshot in this view is not the same object as in {@code before} (changed or
     * joined) and for every pool of {@code before} this view does not serve (left). For two views the arena published only
     * the parts of the pool table they do not share are visited, so the cost follows what changed, not how many pools are
     * served. Any thread.
     */
    public void forEachDifference(ArenaView before, PoolDifference d) {
        if (before.pools instanceof PoolTable<PoolSnapshot> a && pools instanceof PoolTable<PoolSnapshot> b) {
            PoolTable.forEachDifference(a, b, d::accept);
            return;
        }
        for (Map.Entry<PoolId, PoolSnapshot> p : pools.entrySet()) {
            PoolSnapshot old = before.pools.get(p.getKey());
            if (old != p.getValue()) {
                d.accept(p.getKey(), old, p.getValue());
            }
        }
        for (Map.Entry<PoolId, PoolSnapshot> p : before.pools.entrySet()) {
            if (!pools.containsKey(p.getKey())) {
                d.accept(p.getKey(), p.getValue(), null);
            }
        }
    }

    /** The same view in another mode. */
    public ArenaView withMode(ArenaMode m) {
        return new ArenaView(chainId, m, blockNumber, blockHash, pools, scrapedAt, notServed, forwarded, whitelistSnapshotId, blocksApplied,
                eventsApplied);
    }
}
