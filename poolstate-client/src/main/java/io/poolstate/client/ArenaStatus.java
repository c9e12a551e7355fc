package io.poolstate.client;

import io.poolstate.eth.Bytes32;

/**
 * {@code /v1/status}, the fields a consumer acts on: the served block, its mode and freshness, the pools served, and the
 * oldest block {@code ?block=N} still answers ({@code historyOldestBlock}; 0 when the arena keeps none).
 */
public record ArenaStatus(long chainId, String mode, boolean stale, String staleReason, long blockNumber, Bytes32 blockHash, long chainHead,
                          int pools, int poolsNotServed, long historyOldestBlock) {
    public boolean live() {
        return "live".equals(mode) && !stale;
    }
}
