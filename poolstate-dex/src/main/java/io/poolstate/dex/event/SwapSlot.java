package io.poolstate.dex.event;

import java.math.BigInteger;

/**
 * What a V3 or V4 {@code Swap} writes into its pool: the price after the swap (Q64.96 square root, uint160), the tick
 * (int24) and the active liquidity (uint128), as the event reports them ({@link LogDecoder#readSwapSlot}).
 */
public record SwapSlot(BigInteger sqrtPriceX96, int tick, BigInteger liquidity) {
}
