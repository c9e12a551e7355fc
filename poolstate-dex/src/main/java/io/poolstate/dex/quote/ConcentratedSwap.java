package io.poolstate.dex.quote;

import io.poolstate.dex.math.LiquidityMath;
import io.poolstate.dex.math.MathRevert;
import io.poolstate.dex.math.SwapMath;
import io.poolstate.dex.math.TickMath;
import io.poolstate.dex.math.Uint256;
import io.poolstate.dex.state.ConcentratedView;
import io.poolstate.dex.state.TickTable;
import java.math.BigInteger;

/**
 * Simulates a V3 or V4 swap on a pool's state exactly as the pool's swap loop does it (v3-core
 * {@code contracts/UniswapV3Pool.sol} {@code swap}, v4-core {@code src/libraries/Pool.sol} {@code swap}): steps to the
 * next initialised tick or the end of the tick-bitmap word, whichever comes first, with the protocol's own SwapMath
 * rounding, crossing ticks and updating liquidity on the way; the amounts are checked as the contracts cast them
 * (int256 for every step, int128 for a V4 result).
 *
 * <p>An instance holds the registers of one simulation at a time and allocates nothing per swap or per step: one per
 * thread, reused ({@link #quote} keeps one per thread). The results stay readable until the next simulation. It
 * reads the view only: a snapshot from any thread, or the live state from its writer's thread.
 */
public final class ConcentratedSwap {
    private static final ThreadLocal<ConcentratedSwap> PER_THREAD = ThreadLocal.withInitial(ConcentratedSwap::new);
    /** 2^255 - 1 and 2^127 - 1: the largest int256 and int128, as the limits of magnitudes. */
    private static final Uint256 MAX_INT256 = new Uint256().setWords(Long.MAX_VALUE, -1L, -1L, -1L);
    private static final Uint256 MAX_INT128 = new Uint256().setWords(0, 0, Long.MAX_VALUE, -1L);
    private static final Uint256 MIN_INT128_MAGNITUDE = new Uint256().setWords(0, 0, Long.MIN_VALUE, 0);
    private static final Uint256 MIN_SQRT_RATIO = Uint256.of(TickMath.MIN_SQRT_RATIO);
    private static final Uint256 MAX_SQRT_RATIO = Uint256.of(TickMath.MAX_SQRT_RATIO);
    private static final Uint256 DEFAULT_LIMIT_ZERO_FOR_ONE = Uint256.of(TickMath.MIN_SQRT_RATIO.add(BigInteger.ONE));
    private static final Uint256 DEFAULT_LIMIT_ONE_FOR_ZERO = Uint256.of(TickMath.MAX_SQRT_RATIO.subtract(BigInteger.ONE));

    /** The amount of {@link #quote}. */
    private final Uint256 input = new Uint256();
    private final Uint256 limit = new Uint256();
    private final Uint256 price = new Uint256();
    private final Uint256 priceNext = new Uint256();
    private final Uint256 liquidity = new Uint256();
    /** Magnitude of the amount still to swap (the sign follows from the mode). */
    private final Uint256 remaining = new Uint256();
    /** Magnitude of the other side's amount so far. */
    private final Uint256 calculated = new Uint256();
    private final Uint256 stepTotal = new Uint256();
    private final Uint256 scratch = new Uint256();
    private final SwapMath.Step step = new SwapMath.Step();
    private final Uint256 amountIn = new Uint256();
    private final Uint256 amountOut = new Uint256();
    private int tickAfter;
    private int ticksCrossed;
    private boolean complete;

    /**
     * Quotes a swap on the calling thread's simulator.
     *
     * @param exactInput     true: {@code amount} is paid in; false: {@code amount} is to be received
     * @param amount         positive and below 2^255 (an int256), token units
     * @param sqrtPriceLimit the price the swap may not cross, or null for the widest (MIN+1 / MAX-1)
     * @throws MathRevert when the pool would revert (amount zero, a limit on the wrong side, a math overflow)
     */
    public static SwapQuote quote(ConcentratedView pool, boolean zeroForOne, boolean exactInput, BigInteger amount, BigInteger sqrtPriceLimit) {
        if (amount.signum() <= 0 || amount.bitLength() > 255) {
            throw new MathRevert("swap amount must be positive and fit int256 (AS): amount=" + amount);
        }
        if (sqrtPriceLimit != null && (sqrtPriceLimit.signum() < 0 || sqrtPriceLimit.bitLength() > 160)) {
            throw new MathRevert("price limit out of range (SPL): limit=" + sqrtPriceLimit + " zeroForOne=" + zeroForOne);
        }
        ConcentratedSwap s = PER_THREAD.get();
        s.simulate(pool, zeroForOne, exactInput, s.input.set(amount), sqrtPriceLimit == null ? null : s.limit.set(sqrtPriceLimit));
        return new SwapQuote(s.amountIn.toBigInteger(), s.amountOut.toBigInteger(), s.price.toBigInteger(), s.tickAfter,
                s.liquidity.toBigInteger(), s.ticksCrossed, s.complete);
    }

