package io.poolstate.dex.math;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;

/**
 * v3-core {@code contracts/libraries/TickMath.sol} ({@code getSqrtRatioAtTick}, {@code getTickAtSqrtRatio}; v4-core
 * {@code src/libraries/TickMath.sol} names them {@code getSqrtPriceAtTick}, {@code getTickAtSqrtPrice} and computes
 * the same values): sqrt(1.0001^tick) as a Q64.96 price and its inverse, bit for bit, on 64-bit limbs, allocating
 * nothing. Ticks are int24 in [{@link #MIN_TICK}, {@link #MAX_TICK}].
 *
 * <p>Prices of ticks are kept in a direct-mapped cache of 32,768 entries shared by all threads (a pure function;
 * swaps keep stepping to the same initialised ticks and word edges). Each entry is four {@code long}s guarded by a
 * sequence number, so readers and writers on any thread neither lock nor allocate; a torn read is detected and
 * treated as a miss.
 */
public final class TickMath {
    public static final int MIN_TICK = -887272;
    public static final int MAX_TICK = 887272;
    public static final BigInteger MIN_SQRT_RATIO = new BigInteger("4295128739");
    public static final BigInteger MAX_SQRT_RATIO = new BigInteger("1461446703485210103287273052203988822378723970342");

    private static final long MIN_SQRT_W0 = 4295128739L;
    /** MAX_SQRT_RATIO in limbs. */
    private static final long MAX_SQRT_W2 = 0xfffd8963L;
    private static final long MAX_SQRT_W1 = 0xefd1fc6a50648849L;
    private static final long MAX_SQRT_W0 = 0x5d951d5263988d26L;

    /** 2^128 / sqrt(1.0001) (Q128.128), the factor of odd ticks. */
    private static final long ODD_HI = 0xfffcb933bd6fad37L;
    private static final long ODD_LO = 0xaa2d162d1a594001L;
    /** 2^128 / sqrt(1.0001^(2^(i+1))), high and low limbs. */
    private static final long[] FACTOR_HI = {0xfff97272373d4132L, 0xfff2e50f5f656932L, 0xffe5caca7e10e4e6L, 0xffcb9843d60f6159L,
        0xff973b41fa98c081L, 0xff2ea16466c96a38L, 0xfe5dee046a99a2a8L, 0xfcbe86c7900a88aeL, 0xf987a7253ac41317L, 0xf3392b0822b70005L,
        0xe7159475a2c29b74L, 0xd097f3bdfd2022b8L, 0xa9f746462d870fdfL, 0x70d869a156d2a1b8L, 0x31be135f97d08fd9L, 0x9aa508b5b7a84e1L,
        0x5d6af8dedb8119L, 0x2216e584f5faL, 0x48a1703L};
    private static final long[] FACTOR_LO = {0x59a46990580e213aL, 0xef12357cf3c7fdccL, 0x1c3624eaa0941cd0L, 0xc9db58835c926644L,
        0x472e6896dfb254c0L, 0x43ec78b326b52861L, 0x11c461f1969c3053L, 0xdcffc83b479aa3a4L, 0x6f2b074cf7815e54L, 0x940c7a398e4b70f3L,
        0x43b29c7fa6e889d9L, 0x845ad8f792aa5825L, 0x8a65dc1f90e061e5L, 0x90bb3df62baf32f7L, 0x81231505542fcfa6L, 0xc677de54f3e99bc9L,
        0x6699c329225ee604L, 0x1ea926041bedfe98L, 0x91f7dc42444e8fa2L};
    /** 255738958999603826347141, the library's multiplier from log2 to log_sqrt(1.0001), two limbs. */
    private static final long LOG_SQRT10001_HI = 13863L;
    private static final long LOG_SQRT10001_LO = 0xa301d71055774c85L;
    /** 3402992956809132418596140100660247210 (tickLow offset). */
    private static final long TICK_LOW_OFFSET_HI = 0x28f6481ab7f045aL;
    private static final long TICK_LOW_OFFSET_LO = 0x5af012a19d003aaaL;
    /** 291339464771989622907027621153398088495 (tickHi offset). */
    private static final long TICK_HI_OFFSET_HI = 0xdb2df09e81959a81L;
    private static final long TICK_HI_OFFSET_LO = 0x455e260799a0632fL;

