package io.poolstate.dex.route;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.eth.Address;
import java.math.BigInteger;

/**
 * One swap of a route: {@code amountIn} of {@code tokenIn} paid into {@code pool}, {@code amountOut} of {@code tokenOut}
 * received, in token units, exactly as the pool's contract computes them at the quoted block.
 *
 * @param zeroForOne {@code tokenIn} is the pool's token0
 */
public record Leg(PoolDescriptor pool, Address tokenIn, Address tokenOut, boolean zeroForOne, BigInteger amountIn, BigInteger amountOut) {
}
