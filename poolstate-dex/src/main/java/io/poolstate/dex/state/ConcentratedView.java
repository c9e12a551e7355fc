package io.poolstate.dex.state;

import io.poolstate.dex.math.Uint256;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.Protocol;
import java.math.BigInteger;
import java.util.NavigableMap;

/**
 * What a swap simulation reads from a V3/V4 pool; implemented by the live state (read by its writer) and by its
 * snapshots (read by any thread). Prices are Q64.96, liquidity uint128, fees pips.
 */
public interface ConcentratedView {
    PoolDescriptor descriptor();

    BigInteger sqrtPriceX96();

    int tick();

    BigInteger liquidity();

    /** V3 fee or V4 LP fee, pips (1e-6). */
    int fee();

    /** V4 protocol fee: zeroForOne pips in the low 12 bits, oneForZero in the next 12; 0 for V3. */
    int protocolFee();

    int tickSpacing();

    /** Every initialised tick with its liquidity, in tick order (an unmodifiable copy). */
    NavigableMap<Integer, TickInfo> ticks();

    /** The initialised ticks as a table that is no longer changed (allocation-free reads). */
    TickTable tickTable();

    /** Copies the price into {@code into} without allocating. */
    void loadSqrtPriceX96(Uint256 into);

    /** Copies the active liquidity into {@code into} without allocating. */
    void loadLiquidity(Uint256 into);

    default boolean isV4() {
        return descriptor().protocol() == Protocol.UNISWAP_V4;
    }
}