    private static final int CACHE_BITS = 15;
    /** Entry i at [4i, 4i + 4): header (sequence << 32 | tick), then the price's three limbs. */
    private static final long[] CACHE = new long[4 << CACHE_BITS];
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private TickMath() {
    }

    /** getSqrtRatioAtTick into {@code result} (cached); reverts ('T') when |tick| > MAX_TICK. */
    public static void getSqrtRatioAtTick(int tick, Uint256 result) {
        if (!cached(tick, result)) {
            computeSqrtRatioAtTick(tick, result);
            remember(tick, result);
        }
    }

    /** getSqrtRatioAtTick as a BigInteger (allocates). */
    public static BigInteger getSqrtRatioAtTick(int tick) {
        Uint256 r = new Uint256();
        getSqrtRatioAtTick(tick, r);
        return r.toBigInteger();
    }

    /** The uncached computation, as written in the library: a product of Q128.128 factors, one per bit of |tick|. */
    public static void computeSqrtRatioAtTick(int tick, Uint256 result) {
        int absTick = Math.abs(tick);
        if (absTick > MAX_TICK) {
            throw new MathRevert("TickMath.getSqrtRatioAtTick: tick out of range (T) tick=" + tick);
        }
        if (absTick == 0) {
            result.setWords(0, 0, 1L << 32, 0); // 2^128 >> 32
            return;
        }
        boolean one = (absTick & 1) == 0; // ratio is exactly 2^128 until the first factor
        long hi = one ? 0 : ODD_HI;
        long lo = one ? 0 : ODD_LO;
        for (int i = 0; i < FACTOR_HI.length; i++) {
            if ((absTick & (2 << i)) != 0) {
                if (one) {
                    hi = FACTOR_HI[i];
                    lo = FACTOR_LO[i];
                    one = false;
                } else {
                    long fh = FACTOR_HI[i];
                    long fl = FACTOR_LO[i];
                    // (hi:lo) * (fh:fl) >> 128
                    long h00 = Math.unsignedMultiplyHigh(lo, fl);
                    long l01 = lo * fh;
                    long h01 = Math.unsignedMultiplyHigh(lo, fh);
                    long l10 = hi * fl;
                    long h10 = Math.unsignedMultiplyHigh(hi, fl);
                    long l11 = hi * fh;
                    long h11 = Math.unsignedMultiplyHigh(hi, fh);
                    long s = h00 + l01;
                    long c1 = Long.compareUnsigned(s, l01) < 0 ? 1 : 0;
                    s += l10;
                    c1 += Long.compareUnsigned(s, l10) < 0 ? 1 : 0;
                    long t = l11 + h01;
                    long c2 = Long.compareUnsigned(t, h01) < 0 ? 1 : 0;
                    t += h10;
                    c2 += Long.compareUnsigned(t, h10) < 0 ? 1 : 0;
                    t += c1;
                    c2 += Long.compareUnsigned(t, c1) < 0 ? 1 : 0;
                    lo = t;
                    hi = h11 + c2;
                }
            }
        }
        long r2 = 0;
        long r1 = hi;
        long r0 = lo;
        if (tick > 0) {
            // type(uint256).max / ratio; ratio > 2^64 for every tick, so the quotient has at most three limbs
            Workspace ws = result.workspace();
            ws.u[0] = -1L;
            ws.u[1] = -1L;
            ws.u[2] = -1L;
            ws.u[3] = -1L;
            ws.v[0] = lo;
            ws.v[1] = hi;
            ws.divide(4, hi == 0 ? 1 : 2);
            r0 = ws.q[0];
            r1 = ws.q[1];
            r2 = ws.q[2];
        }
        // Q128.128 -> Q64.96, rounding up
        long p0 = (r0 >>> 32) | (r1 << 32);
        long p1 = (r1 >>> 32) | (r2 << 32);
        long p2 = r2 >>> 32;
        if ((r0 & 0xffffffffL) != 0 && ++p0 == 0 && ++p1 == 0) {
            p2++;
        }
        result.setWords(0, p2, p1, p0);
    }

