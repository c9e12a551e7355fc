package io.poolstate.protocol.stream;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickInfo;
import java.math.BigInteger;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A pool's new state in a stream message: the whole pool ({@link Full}: metadata, state, every initialised tick) or
 * what changed since the previous message ({@link Delta}: every scalar field, and the ticks that changed — a tick whose
 * gross liquidity is 0 is no longer initialised).
 */
public sealed interface PoolChange {
    PoolId id();

    /** The pool's state after this change, given its state before ({@code before} is ignored for {@link Full}). */
    PoolSnapshot applyTo(PoolSnapshot before);

    /** A whole pool. */
    record Full(PoolSnapshot state) implements PoolChange {
        @Override
        public PoolId id() {
            return state.descriptor().id();
        }

        @Override
        public PoolSnapshot applyTo(PoolSnapshot before) {
            return state;
        }
    }

    /** A tick's new value; {@code liquidityGross} 0: no longer initialised. */
    record TickChange(int tick, BigInteger liquidityGross, BigInteger liquidityNet) {
    }

    /** V2 reserves (token units). */
    record V2Delta(PoolId id, BigInteger reserve0, BigInteger reserve1) implements PoolChange {
        @Override
        public PoolSnapshot applyTo(PoolSnapshot before) {
            if (!(before instanceof PoolSnapshot.V2 v2)) {
                throw new IllegalArgumentException("pool " + id + ": a V2 change for a pool not held as V2");
            }
            return new PoolSnapshot.V2(v2.descriptor(), reserve0, reserve1);
        }
    }

    /** V3/V4 price (Q64.96), tick, active liquidity, fee and protocol fee (pips), and the ticks that changed. */
    record ConcentratedDelta(PoolId id, BigInteger sqrtPriceX96, int tick, BigInteger liquidity, int fee, int protocolFee, List<TickChange> ticks)
            implements PoolChange {
        @Override
        public PoolSnapshot applyTo(PoolSnapshot before) {
            if (!(before instanceof PoolSnapshot.Concentrated c)) {
                throw new IllegalArgumentException("pool " + id + ": a V3/V4 change for a pool not held as V3/V4");
            }
            NavigableMap<Integer, TickInfo> t = ticks.isEmpty() ? c.ticks() : new TreeMap<>(c.ticks());
            for (TickChange ch : ticks) {
                if (ch.liquidityGross().signum() == 0) {
                    t.remove(ch.tick());
                } else {
                    t.put(ch.tick(), new TickInfo(ch.liquidityGross(), ch.liquidityNet()));
                }
            }
            PoolDescriptor d = c.descriptor();
            return new PoolSnapshot.Concentrated(d, sqrtPriceX96, tick, liquidity, fee, protocolFee, t);
        }
    }
}
