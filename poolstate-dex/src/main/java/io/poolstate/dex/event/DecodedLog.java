package io.poolstate.dex.event;

/**
 * A log decoded as a pool event: the pool it belongs to (the emitting address for V2/V3, topics[1] of a
 * PoolManager log for V4), the event, and where it was logged.
 */
public record DecodedLog(io.poolstate.dex.pool.PoolId pool, PoolEvent event, LogPosition position) {
    public EventKind kind() {
        return event.kind();
    }
}
