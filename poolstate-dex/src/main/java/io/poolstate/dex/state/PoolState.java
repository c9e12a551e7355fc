package io.poolstate.dex.state;

import io.poolstate.dex.pool.PoolDescriptor;

/**
 * A pool's mutable state, owned by one thread (the writer of the {@link PoolStateBook} holding it). Other
 * threads read {@link #snapshot()}s.
 */
public sealed interface PoolState permits V2PoolState, ConcentratedPoolState {
    PoolDescriptor descriptor();

    /** An immutable copy of the current state. */
    PoolSnapshot snapshot();
}
