package io.poolstate.dex.oracle;


import io.poolstate.dex.math.MathRevert;
import io.poolstate.dex.quote.SwapQuote;


import io.poolstate.dex.state.ConcentratedView;
import io.poolstate.dex.state.TickInfo;
import java.math.BigInteger;
import java.util.Map;

/**
 * Simulates a V3 or V4 swap on a pool's state exactly as the pool's swap loop does it (v3-core
 * {@code UniswapV3Pool.swap}, v4-core {@code Pool.swap}): steps to the next initialised tick or the end of the
 * tick-bitmap word, whichever comes first, with the protocol's own BigSwapMath rounding, crossing ticks and
 * updating liquidity on the way. Reads the view only; safe on a snapshot from any thread.
 */
public final class BigConcentratedSwap {
    private BigConcentratedSwap() {
    }

    /**
     * Quotes a swap.
     *
     * @param exactInput    true: {@code amount} is paid in; false: {@code amount} is to be received
     * @param amount        positive, token units
     * @param sqrtPriceLimit the price the swap may not cross, or null for the widest (MIN+1 / MAX-1)
     * @throws MathRevert when the pool would revert (amount zero, a limit on the wrong side, a math overflow)
     */
    public static SwapQuote quote(ConcentratedView pool, boolean zeroForOne, boolean exactInput, BigInteger amount, BigInteger sqrtPriceLimit) {
        if (amount.signum() <= 0) {
            throw new MathRevert("swap amount must be positive (AS): amount=" + amount);
        }
        BigInteger limit = sqrtPriceLimit != null ? sqrtPriceLimit
                : zeroForOne ? BigTickMath.MIN_SQRT_RATIO.add(BigInteger.ONE) : BigTickMath.MAX_SQRT_RATIO.subtract(BigInteger.ONE);
        BigInteger start = pool.sqrtPriceX96();
        if (zeroForOne ? limit.compareTo(start) >= 0 || limit.compareTo(BigTickMath.MIN_SQRT_RATIO) <= 0
                : limit.compareTo(start) <= 0 || limit.compareTo(BigTickMath.MAX_SQRT_RATIO) >= 0) {
            throw new MathRevert("price limit out of range (SPL): limit=" + limit + " price=" + start + " zeroForOne=" + zeroForOne);
        }
        boolean v4 = pool.isV4();
        int fee = v4 ? v4SwapFee(pool, zeroForOne) : pool.fee();
        if (v4 && !exactInput && fee >= 1_000_000) {
            throw new MathRevert("exact output with a 100% fee (InvalidFeeForExactOut)");
        }
        // V3 convention: remaining > 0 exact input; V4: remaining < 0 exact input
        BigInteger specified = v4 == exactInput ? amount.negate() : amount;
        BigInteger remaining = specified;
        BigInteger calculated = BigInteger.ZERO;
        BigInteger price = start;
        int tick = pool.tick();
        BigInteger liquidity = pool.liquidity();
        int spacing = pool.tickSpacing();
        int crossed = 0;
        while (remaining.signum() != 0 && !price.equals(limit)) {
            BigInteger stepStart = price;
            Map.Entry<Integer, TickInfo> found = nextInitializedTick(pool, tick, spacing, zeroForOne);
            long next = found != null ? ((long) found.getKey() << 1) | 1 : wordEdge(tick, spacing, zeroForOne) << 1;
            int tickNext = (int) (next >> 1);
            boolean initialized = (next & 1) != 0;
            tickNext = Math.max(BigTickMath.MIN_TICK, Math.min(BigTickMath.MAX_TICK, tickNext));
            BigInteger priceNext = BigTickMath.getSqrtRatioAtTick(tickNext);
            BigInteger target = (zeroForOne ? priceNext.compareTo(limit) < 0 : priceNext.compareTo(limit) > 0) ? limit : priceNext;
            BigSwapMath.Step s = v4 ? BigSwapMath.computeSwapStepV4(price, target, liquidity, remaining, fee)
                    : BigSwapMath.computeSwapStepV3(price, target, liquidity, remaining, fee);
            price = s.sqrtPriceNextX96();
            BigInteger in = s.amountIn().add(s.feeAmount());
            if (v4) {
                if (exactInput) {
                    remaining = remaining.add(in);
                    calculated = calculated.add(s.amountOut());
                } else {
                    remaining = remaining.subtract(s.amountOut());
                    calculated = calculated.subtract(in);
                }
            } else if (exactInput) {
                remaining = remaining.subtract(in);
                calculated = calculated.subtract(s.amountOut());
            } else {
                remaining = remaining.add(s.amountOut());
                calculated = calculated.add(in);
            }
            if (price.equals(priceNext)) {
                if (initialized) {
                    BigInteger net = found.getValue().liquidityNet();
                    liquidity = BigLiquidityMath.addDelta(liquidity, zeroForOne ? net.negate() : net);
                    crossed++;
                }
                tick = zeroForOne ? tickNext - 1 : tickNext;
            } else if (!price.equals(stepStart)) {
                tick = BigTickMath.getTickAtSqrtRatio(price);
            }
        }
        if (v4 && (!fitsInt128(calculated) || !fitsInt128(specified.subtract(remaining)))) {
            // v4 Pool.swap casts both amounts with SafeCast.toInt128
            throw new MathRevert("swap amount overflows int128 (SafeCastOverflow): calculated=" + calculated);
        }
        if (!v4 && calculated.signum() == 0 && specified.equals(remaining)) {
            // the pool would move its price without an exchange; the V3 periphery (SwapRouter, QuoterV2) refuses that
            throw new MathRevert("swap entirely within a zero-liquidity range (periphery: amounts must not both be zero)");
        }
        BigInteger used = specified.subtract(remaining).abs();
        BigInteger other = calculated.abs();
        BigInteger amountIn = exactInput ? used : other;
        BigInteger amountOut = exactInput ? other : used;
        return new SwapQuote(amountIn, amountOut, price, tick, liquidity, crossed, remaining.signum() == 0);
    }

