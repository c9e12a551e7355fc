package io.poolstate.dex.math;

import java.math.BigInteger;

/**
 * A mutable unsigned 256-bit integer held in four 64-bit limbs ({@code w0} least significant): the register of the
 * fixed-width Uniswap math ({@link FullMath}, {@link SqrtPriceMath}, {@link SwapMath}, {@link TickMath},
 * {@link LiquidityMath}). Functions write their results into registers the caller owns, so a computation reuses
 * the same registers step after step and allocates nothing.
 *
 * <p>Not thread-safe: a register belongs to one thread at a time (the quoting thread, or the writer of a
 * {@code PoolStateBook}). A register that receives the result of a division keeps a scratch area for it, allocated
 * on first use.
 */
public final class Uint256 implements Comparable<Uint256> {
    /** 2^256 - 1. */
    public static final BigInteger MAX_VALUE = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    long w0;
    long w1;
    long w2;
    long w3;
    private Workspace workspace;

    public Uint256() {
    }

    /** A register holding {@code value}, read as an unsigned 64-bit number. */
    public Uint256(long value) {
        w0 = value;
    }

    /** A register holding {@code value}; {@code 0 <= value < 2^256}. */
    public static Uint256 of(BigInteger value) {
        return new Uint256().set(value);
    }

    /** A register holding {@code value}; {@code 0 <= value < 2^256}, in decimal. */
    public static Uint256 of(String decimal) {
        return of(new BigInteger(decimal));
    }

    /** Sets the value to {@code value}, read as an unsigned 64-bit number. */
    public Uint256 set(long value) {
        w0 = value;
        w1 = 0;
        w2 = 0;
        w3 = 0;
        return this;
    }

    public Uint256 set(Uint256 other) {
        w0 = other.w0;
        w1 = other.w1;
        w2 = other.w2;
        w3 = other.w3;
        return this;
    }

    /** Sets the limbs, most significant first. */
    public Uint256 setWords(long word3, long word2, long word1, long word0) {
        w0 = word0;
        w1 = word1;
        w2 = word2;
        w3 = word3;
        return this;
    }

    /**
     * Sets the value to {@code value}, {@code 0 <= value < 2^256}. Values of 2^64 and more are read through one
     * temporary byte array; {@link #setExactly} reads without allocating.
     *
     * @throws IllegalArgumentException when the value is negative or needs more than 256 bits
     */
    public Uint256 set(BigInteger value) {
        int bits = checkRange(value);
        if (bits <= 64) {
            return set(value.longValue());
        }
        byte[] b = value.toByteArray();
        w0 = word(b, 0);
        w1 = word(b, 1);
        w2 = word(b, 2);
        w3 = word(b, 3);
        return this;
    }

    /**
     * Sets the value to {@code value} without allocating, bit by bit above the low 64 bits: for values that are
     * usually small (liquidity deltas), on paths that must not allocate.
     */
    public Uint256 setExactly(BigInteger value) {
        int bits = checkRange(value);
        w0 = value.longValue();
        w1 = twosComplementWord(value, 1);
        w2 = twosComplementWord(value, 2);
        w3 = twosComplementWord(value, 3);
        return this;
    }

    /**
     * Limb {@code index} (bits {@code [64 index, 64 index + 64)}) of {@code value} in two's complement, so a negative
     * int128 reads as its two halves, without allocating: one {@code testBit} per bit below {@code bitLength()}, the
     * sign above it.
     */
    public static long twosComplementWord(BigInteger value, int index) {
        if (index == 0) {
            return value.longValue();
        }
        int from = 64 * index;
        long r = value.signum() < 0 ? -1L : 0L;
        int to = Math.min(from + 64, value.bitLength());
        for (int i = from; i < to; i++) {
            long bit = 1L << (i - from);
            r = value.testBit(i) ? r | bit : r & ~bit;
        }
        return r;
    }

    private static int checkRange(BigInteger value) {
        int bits = value.bitLength();
        if (value.signum() < 0 || bits > 256) {
            throw new IllegalArgumentException("not a uint256: value=" + value);
        }
        return bits;
    }

    /** Limb {@code i} (0 = least significant) of a big-endian two's complement byte array. */
    private static long word(byte[] b, int i) {
        long r = 0;
        int end = b.length - 8 * i;
        for (int k = Math.max(0, end - 8); k < end; k++) {
            r = (r << 8) | (b[k] & 0xffL);
        }
        return r;
    }

    /** Limb {@code i}, 0 = least significant. */
    public long word(int i) {
        return switch (i) {
            case 0 -> w0;
            case 1 -> w1;
            case 2 -> w2;
            case 3 -> w3;
            default -> throw new IndexOutOfBoundsException("limb index must be 0..3: index=" + i);
        };
    }

    public boolean isZero() {
        return (w0 | w1 | w2 | w3) == 0;
    }

    /** The number of bits needed: 0 for zero, 256 when the top bit is set. */
    public int bitLength() {
        if (w3 != 0) {
            return 256 - Long.numberOfLeadingZeros(w3);
        }
        if (w2 != 0) {
            return 192 - Long.numberOfLeadingZeros(w2);
        }
        if (w1 != 0) {
            return 128 - Long.numberOfLeadingZeros(w1);
        }
        return 64 - Long.numberOfLeadingZeros(w0);
    }

    /** True when the value is below 2^bits. */
    public boolean fitsBits(int bits) {
        return bitLength() <= bits;
    }

    /** Unsigned comparison. */
    @Override
    public int compareTo(Uint256 o) {
        return compare(w3, w2, w1, w0, o.w3, o.w2, o.w1, o.w0);
    }

    /** Unsigned comparison of two values given as limbs, most significant first. */
    static int compare(long a3, long a2, long a1, long a0, long b3, long b2, long b1, long b0) {
        if (a3 != b3) {
            return Long.compareUnsigned(a3, b3);
        }
        if (a2 != b2) {
            return Long.compareUnsigned(a2, b2);
        }
        if (a1 != b1) {
            return Long.compareUnsigned(a1, b1);
        }
        return Long.compareUnsigned(a0, b0);
    }

    public boolean valueEquals(Uint256 o) {
        return w0 == o.w0 && w1 == o.w1 && w2 == o.w2 && w3 == o.w3;
    }

    /** {@code this + 1}, reverting on overflow (checked uint256 arithmetic). */
    void increment(String where) {
        if (++w0 == 0 && ++w1 == 0 && ++w2 == 0 && ++w3 == 0) {
            throw new MathRevert(where + ": result overflows uint256");
        }
    }

    /** The value as a BigInteger (allocates). */
    public BigInteger toBigInteger() {
        if (w1 == 0 && w2 == 0 && w3 == 0 && w0 >= 0) {
            return BigInteger.valueOf(w0);
        }
        byte[] b = new byte[33];
        put(b, 1, w3);
        put(b, 9, w2);
        put(b, 17, w1);
        put(b, 25, w0);
        return new BigInteger(b);
    }

    private static void put(byte[] b, int at, long w) {
        for (int k = 7; k >= 0; k--) {
            b[at + k] = (byte) w;
            w >>>= 8;
        }
    }

    /** The scratch area of divisions that write into this register. */
    Workspace workspace() {
        Workspace w = workspace;
        if (w == null) {
            w = new Workspace();
            workspace = w;
        }
        return w;
    }

    /** Decimal. */
    @Override
    public String toString() {
        return toBigInteger().toString();
    }

    /** Value equality; registers are mutable, so do not keep them in hash-based collections. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Uint256 u && valueEquals(u);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(w0 ^ w1 * 31 ^ w2 * 961 ^ w3 * 29791);
    }
}