    /**
     * Simulates a swap; read the outcome with the accessors. {@code amount} and {@code sqrtPriceLimitX96} may be
     * registers of this simulator's earlier results.
     *
     * @param amount            positive and below 2^255 (an int256), token units
     * @param sqrtPriceLimitX96 the price the swap may not cross, or null for the widest (MIN+1 / MAX-1)
     * @throws MathRevert when the pool would revert
     */
    public void simulate(ConcentratedView pool, boolean zeroForOne, boolean exactInput, Uint256 amount, Uint256 sqrtPriceLimitX96) {
        if (amount.isZero() || amount.compareTo(MAX_INT256) > 0) {
            throw new MathRevert("swap amount must be positive and fit int256 (AS): amount=" + amount);
        }
        remaining.set(amount);
        limit.set(sqrtPriceLimitX96 != null ? sqrtPriceLimitX96 : zeroForOne ? DEFAULT_LIMIT_ZERO_FOR_ONE : DEFAULT_LIMIT_ONE_FOR_ZERO);
        pool.loadSqrtPriceX96(price);
        if (zeroForOne ? limit.compareTo(price) >= 0 || limit.compareTo(MIN_SQRT_RATIO) <= 0
                : limit.compareTo(price) <= 0 || limit.compareTo(MAX_SQRT_RATIO) >= 0) {
            throw new MathRevert("price limit out of range (SPL): limit=" + limit + " price=" + price + " zeroForOne=" + zeroForOne);
        }
        boolean v4 = pool.isV4();
        int fee = v4 ? v4SwapFee(pool, zeroForOne) : pool.fee();
        if (v4 && !exactInput && fee >= SwapMath.MAX_SWAP_FEE) {
            throw new MathRevert("exact output with a 100% fee (InvalidFeeForExactOut): fee=" + fee);
        }
        calculated.set(0);
        pool.loadLiquidity(liquidity);
        TickTable ticks = pool.tickTable();
        int spacing = pool.tickSpacing();
        int tick = pool.tick();
        int crossed = 0;
        // the index the next search lands on after crossing a tick: the neighbour in the swap's direction
        int hint = -1;
        while (!remaining.isZero() && !price.valueEquals(limit)) {
            long next = ticks.nextInitializedTickWithinOneWord(tick, spacing, zeroForOne, hint);
            int tickNext = Math.max(TickMath.MIN_TICK, Math.min(TickMath.MAX_TICK, (int) (next >> 32)));
            int index = (int) next;
            TickMath.getSqrtRatioAtTick(tickNext, priceNext);
            Uint256 target = (zeroForOne ? priceNext.compareTo(limit) < 0 : priceNext.compareTo(limit) > 0) ? limit : priceNext;
            if (v4) {
                SwapMath.computeSwapStepV4(price, target, liquidity, remaining, exactInput, fee, step);
            } else {
                SwapMath.computeSwapStepV3(price, target, liquidity, remaining, exactInput, fee, step);
            }
            Uint256 reached = step.sqrtPriceNextX96;
            boolean atNext = reached.valueEquals(priceNext);
            boolean moved = atNext || !reached.valueEquals(price);
            price.set(reached);
            account(exactInput, v4);
            if (atNext) {
                if (index >= 0) {
                    long netHigh = ticks.netHigh(index);
                    long netLow = ticks.netLow(index);
                    if (zeroForOne) {
                        // liquidityNet is never type(int128).min, so its negation fits
                        netLow = -netLow;
                        netHigh = ~netHigh + (netLow == 0 ? 1 : 0);
                    }
                    LiquidityMath.addDelta(liquidity, netHigh, netLow, liquidity);
                    crossed++;
                    hint = zeroForOne ? index - 1 : index + 1;
                } else {
                    hint = -1;
                }
                tick = zeroForOne ? tickNext - 1 : tickNext;
            } else if (moved) {
                tick = TickMath.getTickAtSqrtRatio(price, scratch);
            }
        }
        finish(amount, exactInput, v4, tick, crossed);
    }

    /**
     * The step's amounts into the running totals, as the pools do: exact input takes {@code amountIn + feeAmount}
     * from the remaining amount and adds {@code amountOut} to the calculated one, exact output the other way round.
     * Every amount is cast to int256 and the calculated total stays an int256 (negative for V3 exact input and V4
     * exact output), as the contracts' checked arithmetic requires.
     */
    private void account(boolean exactInput, boolean v4) {
        stepTotal.set(step.amountIn);
        addChecked(stepTotal, step.feeAmount, false);
        Uint256 spent = exactInput ? stepTotal : step.amountOut;
        Uint256 received = exactInput ? step.amountOut : stepTotal;
        // above type(int256).max exactly when the top bit is set
        if ((spent.word(3) | received.word(3)) < 0) {
            throw new MathRevert("swap step amount overflows int256 (SafeCast): amountIn=" + step.amountIn + " fee=" + step.feeAmount
                    + " amountOut=" + step.amountOut);
        }
        subtractChecked(remaining, spent);
        boolean calculatedNegative = exactInput != v4;
        addChecked(calculated, received, calculatedNegative);
    }

