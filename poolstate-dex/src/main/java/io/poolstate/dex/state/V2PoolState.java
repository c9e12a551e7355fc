package io.poolstate.dex.state;

import io.poolstate.dex.pool.PoolDescriptor;
import java.math.BigInteger;

/** A V2 pair's reserves (uint112 each, token units), as its last {@code Sync} set them. Single writer. */
public final class V2PoolState implements PoolState {
    private final PoolDescriptor descriptor;
    BigInteger reserve0;
    BigInteger reserve1;

    public V2PoolState(PoolDescriptor descriptor, BigInteger reserve0, BigInteger reserve1) {
        this.descriptor = descriptor;
        this.reserve0 = reserve0;
        this.reserve1 = reserve1;
    }

    @Override
    public PoolDescriptor descriptor() {
        return descriptor;
    }

    public BigInteger reserve0() {
        return reserve0;
    }

    public BigInteger reserve1() {
        return reserve1;
    }

    @Override
    public PoolSnapshot.V2 snapshot() {
        return new PoolSnapshot.V2(descriptor, reserve0, reserve1);
    }
}
