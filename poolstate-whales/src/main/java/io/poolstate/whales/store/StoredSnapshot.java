package io.poolstate.whales.store;

import java.time.Instant;

/**
 * A snapshot row. For an incomplete snapshot the block fields may be null and {@code reason} says why.
 *
 * @param slotStart the start of its interval slot (UTC wall clock): the time analysis windows compare
 * @param blockTime the block's timestamp (UTC), for reference
 * @param takenAt when the snapshot was taken (UTC, wall clock)
 * @param rpcCalls JSON-RPC calls sent for it (each call of a batch, retries included)
 * @param rpcRequests the HTTP requests (or socket messages) those calls went out in
 */
public record StoredSnapshot(long id, String asset, Instant slotStart, String status, String reason, Long blockNumber, String blockHash,
                             Instant blockTime, Instant takenAt, int addressCount, int rpcCalls, int rpcRequests, long durationMillis) {
    public boolean complete() {
        return "complete".equals(status);
    }
}
