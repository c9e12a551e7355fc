package io.poolstate.dex.quote;

import java.math.BigInteger;

/**
 * A simulated swap's outcome. {@code amountIn} is what the swapper pays (fee included) and {@code amountOut} what
 * it receives, in token units; {@code complete} is false when the price limit or the end of liquidity stopped the
 * swap before the specified amount was used up. {@code ticksCrossed} counts initialised ticks crossed.
 */
public record SwapQuote(BigInteger amountIn, BigInteger amountOut, BigInteger sqrtPriceX96After, int tickAfter,
                        BigInteger liquidityAfter, int ticksCrossed, boolean complete) {
}