    /**
     * getTickAtSqrtRatio: the greatest tick whose price (getSqrtRatioAtTick) is at most {@code sqrtPriceX96};
     * reverts ('R') unless MIN_SQRT_RATIO <= price < MAX_SQRT_RATIO. {@code scratch} is a register the function may
     * overwrite.
     *
     * <p>The tick is first read from a double-precision logarithm: {@code t = ln(price / 2^96) / ln(sqrt(1.0001))}
     * is within 10^-8 of the exact real value (the price rounded to 53 bits, {@code Math.log} within one ulp, one
     * product), and every getSqrtRatioAtTick is within a relative 2^-31 of {@code sqrt(1.0001^tick) * 2^96} (the
     * rounding to Q64.96 of prices of at least 2^32, and truncations of 2^-64 in the Q128.128 products), i.e. within
     * 5 * 10^-6 of a tick. So when {@code t} is farther than {@link #TICK_ESTIMATE_MARGIN} from an integer, no tick
     * boundary lies between the price and the estimate and {@code floor(t)} is the library's answer. Closer to the
     * boundary of tick {@code n = rint(t)} (about one price in 500, but every swap that stops just short of an
     * initialised tick), the ticks {@code n - 1} and {@code n + 1} are more than 0.99 tick away, so the answer is
     * {@code n} or {@code n - 1}, and the price of {@code n} (cached: usually the tick the swap stepped towards)
     * decides, as in the library's last step. Both are checked against the library's algorithm
     * ({@link #getTickAtSqrtRatioAsLibrary}) on both sides of every tick's price.
     */
    public static int getTickAtSqrtRatio(Uint256 sqrtPriceX96, Uint256 scratch) {
        long x3 = sqrtPriceX96.w3;
        long x2 = sqrtPriceX96.w2;
        long x1 = sqrtPriceX96.w1;
        long x0 = sqrtPriceX96.w0;
        requireInRange(sqrtPriceX96);
        double t = estimateTick(x2, x1, x0);
        double floor = Math.floor(t);
        double fraction = t - floor;
        if (fraction > TICK_ESTIMATE_MARGIN && fraction < 1 - TICK_ESTIMATE_MARGIN) {
            return (int) floor;
        }
        // next to the boundary of tick n: the answer is n or n - 1, whichever side of n's price the price is on
        int n = (int) Math.rint(t);
        if (n <= MIN_TICK || n > MAX_TICK) {
            return tickAtSqrtRatio(x3, x2, x1, x0, scratch);
        }
        getSqrtRatioAtTick(n, scratch);
        return Uint256.compare(scratch.w3, scratch.w2, scratch.w1, scratch.w0, x3, x2, x1, x0) <= 0 ? n : n - 1;
    }

    /** How close (in ticks) the estimate of {@link #getTickAtSqrtRatio} may come to an integer before the library decides. */
    static final double TICK_ESTIMATE_MARGIN = 1.0 / 1024;
    /** 1 / ln(sqrt(1.0001)). */
    private static final double TICKS_PER_LN = 2.0 / Math.log1p(1e-4);

    /** {@code ln(price / 2^96) / ln(sqrt(1.0001))} in double precision, for a price below 2^160 (limbs x2:x1:x0). */
    static double estimateTick(long x2, long x1, long x0) {
        double price = (double) x2 * 0x1p128 + unsignedToDouble(x1) * 0x1p64 + unsignedToDouble(x0);
        return Math.log(price * 0x1p-96) * TICKS_PER_LN;
    }

    private static double unsignedToDouble(long x) {
        return x >= 0 ? (double) x : (double) ((x >>> 1) | (x & 1)) * 2.0;
    }

    /** getTickAtSqrtRatio's require: MIN_SQRT_RATIO <= price < MAX_SQRT_RATIO, else the revert 'R'. */
    private static void requireInRange(Uint256 sqrtPriceX96) {
        if (Uint256.compare(sqrtPriceX96.w3, sqrtPriceX96.w2, sqrtPriceX96.w1, sqrtPriceX96.w0, 0, 0, 0, MIN_SQRT_W0) < 0
                || Uint256.compare(sqrtPriceX96.w3, sqrtPriceX96.w2, sqrtPriceX96.w1, sqrtPriceX96.w0, 0, MAX_SQRT_W2, MAX_SQRT_W1, MAX_SQRT_W0) >= 0) {
            throw new MathRevert("TickMath.getTickAtSqrtRatio: price out of range (R) sqrtPriceX96=" + sqrtPriceX96);
        }
    }

