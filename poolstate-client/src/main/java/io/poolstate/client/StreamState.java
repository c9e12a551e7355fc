package io.poolstate.client;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.eth.Bytes32;
import java.util.Map;

/**
 * The subscribed pools as reconstructed from the stream after message {@code seq}: every pool's state at the end of
 * block (number, hash). Immutable.
 */
public record StreamState(long seq, long blockNumber, Bytes32 blockHash, Map<PoolId, PoolSnapshot> pools) {
}
