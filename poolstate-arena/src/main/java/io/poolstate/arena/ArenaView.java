package io.poolstate.arena;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.eth.Bytes32;
import java.util.Map;

/**
 * What readers see: every pool's state at the end of one block, named by number and hash. Immutable; the
 * arena's writer publishes a new one after each block, so a reader never sees half a block.
 *
 * @param scrapedAt the block each pool was read at (its state since then comes from applied events)
 * @param failures  pools that could not be scraped, with the reason
 */
public record ArenaView(long chainId, ArenaMode mode, long blockNumber, Bytes32 blockHash, Map<PoolId, PoolSnapshot> pools,
                        Map<PoolId, Long> scrapedAt, Map<PoolId, String> failures, long blocksApplied, long eventsApplied) {
    public static ArenaView starting(long chainId) {
        return new ArenaView(chainId, ArenaMode.BUFFERING, 0, Bytes32.ZERO, Map.of(), Map.of(), Map.of(), 0, 0);
    }
}
