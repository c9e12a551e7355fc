package io.poolstate.testkit;

import io.poolstate.dex.event.EventKind;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.eth.Bytes32;
import io.poolstate.protocol.feed.FeedFrame;
import java.math.BigInteger;
import java.util.List;

/**
 * Feed updates that set a pool's state, ABI-encoded as the pools log them, for tests and harnesses without a chain: a
 * V2 {@code Sync} with given reserves, a V3 or V4 {@code Swap} leaving the pool at a given price (Q64.96), tick and
 * liquidity (amounts 1 and −1, zero sender and recipient; a V4 swap logs the pool's key fee).
 */
public final class SyntheticUpdates {
    private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);

    private SyntheticUpdates() {
    }

    /** A V2 {@code Sync} of {@code pool} (a V2 pool) to {@code reserve0}/{@code reserve1} (uint112). */
    public static FeedFrame.PoolUpdate sync(long block, int log, Bytes32 tx, PoolDescriptor pool, BigInteger reserve0, BigInteger reserve1) {
        return new FeedFrame.PoolUpdate(block, log, log, tx, pool.id(), EventKind.V2_SYNC, List.of(), words(reserve0, reserve1));
    }

    /** A {@code Swap} of {@code pool} (V3 or V4) leaving it at {@code sqrtPriceX96}, {@code tick} and {@code liquidity}. */
    public static FeedFrame.PoolUpdate swap(long block, int log, Bytes32 tx, PoolDescriptor pool, BigInteger sqrtPriceX96, int tick,
                                            BigInteger liquidity) {
        return switch (pool.protocol()) {
            case UNISWAP_V3 -> new FeedFrame.PoolUpdate(block, log, log, tx, pool.id(), EventKind.V3_SWAP, List.of(Bytes32.ZERO, Bytes32.ZERO),
                    words(BigInteger.ONE, BigInteger.ONE.negate(), sqrtPriceX96, liquidity, BigInteger.valueOf(tick)));
            case UNISWAP_V4 -> new FeedFrame.PoolUpdate(block, log, log, tx, pool.id(), EventKind.V4_SWAP, List.of(pool.id().v4Id(), Bytes32.ZERO),
                    words(BigInteger.ONE, BigInteger.ONE.negate(), sqrtPriceX96, liquidity, BigInteger.valueOf(tick), BigInteger.valueOf(pool.fee())));
            case UNISWAP_V2 -> throw new IllegalArgumentException("a V2 pool has no swap that sets its state: pool=" + pool.id());
        };
    }

    /** ABI words, one per value, negative values in two's complement (int256). */
    public static byte[] words(BigInteger... values) {
        byte[] out = new byte[32 * values.length];
        for (int i = 0; i < values.length; i++) {
            word(values[i]).copyTo(out, 32 * i);
        }
        return out;
    }

    /** One ABI word (a topic, say), a negative value in two's complement (int256). */
    public static Bytes32 word(BigInteger value) {
        return Bytes32.of(value.signum() < 0 ? value.add(TWO_256) : value);
    }
}