    /** getTickAtSqrtRatio by the library's algorithm alone (the reference of the fast path); same reverts. */
    public static int getTickAtSqrtRatioAsLibrary(Uint256 sqrtPriceX96, Uint256 scratch) {
        long x3 = sqrtPriceX96.w3;
        long x2 = sqrtPriceX96.w2;
        long x1 = sqrtPriceX96.w1;
        long x0 = sqrtPriceX96.w0;
        requireInRange(sqrtPriceX96);
        return tickAtSqrtRatio(x3, x2, x1, x0, scratch);
    }

    /**
     * The library's algorithm for an in-range price: log2 by repeated squaring (14 fraction bits), scaled to ticks
     * with its error bounds; when the bounds straddle a tick, the price of the upper tick decides.
     */
    private static int tickAtSqrtRatio(long x3, long x2, long x1, long x0, Uint256 scratch) {
        // ratio = price << 32, below 2^192
        long q2 = (x2 << 32) | (x1 >>> 32);
        long q1 = (x1 << 32) | (x0 >>> 32);
        long q0 = x0 << 32;
        int msb = q2 != 0 ? 191 - Long.numberOfLeadingZeros(q2) : 127 - Long.numberOfLeadingZeros(q1);
        long rh;
        long rl;
        if (msb >= 128) {
            int k = msb - 127; // 1..64
            if (k == 64) {
                rh = q2;
                rl = q1;
            } else {
                rl = (q0 >>> k) | (q1 << (64 - k));
                rh = (q1 >>> k) | (q2 << (64 - k));
            }
        } else {
            int k = 127 - msb; // 0..63 (the price is at least 2^32, so msb >= 64)
            rh = k == 0 ? q1 : (q1 << k) | (q0 >>> (64 - k));
            rl = q0 << k;
        }
        long fraction = 0;
        for (int bit = 63; bit >= 50; bit--) {
            // r := (r * r) >> 127; f := r >> 128; r := r >> f
            long l00h = Math.unsignedMultiplyHigh(rl, rl);
            long cl = rl * rh;
            long ch = Math.unsignedMultiplyHigh(rl, rh);
            long l11 = rh * rh;
            long h11 = Math.unsignedMultiplyHigh(rh, rh);
            long p1 = l00h + cl;
            long c1 = Long.compareUnsigned(p1, cl) < 0 ? 1 : 0;
            p1 += cl;
            c1 += Long.compareUnsigned(p1, cl) < 0 ? 1 : 0;
            long p2 = l11 + ch;
            long c2 = Long.compareUnsigned(p2, ch) < 0 ? 1 : 0;
            p2 += ch;
            c2 += Long.compareUnsigned(p2, ch) < 0 ? 1 : 0;
            p2 += c1;
            c2 += Long.compareUnsigned(p2, c1) < 0 ? 1 : 0;
            long p3 = h11 + c2;
            long f = p3 >>> 63;
            fraction |= f << bit;
            if (f != 0) {
                rh = p3;
                rl = p2;
            } else {
                rh = (p3 << 1) | (p2 >>> 63);
                rl = (p2 << 1) | (p1 >>> 63);
            }
        }
        // log_sqrt10001 = log_2 * 255738958999603826347141, log_2 = (msb - 128) . fraction as a signed 64.64 number
        long lh = msb - 128;
        long ll = fraction;
        boolean negative = lh < 0;
        if (negative) {
            ll = -ll;
            lh = ~lh + (ll == 0 ? 1 : 0);
        }
        // |log_2| (lh:ll) * (LOG_SQRT10001_HI:LOG_SQRT10001_LO); |log_2| < 2^70 and the multiplier < 2^78: three limbs
        long m0 = ll * LOG_SQRT10001_LO;
        long m0h = Math.unsignedMultiplyHigh(ll, LOG_SQRT10001_LO);
        long a = ll * LOG_SQRT10001_HI;
        long ah = Math.unsignedMultiplyHigh(ll, LOG_SQRT10001_HI);
        long b = lh * LOG_SQRT10001_LO;
        long bh = Math.unsignedMultiplyHigh(lh, LOG_SQRT10001_LO);
        long m1 = m0h + a;
        long k1 = Long.compareUnsigned(m1, a) < 0 ? 1 : 0;
        m1 += b;
        k1 += Long.compareUnsigned(m1, b) < 0 ? 1 : 0;
        long m2 = ah + bh + lh * LOG_SQRT10001_HI + k1;
        if (negative) {
            // two's complement of the 192-bit product
            m0 = -m0;
            long borrow = m0 == 0 ? 1 : 0;
            m1 = ~m1 + borrow;
            borrow = borrow == 1 && m1 == 0 ? 1 : 0;
            m2 = ~m2 + borrow;
        }
        // tickLow = (log_sqrt10001 - TICK_LOW_OFFSET) >> 128, tickHi = (log_sqrt10001 + TICK_HI_OFFSET) >> 128
        long s0 = m0 - TICK_LOW_OFFSET_LO;
        long br0 = Long.compareUnsigned(m0, TICK_LOW_OFFSET_LO) < 0 ? 1 : 0;
        long s1 = m1 - TICK_LOW_OFFSET_HI;
        long br1 = Long.compareUnsigned(m1, TICK_LOW_OFFSET_HI) < 0 ? 1 : 0;
        br1 += Long.compareUnsigned(s1, br0) < 0 ? 1 : 0;
        int tickLow = (int) (m2 - br1);
        long t0 = m0 + TICK_HI_OFFSET_LO;
        long cr0 = Long.compareUnsigned(t0, TICK_HI_OFFSET_LO) < 0 ? 1 : 0;
        long t1 = m1 + TICK_HI_OFFSET_HI;
        long cr1 = Long.compareUnsigned(t1, TICK_HI_OFFSET_HI) < 0 ? 1 : 0;
        t1 += cr0;
        cr1 += Long.compareUnsigned(t1, cr0) < 0 ? 1 : 0;
        int tickHi = (int) (m2 + cr1);
        if (tickLow == tickHi) {
            return tickLow;
        }
        getSqrtRatioAtTick(tickHi, scratch);
        return Uint256.compare(scratch.w3, scratch.w2, scratch.w1, scratch.w0, x3, x2, x1, x0) <= 0 ? tickHi : tickLow;
    }

