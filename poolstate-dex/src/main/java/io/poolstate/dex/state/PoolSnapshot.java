package io.poolstate.dex.state;

import io.poolstate.dex.math.Uint256;
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

    /**
     * V3/V4 state with every initialised tick: price (Q64.96), tick, active liquidity (uint128), fee and V4 protocol
     * fee (pips), ticks. Keeps the price and liquidity also as limbs and the ticks as a {@link TickTable}, so that
     * quotes read it without allocating.
     */
    final class Concentrated implements PoolSnapshot, ConcentratedView {
        private final PoolDescriptor descriptor;
        private final BigInteger sqrtPriceX96;
        private final int tick;
        private final BigInteger liquidity;
        private final int fee;
        private final int protocolFee;
        private final TickTable tickTable;
        private final long price0;
        private final long price1;
        private final long price2;
        private final long liquidity0;
        private final long liquidity1;

        public Concentrated(PoolDescriptor descriptor, BigInteger sqrtPriceX96, int tick, BigInteger liquidity, int fee, int protocolFee,
                            NavigableMap<Integer, TickInfo> ticks) {
            this(descriptor, sqrtPriceX96, tick, liquidity, fee, protocolFee, TickTable.of(ticks), Uint256.of(sqrtPriceX96), Uint256.of(liquidity));
        }

        /** From values already held as limbs ({@code price}, {@code liquidityLimbs} are read, not kept). */
        Concentrated(PoolDescriptor descriptor, BigInteger sqrtPriceX96, int tick, BigInteger liquidity, int fee, int protocolFee,
                     TickTable tickTable, Uint256 price, Uint256 liquidityLimbs) {
            if (!price.fitsBits(160) || !liquidityLimbs.fitsBits(128)) {
                throw new IllegalArgumentException("price must fit uint160 and liquidity uint128: sqrt_price_x96=" + sqrtPriceX96
                        + " liquidity=" + liquidity);
            }
            this.descriptor = Objects.requireNonNull(descriptor);
            this.sqrtPriceX96 = sqrtPriceX96;
            this.tick = tick;
            this.liquidity = liquidity;
            this.fee = fee;
            this.protocolFee = protocolFee;
            this.tickTable = tickTable;
            this.price0 = price.word(0);
            this.price1 = price.word(1);
            this.price2 = price.word(2);
            this.liquidity0 = liquidityLimbs.word(0);
            this.liquidity1 = liquidityLimbs.word(1);
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
            return tickTable.asMap();
        }

        @Override
        public TickTable tickTable() {
            return tickTable;
        }

        @Override
        public void loadSqrtPriceX96(Uint256 into) {
            into.setWords(0, price2, price1, price0);
        }

        @Override
        public void loadLiquidity(Uint256 into) {
            into.setWords(0, 0, liquidity1, liquidity0);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Concentrated c && descriptor.equals(c.descriptor) && sqrtPriceX96.equals(c.sqrtPriceX96) && tick == c.tick
                    && liquidity.equals(c.liquidity) && fee == c.fee && protocolFee == c.protocolFee && tickTable.equals(c.tickTable);
        }

        @Override
        public int hashCode() {
            return Objects.hash(descriptor, sqrtPriceX96, tick, liquidity, fee, protocolFee, tickTable);
        }

        @Override
        public String toString() {
            return "Concentrated[descriptor=" + descriptor + ", sqrtPriceX96=" + sqrtPriceX96 + ", tick=" + tick + ", liquidity=" + liquidity
                    + ", fee=" + fee + ", protocolFee=" + protocolFee + ", ticks=" + tickTable + "]";
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
