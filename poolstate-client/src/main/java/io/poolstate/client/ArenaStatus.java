package io.poolstate.client;

import io.poolstate.eth.Bytes32;

/** {@code /v1/status}, the fields a consumer acts on: the served block, its mode and freshness, the pools served. */
public record ArenaStatus(long chainId, String mode, boolean stale, String staleReason, long blockNumber, Bytes32 blockHash, long chainHead,
                          int pools, int poolsNotServed) {
    public boolean live() {
        return "live".equals(mode) && !stale;
    }
}
