package io.poolstate.dex.event;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Bytes32;
import java.math.BigInteger;
import java.util.List;

/**
 * The inverse of {@link LogDecoder} for the events a block's pool updates mostly are: those that set a pool's state
 * ({@code Sync}, {@code Swap}s, positions) and two that do not (V2 {@code Swap}, V3 {@code Collect}); not
 * {@code Initialize}, {@code Flash}, {@code Donate} or V4 {@code ProtocolFeeUpdated}. It gives their indexed topics
 * (after topic0) and ABI-encoded data as the pools log them, for logs made without a chain (the arena's start-up
 * warm-up, tests, harnesses). Fields the state does not keep are fixed: addresses and salts zero, a swap's amounts 1 and
 * −1, a position's token amounts 1.
 *
 * <pre>
 * V2 Sync                      topics: —                           data: reserve0 | reserve1
 * V3 Swap                      topics: sender, recipient           data: amount0 | amount1 | sqrtPriceX96 | liquidity | tick
 * V4 Swap                      topics: id, sender                  data: amount0 | amount1 | sqrtPriceX96 | liquidity | tick | fee
 * V3 Mint                      topics: owner, tickLower, tickUpper data: sender | amount | amount0 | amount1
 * V3 Burn                      topics: owner, tickLower, tickUpper data: amount | amount0 | amount1
 * V3 Collect                   topics: owner, tickLower, tickUpper data: recipient | amount0 | amount1
 * V2 Swap                      topics: sender, to                  data: amount0In | amount1In | amount0Out | amount1Out
 * V4 ModifyLiquidity           topics: id, sender                  data: tickLower | tickUpper | liquidityDelta | salt
 * </pre>
 *
 * Each data field is one 32-byte word, a negative value in two's complement (int256, as the ABI sign-extends int24 and
 * int128). Stateless.
 */
public final class LogEncoder {
    private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);
    private static final Bytes32 ZERO_ADDRESS = Bytes32.ZERO;

    private LogEncoder() {
    }

    /** One log's fields after topic0: {@code kind}, its indexed topics and its data. */
    public record Encoded(EventKind kind, List<Bytes32> topics, byte[] data) {
    }

    /** A V2 {@code Sync} to {@code reserve0}/{@code reserve1} (uint112, wei). */
    public static Encoded sync(BigInteger reserve0, BigInteger reserve1) {
        return new Encoded(EventKind.V2_SYNC, List.of(), words(reserve0, reserve1));
    }

    /**
     * A {@code Swap} of {@code pool} (V3 or V4) leaving it at {@code sqrtPriceX96} (Q64.96), {@code tick} and
     * {@code liquidity}; a V4 swap logs the pool's key fee (pips).
     */
    public static Encoded swap(PoolDescriptor pool, BigInteger sqrtPriceX96, int tick, BigInteger liquidity) {
        return switch (pool.protocol()) {
            case UNISWAP_V3 -> new Encoded(EventKind.V3_SWAP, List.of(ZERO_ADDRESS, ZERO_ADDRESS),
                    words(BigInteger.ONE, BigInteger.ONE.negate(), sqrtPriceX96, liquidity, BigInteger.valueOf(tick)));
            case UNISWAP_V4 -> new Encoded(EventKind.V4_SWAP, List.of(pool.id().v4Id(), ZERO_ADDRESS),
                    words(BigInteger.ONE, BigInteger.ONE.negate(), sqrtPriceX96, liquidity, BigInteger.valueOf(tick), BigInteger.valueOf(pool.fee())));
            case UNISWAP_V2 -> throw new IllegalArgumentException("a V2 pool has no swap that sets its state: pool=" + pool.id());
        };
    }

    /** A V3 {@code Mint} of {@code amount} (uint128) over [{@code lower}, {@code upper}) (ticks). */
    public static Encoded v3Mint(int lower, int upper, BigInteger amount) {
        return new Encoded(EventKind.V3_MINT, List.of(ZERO_ADDRESS, word(BigInteger.valueOf(lower)), word(BigInteger.valueOf(upper))),
                words(BigInteger.ZERO, amount, BigInteger.ONE, BigInteger.ONE));
    }

    /** A V3 {@code Burn} of {@code amount} (uint128) over [{@code lower}, {@code upper}) (ticks). */
    public static Encoded v3Burn(int lower, int upper, BigInteger amount) {
        return new Encoded(EventKind.V3_BURN, List.of(ZERO_ADDRESS, word(BigInteger.valueOf(lower)), word(BigInteger.valueOf(upper))),
                words(amount, BigInteger.ONE, BigInteger.ONE));
    }

    /** A V3 {@code Collect} of {@code amount0}/{@code amount1} (uint128, wei) over [{@code lower}, {@code upper}): no change to the pool's state. */
    public static Encoded v3Collect(int lower, int upper, BigInteger amount0, BigInteger amount1) {
        return new Encoded(EventKind.V3_COLLECT, List.of(ZERO_ADDRESS, word(BigInteger.valueOf(lower)), word(BigInteger.valueOf(upper))),
                words(BigInteger.ZERO, amount0, amount1));
    }

    /** A V2 {@code Swap} of {@code amount0In} for {@code amount1Out} (wei): its {@code Sync} carries the state, not this. */
    public static Encoded v2Swap(BigInteger amount0In, BigInteger amount1Out) {
        return new Encoded(EventKind.V2_SWAP, List.of(ZERO_ADDRESS, ZERO_ADDRESS), words(amount0In, BigInteger.ZERO, BigInteger.ZERO, amount1Out));
    }

    /** A V4 {@code ModifyLiquidity} of {@code pool} by {@code delta} (int128; negative removes) over [{@code lower}, {@code upper}). */
    public static Encoded v4ModifyLiquidity(PoolId pool, int lower, int upper, BigInteger delta) {
        return new Encoded(EventKind.V4_MODIFY_LIQUIDITY, List.of(pool.v4Id(), ZERO_ADDRESS),
                words(BigInteger.valueOf(lower), BigInteger.valueOf(upper), delta, BigInteger.ZERO));
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
