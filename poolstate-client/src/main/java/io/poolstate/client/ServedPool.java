package io.poolstate.client;

import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.eth.Bytes32;

/**
 * A pool as {@code /v1/pools/{id}} serves it at one block: its state (the descriptor as far as the API names it:
 * protocol, tokens by address, fee, tick spacing, hooks), the block, where the arena read it ({@code scrapedAt}, null
 * when not given) and whether its quotes are exact ({@code quoteSupport}: {@code exact} or {@code refused}).
 */
public record ServedPool(PoolSnapshot state, long blockNumber, Bytes32 blockHash, Long scrapedAt, String quoteSupport) {
}
