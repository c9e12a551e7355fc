package io.poolstate.dex.v4;

import java.math.BigInteger;

/** The node's answer to a V4Quoter single-pool quote: amounts, or the revert with its decoded reason. */
public sealed interface V4NodeQuote {
    /**
     * The swap as the PoolManager runs it, hooks included.
     *
     * @param amountIn    what the swapper pays, token units (the specified amount for exact input)
     * @param amountOut   what it receives, token units (the specified amount for exact output)
     * @param gasEstimate gas V4Quoter measured for the simulation (not a transaction's gas)
     */
    record Quoted(BigInteger amountIn, BigInteger amountOut, BigInteger gasEstimate) implements V4NodeQuote {
    }

    /**
     * The quote reverted.
     *
     * @param error      the innermost decoded error name, e.g. {@code NotEnoughLiquidity} (the pool cannot fill the amount),
     *                   {@code WrappedError} (a hook reverted), {@code InvalidFeeForExactOut}; {@code unknown} when undecodable
     * @param reason     a readable account of the revert, hook and callback included
     * @param revertData the raw revert data (hex), or null when the node gave none
     */
    record Reverted(String error, String reason, String revertData) implements V4NodeQuote {
        /** V4Quoter's {@code NotEnoughLiquidity}: the pool's liquidity ends before the amount is filled. */
        public boolean notEnoughLiquidity() {
            return "NotEnoughLiquidity".equals(error);
        }
    }
}
