package io.poolstate.dex.state;

import io.poolstate.dex.pool.PoolDescriptor;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeSet;

/** An immutable copy of a pool's state; safe to share between threads. Equality is by value. */
public sealed interface PoolSnapshot {
    PoolDescriptor descriptor();

    /** V2 reserves in token units. */
    record V2(PoolDescriptor descriptor, BigInteger reserve0, BigInteger reserve1) implements PoolSnapshot {
    }

    /** V3/V4 state with every initialised tick. */
    record Concentrated(PoolDescriptor descriptor, BigInteger sqrtPriceX96, int tick, BigInteger liquidity, int fee, int protocolFee,
                        NavigableMap<Integer, TickInfo> ticks) implements PoolSnapshot, ConcentratedView {
        @Override
        public int tickSpacing() {
            return descriptor.tickSpacing();
        }
    }

    /** Field-by-field differences from {@code other} ({@code field: this != other}), empty when equal. */
    default List<String> differences(PoolSnapshot other) {
        List<String> out = new ArrayList<>();
        if (this instanceof V2 a && other instanceof V2 b) {
            diff(out, "reserve0", a.reserve0(), b.reserve0());
            diff(out, "reserve1", a.reserve1(), b.reserve1());
        } else if (this instanceof Concentrated a && other instanceof Concentrated b) {
            diff(out, "sqrt_price_x96", a.sqrtPriceX96(), b.sqrtPriceX96());
            diff(out, "tick", a.tick(), b.tick());
            diff(out, "liquidity", a.liquidity(), b.liquidity());
            diff(out, "fee", a.fee(), b.fee());
            diff(out, "protocol_fee", a.protocolFee(), b.protocolFee());
            TreeSet<Integer> all = new TreeSet<>(a.ticks().keySet());
            all.addAll(b.ticks().keySet());
            for (Integer t : all) {
                diff(out, "ticks[" + t + "]", a.ticks().get(t), b.ticks().get(t));
            }
        } else {
            out.add("kind: " + getClass().getSimpleName() + " != " + other.getClass().getSimpleName());
        }
        return out;
    }

    private static void diff(List<String> out, String field, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            out.add(field + ": " + a + " != " + b);
        }
    }
}
