package io.poolstate.dex.state;

import io.poolstate.dex.math.LiquidityMath;
import io.poolstate.dex.math.Uint256;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The initialised ticks of a V3/V4 pool in tick order, each with its liquidityGross (uint128) and liquidityNet
 * (int128) held as 64-bit limbs in flat arrays, so reading a tick allocates nothing. {@link #nextInitializedTickWithinOneWord}
 * walks it as the pools walk their tick bitmap.
 *
 * <p>A pool state owns one table that its writer changes in place; every table handed out (to snapshots, to readers
 * of {@link ConcentratedView#tickTable()}) is a copy that nobody changes again, so it may be read from any thread.
 */
public final class TickTable {
    private static final int[] NO_TICKS = new int[0];
    private static final long[] NO_LIMBS = new long[0];
    /** Per tick: gross low, gross high, net low, net high. */
    private static final int STRIDE = 4;

    private int[] ticks;
    private long[] limbs;
    private int size;
    /** The map view of a copy, built on first use; never set on a table that is still changed. */
    private volatile NavigableMap<Integer, TickInfo> map;

    private TickTable(int[] ticks, long[] limbs, int size) {
        this.ticks = ticks;
        this.limbs = limbs;
        this.size = size;
    }

    /** An empty table. */
    public static TickTable empty() {
        return new TickTable(NO_TICKS, NO_LIMBS, 0);
    }

    /** A table holding {@code ticks} (gross liquidity above zero, net liquidity within int128). */
    public static TickTable of(NavigableMap<Integer, TickInfo> ticks) {
        int n = ticks.size();
        TickTable t = new TickTable(new int[n], new long[n * STRIDE], n);
        int i = 0;
        Uint256 gross = new Uint256();
        for (Map.Entry<Integer, TickInfo> e : ticks.entrySet()) {
            BigInteger g = e.getValue().liquidityGross();
            BigInteger net = e.getValue().liquidityNet();
            if (g.signum() <= 0 || g.bitLength() > 128 || net.bitLength() > 127) {
                throw new IllegalArgumentException("tick out of range: tick=" + e.getKey() + " liquidity_gross=" + g + " liquidity_net=" + net);
            }
            gross.set(g);
            t.ticks[i] = e.getKey();
            t.limbs[i * STRIDE] = gross.word(0);
            t.limbs[i * STRIDE + 1] = gross.word(1);
            t.limbs[i * STRIDE + 2] = net.longValue();
            t.limbs[i * STRIDE + 3] = net.shiftRight(64).longValue();
            i++;
        }
        return t;
    }

    /** Builds a table tick by tick, in ascending tick order, from liquidity held as 64-bit limbs (no BigInteger). */
    public static Builder builder(int capacity) {
        return new Builder(capacity);
    }

    /** Adds ticks in ascending order; {@link #build} hands the table over (the builder is not used again). Single thread. */
    public static final class Builder {
        private final int[] ticks;
        private final long[] limbs;
        private int size;

        private Builder(int capacity) {
            if (capacity < 0) {
                throw new IllegalArgumentException("tick capacity must be >= 0: capacity=" + capacity);
            }
            ticks = new int[capacity];
            limbs = new long[capacity * STRIDE];
        }

        /**
         * Adds {@code tick} with liquidityGross (uint128, above zero) and liquidityNet (int128, two's complement) given by
         * their high and low 64 bits.
         *
         * @throws IllegalArgumentException when the tick is not above the previous one, the gross liquidity is zero, or
         *                                  the capacity is full
         */
        public Builder add(int tick, long grossHigh, long grossLow, long netHigh, long netLow) {
            if (size == ticks.length) {
                throw new IllegalArgumentException("more ticks than the capacity: capacity=" + ticks.length + " tick=" + tick);
            }
            if (size > 0 && tick <= ticks[size - 1]) {
                throw new IllegalArgumentException("ticks must ascend: tick=" + tick + " previous=" + ticks[size - 1]);
            }
            if (grossHigh == 0 && grossLow == 0) {
                throw new IllegalArgumentException("tick out of range: tick=" + tick + " liquidity_gross=0");
            }
            ticks[size] = tick;
            limbs[size * STRIDE] = grossLow;
            limbs[size * STRIDE + 1] = grossHigh;
            limbs[size * STRIDE + 2] = netLow;
            limbs[size * STRIDE + 3] = netHigh;
            size++;
            return this;
        }

        /** The table of the ticks added (nobody changes it again). */
        public TickTable build() {
            return new TickTable(ticks, limbs, size);
        }
    }

    public int size() {
        return size;
    }

    /** The {@code i}-th initialised tick in tick order. */
    public int tick(int i) {
        return ticks[checkIndex(i)];
    }

    /** Low 64 bits of the liquidityGross of the {@code i}-th tick. */
    public long grossLow(int i) {
        return limbs[checkIndex(i) * STRIDE];
    }

    /** High 64 bits of the liquidityGross of the {@code i}-th tick. */
    public long grossHigh(int i) {
        return limbs[checkIndex(i) * STRIDE + 1];
    }

    /** Low 64 bits (two's complement) of the liquidityNet of the {@code i}-th tick. */
    public long netLow(int i) {
        return limbs[checkIndex(i) * STRIDE + 2];
    }

    /** High 64 bits (two's complement, signed) of the liquidityNet of the {@code i}-th tick. */
    public long netHigh(int i) {
        return limbs[checkIndex(i) * STRIDE + 3];
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("tick index out of range: index=" + i + " size=" + size);
        }
        return i;
    }

    /** The index of {@code tick}, or {@code -(insertion point) - 1} when it is not initialised. */
    public int indexOf(int tick) {
        return Arrays.binarySearch(ticks, 0, size, tick);
    }

    /**
     * TickBitmap.nextInitializedTickWithinOneWord (v3-core {@code contracts/libraries/TickBitmap.sol}, v4-core
     * {@code src/libraries/TickBitmap.sol}) over the initialised ticks, which are exactly the bitmap's set bits: the
     * tick is compressed by the spacing rounding towards negative infinity; with {@code lte} the answer is the
     * greatest initialised tick at or below it within its 256-bit word, otherwise the least one above it within the
     * word of the next compressed tick; when there is none, the word's edge (not initialised).
     *
     * @return the next tick in the high 32 bits and, in the low 32 bits, its index in this table, or -1 when it is
     *         the word's edge
     */
    public long nextInitializedTickWithinOneWord(int tick, int tickSpacing, boolean lte) {
        return nextInitializedTickWithinOneWord(tick, tickSpacing, lte, -1);
    }

    /**
     * {@link #nextInitializedTickWithinOneWord(int, int, boolean)} given a guess of the index the search lands on
     * (a swap stepping through the ticks passes the index next to the one it crossed): checked against its
     * neighbours first, the binary search only when it is not the place. Any {@code hint} gives the same answer.
     */
    public long nextInitializedTickWithinOneWord(int tick, int tickSpacing, boolean lte, int hint) {
        int compressed = Math.floorDiv(tick, tickSpacing);
        if (lte) {
            int wordStart = compressed - (compressed & 0xff);
            int bound = compressed * tickSpacing;
            int i = hint >= 0 && hint < size && ticks[hint] <= bound && (hint + 1 == size || ticks[hint + 1] > bound) ? hint : floorIndex(bound);
            if (i >= 0 && ticks[i] >= wordStart * tickSpacing) {
                return ((long) ticks[i] << 32) | i;
            }
            return ((long) (wordStart * tickSpacing) << 32) | 0xffffffffL;
        }
        int next = compressed + 1;
        int wordEnd = next + (255 - (next & 0xff));
        int bound = next * tickSpacing;
        int i = hint >= 0 && hint < size && ticks[hint] >= bound && (hint == 0 || ticks[hint - 1] < bound) ? hint : ceilingIndex(bound);
        if (i < size && ticks[i] <= wordEnd * tickSpacing) {
            return ((long) ticks[i] << 32) | i;
        }
        return ((long) (wordEnd * tickSpacing) << 32) | 0xffffffffL;
    }

    /** The greatest index whose tick is at most {@code tick}, or -1. */
    private int floorIndex(int tick) {
        int i = Arrays.binarySearch(ticks, 0, size, tick);
        return i >= 0 ? i : -i - 2;
    }

    /** The least index whose tick is at least {@code tick}, or {@link #size}. */
    private int ceilingIndex(int tick) {
        int i = Arrays.binarySearch(ticks, 0, size, tick);
        return i >= 0 ? i : -i - 1;
    }

    /**
     * The ticks as an unmodifiable map with BigInteger liquidity (built on first use and kept; for tables that are
     * no longer changed).
     */
    public NavigableMap<Integer, TickInfo> asMap() {
        NavigableMap<Integer, TickInfo> m = map;
        if (m == null) {
            TreeMap<Integer, TickInfo> t = new TreeMap<>();
            for (int i = 0; i < size; i++) {
                t.put(ticks[i], info(i));
            }
            m = Collections.unmodifiableNavigableMap(t);
            map = m;
        }
        return m;
    }

    /** The {@code i}-th tick's liquidity as a TickInfo (allocates). */
    public TickInfo info(int i) {
        BigInteger gross = new BigInteger(Long.toUnsignedString(grossHigh(i))).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(grossLow(i))));
        return new TickInfo(gross, LiquidityMath.int128(netHigh(i), netLow(i)));
    }

    /** A copy that nobody changes again. */
    TickTable copy() {
        return new TickTable(Arrays.copyOf(ticks, size), Arrays.copyOf(limbs, size * STRIDE), size);
    }

    /** Sets the liquidity of the initialised tick at {@code index}. Writer only. */
    void set(int index, long grossLow, long grossHigh, long netLow, long netHigh) {
        int at = checkIndex(index) * STRIDE;
        limbs[at] = grossLow;
        limbs[at + 1] = grossHigh;
        limbs[at + 2] = netLow;
        limbs[at + 3] = netHigh;
        map = null;
    }

    /** Inserts {@code tick} at {@code index} (its insertion point). Writer only. */
    void insert(int index, int tick, long grossLow, long grossHigh, long netLow, long netHigh) {
        if (size == ticks.length) {
            int capacity = Math.max(8, size * 2);
            ticks = Arrays.copyOf(ticks, capacity);
            limbs = Arrays.copyOf(limbs, capacity * STRIDE);
        }
        System.arraycopy(ticks, index, ticks, index + 1, size - index);
        System.arraycopy(limbs, index * STRIDE, limbs, (index + 1) * STRIDE, (size - index) * STRIDE);
        ticks[index] = tick;
        size++;
        set(index, grossLow, grossHigh, netLow, netHigh);
    }

    /** Removes the tick at {@code index}. Writer only. */
    void remove(int index) {
        checkIndex(index);
        System.arraycopy(ticks, index + 1, ticks, index, size - index - 1);
        System.arraycopy(limbs, (index + 1) * STRIDE, limbs, index * STRIDE, (size - index - 1) * STRIDE);
        size--;
        map = null;
    }

    /** Equal ticks with equal liquidity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof TickTable t && Arrays.equals(ticks, 0, size, t.ticks, 0, t.size)
                && Arrays.equals(limbs, 0, size * STRIDE, t.limbs, 0, t.size * STRIDE);
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int i = 0; i < size; i++) {
            h = 31 * h + ticks[i];
        }
        for (int i = 0; i < size * STRIDE; i++) {
            h = 31 * h + Long.hashCode(limbs[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        return asMapCopy().toString();
    }

    private NavigableMap<Integer, TickInfo> asMapCopy() {
        TreeMap<Integer, TickInfo> t = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            t.put(ticks[i], info(i));
        }
        return t;
    }
}
