package io.poolstate.dex.oracle;

import io.poolstate.dex.math.MathRevert;
import java.math.BigInteger;

/**
 * v3-core {@code contracts/libraries/BigTickMath.sol} (v4-core {@code src/libraries/BigTickMath.sol} computes the same
 * values): sqrt(1.0001^tick) as Q64.96 and its inverse, bit for bit.
 */
public final class BigTickMath {
    public static final int MIN_TICK = -887272;
    public static final int MAX_TICK = 887272;
    public static final BigInteger MIN_SQRT_RATIO = new BigInteger("4295128739");
    public static final BigInteger MAX_SQRT_RATIO = new BigInteger("1461446703485210103287273052203988822378723970342");

    private static final BigInteger[] FACTORS = {
        new BigInteger("fff97272373d413259a46990580e213a", 16),
        new BigInteger("fff2e50f5f656932ef12357cf3c7fdcc", 16),
        new BigInteger("ffe5caca7e10e4e61c3624eaa0941cd0", 16),
        new BigInteger("ffcb9843d60f6159c9db58835c926644", 16),
        new BigInteger("ff973b41fa98c081472e6896dfb254c0", 16),
        new BigInteger("ff2ea16466c96a3843ec78b326b52861", 16),
        new BigInteger("fe5dee046a99a2a811c461f1969c3053", 16),
        new BigInteger("fcbe86c7900a88aedcffc83b479aa3a4", 16),
        new BigInteger("f987a7253ac413176f2b074cf7815e54", 16),
        new BigInteger("f3392b0822b70005940c7a398e4b70f3", 16),
        new BigInteger("e7159475a2c29b7443b29c7fa6e889d9", 16),
        new BigInteger("d097f3bdfd2022b8845ad8f792aa5825", 16),
        new BigInteger("a9f746462d870fdf8a65dc1f90e061e5", 16),
        new BigInteger("70d869a156d2a1b890bb3df62baf32f7", 16),
        new BigInteger("31be135f97d08fd981231505542fcfa6", 16),
        new BigInteger("9aa508b5b7a84e1c677de54f3e99bc9", 16),
        new BigInteger("5d6af8dedb81196699c329225ee604", 16),
        new BigInteger("2216e584f5fa1ea926041bedfe98", 16),
        new BigInteger("48a170391f7dc42444e8fa2", 16),
    };
    private static final BigInteger ODD = new BigInteger("fffcb933bd6fad37aa2d162d1a594001", 16);
    private static final BigInteger LOG_SQRT10001 = new BigInteger("255738958999603826347141");
    private static final BigInteger TICK_LOW_OFFSET = new BigInteger("3402992956809132418596140100660247210");
    private static final BigInteger TICK_HI_OFFSET = new BigInteger("291339464771989622907027621153398088495");
    private static final BigInteger MASK_32 = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);

    private BigTickMath() {
    }

    /** A cached result of {@link #computeSqrtRatioAtTick}; immutable, so races only cost a recomputation. */
    private record Cached(int tick, BigInteger ratio) {
    }

    private static final int CACHE_BITS = 16;
    private static final java.util.concurrent.atomic.AtomicReferenceArray<Cached> CACHE =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(1 << CACHE_BITS);

    /**
     * getSqrtRatioAtTick; reverts ('T') when |tick| > MAX_TICK. Results are kept in a direct-mapped cache of
     * 65,536 entries (a pure function: swaps keep stepping to the same initialised ticks and word edges).
     */
    public static BigInteger getSqrtRatioAtTick(int tick) {
        int slot = (tick * 0x9E3779B1) >>> (32 - CACHE_BITS);
        Cached c = CACHE.get(slot);
        if (c != null && c.tick() == tick) {
            return c.ratio();
        }
        BigInteger r = computeSqrtRatioAtTick(tick);
        CACHE.set(slot, new Cached(tick, r));
        return r;
    }

    /** The uncached computation, as written in the Solidity library. */
    public static BigInteger computeSqrtRatioAtTick(int tick) {
        int absTick = Math.abs(tick);
        if (absTick > MAX_TICK) {
            throw new MathRevert("BigTickMath.getSqrtRatioAtTick: tick out of range (T) tick=" + tick);
        }
        BigInteger ratio = (absTick & 1) != 0 ? ODD : BigU256.Q128;
        for (int i = 0; i < FACTORS.length; i++) {
            if ((absTick & (2 << i)) != 0) {
                ratio = ratio.multiply(FACTORS[i]).shiftRight(128);
            }
        }
        if (tick > 0) {
            ratio = BigU256.MAX_UINT256.divide(ratio);
        }
        BigInteger shifted = ratio.shiftRight(32);
        return ratio.and(MASK_32).signum() == 0 ? shifted : shifted.add(BigInteger.ONE);
    }

    private static final double LOG_SQRT_1_0001 = Math.log(1.0001) / 2;
    private static final double LOG_2_96 = 96 * Math.log(2);

    /**
     * getTickAtSqrtRatio: the greatest tick whose ratio is at most {@code sqrtPriceX96}; reverts ('R') out of
     * range. Computed by its definition: a floating-point estimate, then corrected with exact integer comparisons
     * against {@link #getSqrtRatioAtTick}, so the answer is exact; {@link #computeTickAtSqrtRatio} is the port of
     * the library's bit-by-bit logarithm, and a test checks the two agree.
     */
    public static int getTickAtSqrtRatio(BigInteger sqrtPriceX96) {
        if (sqrtPriceX96.compareTo(MIN_SQRT_RATIO) < 0 || sqrtPriceX96.compareTo(MAX_SQRT_RATIO) >= 0) {
            throw new MathRevert("BigTickMath.getTickAtSqrtRatio: price out of range (R) sqrtPriceX96=" + sqrtPriceX96);
        }
        double estimate = (Math.log(sqrtPriceX96.doubleValue()) - LOG_2_96) / LOG_SQRT_1_0001;
        int tick = (int) Math.max(MIN_TICK, Math.min(MAX_TICK - 1, Math.floor(estimate)));
        while (tick > MIN_TICK && getSqrtRatioAtTick(tick).compareTo(sqrtPriceX96) > 0) {
            tick--;
        }
        while (tick < MAX_TICK - 1 && getSqrtRatioAtTick(tick + 1).compareTo(sqrtPriceX96) <= 0) {
            tick++;
        }
        return tick;
    }

    /** The library's own algorithm (log2 by repeated squaring), ported bit for bit. */
    public static int computeTickAtSqrtRatio(BigInteger sqrtPriceX96) {
        if (sqrtPriceX96.compareTo(MIN_SQRT_RATIO) < 0 || sqrtPriceX96.compareTo(MAX_SQRT_RATIO) >= 0) {
            throw new MathRevert("BigTickMath.getTickAtSqrtRatio: price out of range (R) sqrtPriceX96=" + sqrtPriceX96);
        }
        BigInteger ratio = sqrtPriceX96.shiftLeft(32);
        int msb = ratio.bitLength() - 1;
        BigInteger r = msb >= 128 ? ratio.shiftRight(msb - 127) : ratio.shiftLeft(127 - msb);
        BigInteger log2 = BigInteger.valueOf(msb - 128).shiftLeft(64);
        for (int bit = 63; bit >= 50; bit--) {
            r = r.multiply(r).shiftRight(127);
            int f = r.shiftRight(128).intValue();
            if (f != 0) {
                log2 = log2.or(BigInteger.ONE.shiftLeft(bit));
                r = r.shiftRight(f);
            }
        }
        BigInteger logSqrt10001 = log2.multiply(LOG_SQRT10001);
        int tickLow = logSqrt10001.subtract(TICK_LOW_OFFSET).shiftRight(128).intValue();
        int tickHi = logSqrt10001.add(TICK_HI_OFFSET).shiftRight(128).intValue();
        if (tickLow == tickHi) {
            return tickLow;
        }
        return getSqrtRatioAtTick(tickHi).compareTo(sqrtPriceX96) <= 0 ? tickHi : tickLow;
    }
}
