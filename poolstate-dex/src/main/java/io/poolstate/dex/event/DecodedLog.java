package io.poolstate.dex.event;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.rpc.Log;

/**
 * A log decoded as a pool event: the pool it belongs to (the emitting address for V2/V3, topics[1] of a
 * PoolManager log for V4), the event, and the raw log it came from.
 */
public record DecodedLog(PoolId pool, PoolEvent event, Log log) {
    public EventKind kind() {
        return event.kind();
    }
}