    /** getTickAtSqrtRatio for a BigInteger price (allocates). */
    public static int getTickAtSqrtRatio(BigInteger sqrtPriceX96) {
        return getTickAtSqrtRatio(Uint256.of(sqrtPriceX96), new Uint256());
    }

    private static int cacheBase(int tick) {
        return ((tick * 0x9E3779B1) >>> (32 - CACHE_BITS)) << 2;
    }

    /** Copies the cached price of {@code tick} into {@code result}; false on a miss (or a concurrent write). */
    private static boolean cached(int tick, Uint256 result) {
        int base = cacheBase(tick);
        long header = (long) SLOT.getAcquire(CACHE, base);
        int sequence = (int) (header >>> 32);
        if ((int) header != tick || sequence == 0 || (sequence & 1) != 0) {
            return false;
        }
        long w0 = CACHE[base + 1];
        long w1 = CACHE[base + 2];
        long w2 = CACHE[base + 3];
        VarHandle.loadLoadFence();
        if ((long) SLOT.get(CACHE, base) != header) {
            return false;
        }
        result.setWords(0, w2, w1, w0);
        return true;
    }

    /** Stores the price of {@code tick}, unless another thread is writing the same entry (then it is skipped). */
    private static void remember(int tick, Uint256 price) {
        int base = cacheBase(tick);
        long header = (long) SLOT.getVolatile(CACHE, base);
        int sequence = (int) (header >>> 32);
        if ((sequence & 1) != 0) {
            return;
        }
        long writing = ((long) (sequence + 1) << 32) | (tick & 0xffffffffL);
        if (!SLOT.compareAndSet(CACHE, base, header, writing)) {
            return;
        }
        CACHE[base + 1] = price.w0;
        CACHE[base + 2] = price.w1;
        CACHE[base + 3] = price.w2;
        SLOT.setRelease(CACHE, base, ((long) (sequence + 2) << 32) | (tick & 0xffffffffL));
    }
}
