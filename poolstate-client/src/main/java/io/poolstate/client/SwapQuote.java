package io.poolstate.client;

import io.poolstate.eth.Bytes32;
import java.math.BigInteger;

/**
 * A quote from {@code /v1/pools/{id}/quote}: amounts in and out (token units), whether the pool fills it
 * ({@code complete}), who computed it ({@code source}: {@code native} or {@code node}), the price (Q64.96) and tick
 * after (native quotes; null otherwise), and the block.
 */
public record SwapQuote(BigInteger amountIn, BigInteger amountOut, boolean complete, String source, BigInteger sqrtPriceX96After, Integer tickAfter,
                        long blockNumber, Bytes32 blockHash) {
}
