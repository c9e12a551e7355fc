package io.poolstate.dex.state;

import io.poolstate.dex.pool.Protocol;
import java.math.BigInteger;
import java.util.NavigableMap;

/** What a swap simulation reads from a V3/V4 pool; implemented by the live state and its snapshots. */
public interface ConcentratedView {
    io.poolstate.dex.pool.PoolDescriptor descriptor();

    BigInteger sqrtPriceX96();

    int tick();

    BigInteger liquidity();

    /** V3 fee or V4 LP fee, pips (1e-6). */
    int fee();

    /** V4 protocol fee: zeroForOne pips in the low 12 bits, oneForZero in the next 12; 0 for V3. */
    int protocolFee();

    int tickSpacing();

    NavigableMap<Integer, TickInfo> ticks();

    default boolean isV4() {
        return descriptor().protocol() == Protocol.UNISWAP_V4;
    }
}
