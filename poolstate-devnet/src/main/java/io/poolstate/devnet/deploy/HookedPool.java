package io.poolstate.devnet.deploy;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.eth.Address;

/** A devnet V4 pool with a hooks contract: what kind, the hook's address (its low 14 bits are the kind's flags), the pool. */
public record HookedPool(HookKind kind, Address hooks, PoolDescriptor pool) {
    public HookedPool {
        if (!pool.hooks().equals(hooks)) {
            throw new IllegalArgumentException("pool " + pool.id() + " has hooks " + pool.hooks() + ", not " + hooks);
        }
    }
}