    private void finish(Uint256 amount, boolean exactInput, boolean v4, int tick, int crossed) {
        // used = |amountSpecified - amountSpecifiedRemaining|
        scratch.set(amount);
        subtractChecked(scratch, remaining);
        if (v4) {
            // Pool.swap casts both amounts with SafeCast.toInt128; the specified side is negative for exact input
            boolean calculatedNegative = !exactInput;
            if (calculated.compareTo(calculatedNegative ? MIN_INT128_MAGNITUDE : MAX_INT128) > 0
                    || scratch.compareTo(exactInput ? MIN_INT128_MAGNITUDE : MAX_INT128) > 0) {
                throw new MathRevert("swap amount overflows int128 (SafeCastOverflow): calculated=" + calculated + " specified=" + scratch);
            }
        } else if (calculated.isZero() && remaining.valueEquals(amount)) {
            // the pool would move its price without an exchange; the V3 periphery (SwapRouter, QuoterV2) refuses that
            throw new MathRevert("swap entirely within a zero-liquidity range (periphery: amounts must not both be zero)");
        }
        amountIn.set(exactInput ? scratch : calculated);
        amountOut.set(exactInput ? calculated : scratch);
        tickAfter = tick;
        ticksCrossed = crossed;
        complete = remaining.isZero();
    }

    /** {@code x += y}, reverting above 2^255 - 1 (the largest int256), or above 2^255 for the magnitude of a negative one. */
    private static void addChecked(Uint256 x, Uint256 y, boolean negative) {
        long s0 = x.word(0) + y.word(0);
        long c = Long.compareUnsigned(s0, y.word(0)) < 0 ? 1 : 0;
        long s1 = x.word(1) + y.word(1);
        long c1 = Long.compareUnsigned(s1, y.word(1)) < 0 ? 1 : 0;
        s1 += c;
        c1 += Long.compareUnsigned(s1, c) < 0 ? 1 : 0;
        long s2 = x.word(2) + y.word(2);
        long c2 = Long.compareUnsigned(s2, y.word(2)) < 0 ? 1 : 0;
        s2 += c1;
        c2 += Long.compareUnsigned(s2, c1) < 0 ? 1 : 0;
        long s3 = x.word(3) + y.word(3);
        long c3 = Long.compareUnsigned(s3, y.word(3)) < 0 ? 1 : 0;
        s3 += c2;
        c3 += Long.compareUnsigned(s3, c2) < 0 ? 1 : 0;
        x.setWords(s3, s2, s1, s0);
        // above 2^255 - 1: the top bit set; above 2^255: the top bit set and any other bit too
        if (c3 != 0 || s3 < 0 && (!negative || (s3 & Long.MAX_VALUE | s2 | s1 | s0) != 0)) {
            throw new MathRevert("swap amount overflows int256 (checked arithmetic): amount=" + x + (c3 != 0 ? " + 2^256" : ""));
        }
    }

    /** {@code x -= y} for {@code y <= x} (the pool's invariants guarantee it). */
    private static void subtractChecked(Uint256 x, Uint256 y) {
        long d0 = x.word(0) - y.word(0);
        long b = Long.compareUnsigned(x.word(0), y.word(0)) < 0 ? 1 : 0;
        long d1 = x.word(1) - y.word(1) - b;
        b = Long.compareUnsigned(x.word(1), y.word(1)) < 0 || x.word(1) == y.word(1) && b == 1 ? 1 : 0;
        long d2 = x.word(2) - y.word(2) - b;
        b = Long.compareUnsigned(x.word(2), y.word(2)) < 0 || x.word(2) == y.word(2) && b == 1 ? 1 : 0;
        long d3 = x.word(3) - y.word(3) - b;
        if (Long.compareUnsigned(x.word(3), y.word(3)) < 0 || x.word(3) == y.word(3) && b == 1) {
            throw new IllegalStateException("swap step exceeds the remaining amount: remaining=" + x + " step=" + y);
        }
        x.setWords(d3, d2, d1, d0);
    }

    /** What the swapper pays, fee included (token units); valid until the next simulation. */
    public Uint256 amountIn() {
        return amountIn;
    }

    /** What the swapper receives (token units); valid until the next simulation. */
    public Uint256 amountOut() {
        return amountOut;
    }

    /** The price after the swap (Q64.96); valid until the next simulation. */
    public Uint256 sqrtPriceX96After() {
        return price;
    }

    /** The active liquidity after the swap (uint128); valid until the next simulation. */
    public Uint256 liquidityAfter() {
        return liquidity;
    }

    public int tickAfter() {
        return tickAfter;
    }

    /** Initialised ticks crossed. */
    public int ticksCrossed() {
        return ticksCrossed;
    }

    /** False when the price limit or the end of liquidity stopped the swap before the amount was used up. */
    public boolean complete() {
        return complete;
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
}
