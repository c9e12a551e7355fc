package io.poolstate.client;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.eth.Bytes32;
import io.poolstate.protocol.stream.PoolChange;
import io.poolstate.protocol.stream.StreamMessage;
import java.util.HashMap;
import java.util.Map;

/**
 * The subscribed pools as reconstructed from the stream after message {@code seq}: every pool's state at the end of
 * block (number, hash). Immutable.
 */
public record StreamState(long seq, long blockNumber, Bytes32 blockHash, Map<PoolId, PoolSnapshot> pools) {
    /**
     * The state after message {@code m} ({@code s} null: none yet, then {@code m} must be a snapshot).
     *
     * @throws IllegalStateException when {@code m} does not fit {@code s}: a change for a pool it lacks, a first message
     *                               that is not a snapshot
     */
    public static StreamState next(StreamState s, StreamMessage m) {
        if (s == null && m.type() != StreamMessage.Type.SNAPSHOT) {
            throw new IllegalStateException("the first message is not a snapshot: type=" + m.type().wireName() + " seq=" + m.seq());
        }
        Map<PoolId, PoolSnapshot> pools = m.type() == StreamMessage.Type.SNAPSHOT ? new HashMap<>() : new HashMap<>(s.pools());
        for (PoolChange c : m.pools()) {
            PoolSnapshot before = pools.get(c.id());
            if (before == null && !(c instanceof PoolChange.Full)) {
                throw new IllegalStateException("a change for a pool the state lacks: pool=" + c.id() + " seq=" + m.seq());
            }
            pools.put(c.id(), c.applyTo(before));
        }
        m.removed().forEach(pools::remove);
        return new StreamState(m.seq(), m.tipNumber(), m.tipHash(), Map.copyOf(pools));
    }
}