    private static boolean fitsInt128(BigInteger v) {
        return v.bitLength() <= 127;
    }

    /** v4 ProtocolFeeLibrary.calculateSwapFee: {@code protocol + lp - protocol * lp / 1e6}, or the LP fee when no protocol fee. */
    static int v4SwapFee(ConcentratedView pool, boolean zeroForOne) {
        int protocol = zeroForOne ? pool.protocolFee() & 0xfff : (pool.protocolFee() >>> 12) & 0xfff;
        int lp = pool.fee();
        if (protocol == 0) {
            return lp;
        }
        return (int) (protocol + lp - (long) protocol * lp / 1_000_000L);
    }

    /**
     * TickBitmap.nextInitializedTickWithinOneWord over the initialised ticks: the next initialised tick at or
     * left of {@code tick} ({@code lte}) or right of it, within the same 256-tick word of compressed ticks, or
     * null when there is none and the swap steps to the word's edge ({@link #wordEdge}).
     */
    static Map.Entry<Integer, TickInfo> nextInitializedTick(ConcentratedView pool, int tick, int spacing, boolean lte) {
        int compressed = Math.floorDiv(tick, spacing);
        if (lte) {
            Map.Entry<Integer, TickInfo> e = pool.ticks().floorEntry(compressed * spacing);
            return e != null && e.getKey() >= Math.floorDiv(compressed, 256) * 256 * spacing ? e : null;
        }
        int from = compressed + 1;
        Map.Entry<Integer, TickInfo> e = pool.ticks().ceilingEntry(from * spacing);
        return e != null && e.getKey() <= (Math.floorDiv(from, 256) * 256 + 255) * spacing ? e : null;
    }

    /** The edge of the bitmap word the swap steps to when no initialised tick is in range. */
    static long wordEdge(int tick, int spacing, boolean lte) {
        int compressed = Math.floorDiv(tick, spacing);
        return lte ? (long) Math.floorDiv(compressed, 256) * 256 * spacing : (long) (Math.floorDiv(compressed + 1, 256) * 256 + 255) * spacing;
    }

}
