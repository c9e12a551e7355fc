package io.poolstate.whales.store;

import java.time.Instant;

/**
 * A snapshot row. For an incomplete snapshot the block fields may be null and {@code reason} says why.
 *
 * @param blockTime the block's timestamp (UTC)
 * @param takenAt when the snapshot was taken (UTC, wall clock)
 */
public record StoredSnapshot(long id, String asset, Instant slotStart, String status, String reason, Long blockNumber, String blockHash,
                             Instant blockTime, Instant takenAt, int addressCount, int rpcCalls, long durationMillis) {
    public boolean complete() {
        return "complete".equals(status);
    }
}
