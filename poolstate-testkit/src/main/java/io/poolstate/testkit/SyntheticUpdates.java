package io.poolstate.testkit;

import io.poolstate.dex.event.LogEncoder;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.eth.Bytes32;
import io.poolstate.protocol.feed.FeedFrame;
import java.math.BigInteger;

/**
 * Feed updates that set a pool's state, ABI-encoded as the pools log them ({@link LogEncoder}), for tests and harnesses
 * without a chain: a V2 {@code Sync} with given reserves, a V3 or V4 {@code Swap} leaving the pool at a given price
 * (Q64.96), tick and liquidity (amounts 1 and −1, zero sender and recipient; a V4 swap logs the pool's key fee).
 */
public final class SyntheticUpdates {
    private SyntheticUpdates() {
    }

    /** A V2 {@code Sync} of {@code pool} (a V2 pool) to {@code reserve0}/{@code reserve1} (uint112). */
    public static FeedFrame.PoolUpdate sync(long block, int log, Bytes32 tx, PoolDescriptor pool, BigInteger reserve0, BigInteger reserve1) {
        return update(block, log, tx, pool, LogEncoder.sync(reserve0, reserve1));
    }

    /** A {@code Swap} of {@code pool} (V3 or V4) leaving it at {@code sqrtPriceX96}, {@code tick} and {@code liquidity}. */
    public static FeedFrame.PoolUpdate swap(long block, int log, Bytes32 tx, PoolDescriptor pool, BigInteger sqrtPriceX96, int tick,
                                            BigInteger liquidity) {
        return update(block, log, tx, pool, LogEncoder.swap(pool, sqrtPriceX96, tick, liquidity));
    }

    private static FeedFrame.PoolUpdate update(long block, int log, Bytes32 tx, PoolDescriptor pool, LogEncoder.Encoded e) {
        return new FeedFrame.PoolUpdate(block, log, log, tx, pool.id(), e.kind(), e.topics(), e.data());
    }
}
