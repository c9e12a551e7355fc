package io.poolstate.dex.state;

import io.poolstate.dex.pool.PoolDescriptor;
import java.math.BigInteger;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A V3 or V4 pool: price (Q64.96), current tick, active liquidity (uint128), fee (V3 fee or V4 LP fee, in
 * pips), V4 protocol fee (two 12-bit pips values), and every initialised tick in tick order. Single writer.
 */
public final class ConcentratedPoolState implements PoolState, ConcentratedView {
    private final PoolDescriptor descriptor;
    BigInteger sqrtPriceX96;
    int tick;
    BigInteger liquidity;
    int fee;
    int protocolFee;
    final TreeMap<Integer, TickInfo> ticks;
    private final NavigableMap<Integer, TickInfo> readOnlyTicks;
    /** An immutable copy of {@link #ticks} for snapshots; null after a tick changed (rebuilt on the next snapshot). */
    private NavigableMap<Integer, TickInfo> ticksCopy;

    public ConcentratedPoolState(PoolDescriptor descriptor, BigInteger sqrtPriceX96, int tick, BigInteger liquidity, int fee,
                                 int protocolFee, NavigableMap<Integer, TickInfo> ticks) {
        this.descriptor = descriptor;
        this.sqrtPriceX96 = sqrtPriceX96;
        this.tick = tick;
        this.liquidity = liquidity;
        this.fee = fee;
        this.protocolFee = protocolFee;
        this.ticks = new TreeMap<>(ticks);
        this.readOnlyTicks = Collections.unmodifiableNavigableMap(this.ticks);
    }

    @Override
    public PoolDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public BigInteger sqrtPriceX96() {
        return sqrtPriceX96;
    }

    @Override
    public int tick() {
        return tick;
    }

    @Override
    public BigInteger liquidity() {
        return liquidity;
    }

    @Override
    public int fee() {
        return fee;
    }

    @Override
    public int protocolFee() {
        return protocolFee;
    }

    @Override
    public int tickSpacing() {
        return descriptor.tickSpacing();
    }

    @Override
    public NavigableMap<Integer, TickInfo> ticks() {
        return readOnlyTicks;
    }

    /** Marks the tick copy stale; called by the book whenever a tick changes. */
    void ticksChanged() {
        ticksCopy = null;
    }

    /** A copy of the state; the ticks are copied only when they changed since the last snapshot (swaps do not change them). */
    @Override
    public PoolSnapshot.Concentrated snapshot() {
        NavigableMap<Integer, TickInfo> t = ticksCopy;
        if (t == null) {
            t = Collections.unmodifiableNavigableMap(new TreeMap<>(ticks));
            ticksCopy = t;
        }
        return new PoolSnapshot.Concentrated(descriptor, sqrtPriceX96, tick, liquidity, fee, protocolFee, t);
    }
}
