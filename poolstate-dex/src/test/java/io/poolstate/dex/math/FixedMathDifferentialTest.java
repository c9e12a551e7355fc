package io.poolstate.dex.math;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.dex.oracle.BigFullMath;
import io.poolstate.dex.oracle.BigLiquidityMath;
import io.poolstate.dex.oracle.BigSqrtPriceMath;
import io.poolstate.dex.oracle.BigSwapMath;
import io.poolstate.dex.oracle.BigTickMath;
import io.poolstate.dex.oracle.BigV2Swap;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The fixed-width math equals the BigInteger port (io.poolstate.dex.oracle) on seeded random inputs weighted to
 * the edges: the same value, or a revert on both sides. {@link DifferentialInputs#COUNT} inputs per function (100,000
 * in the normal run; the full run is {@code -Dpoolstate.differential.count=10000000}); the seed is printed and
 * {@code -Dpoolstate.seed=S} repeats a run.
 */
class FixedMathDifferentialTest {
    private static final String REVERT = "revert";

    /** Collects mismatches (at most 20 kept) so a failure shows several inputs at once. */
    private static final class Mismatches {
        final List<String> found = new ArrayList<>();
        long count;

        void check(String function, Supplier<Object> oracle, Supplier<Object> fixed, Object... inputs) {
            String expected = outcome(oracle);
            String actual = outcome(fixed);
            if (!expected.equals(actual)) {
                count++;
                if (found.size() < 20) {
                    found.add(function + "(" + String.join(", ", java.util.Arrays.stream(inputs).map(String::valueOf).toList()) + "): oracle="
                            + expected + " fixed=" + actual);
                }
            }
        }

        void assertNone(DifferentialInputs in) {
            assertThat(found).as("mismatches (%d in all) with seed=%d (rerun with -Dpoolstate.seed=%d)", count, in.seed, in.seed).isEmpty();
        }
    }

    private static String outcome(Supplier<Object> s) {
        try {
            return String.valueOf(s.get());
        } catch (ArithmeticException e) {
            return REVERT;
        }
    }

    private static BigInteger big(Uint256 r) {
        return r.toBigInteger();
    }

    @Test
    void mulDivAndMulDivRoundingUp() {
        DifferentialInputs in = new DifferentialInputs("FullMath.mulDiv/mulDivRoundingUp");
        Mismatches m = new Mismatches();
        Uint256 r = new Uint256();
        BigInteger max64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        for (int i = 0; i < DifferentialInputs.COUNT; i++) {
            boolean oneLimb = in.r.nextInt(8) == 0;
            BigInteger a = oneLimb ? in.random(in.r.nextInt(1, 65)) : in.uint(256);
            BigInteger b = oneLimb ? in.random(in.r.nextInt(1, 65)) : in.uint(256);
            BigInteger d = oneLimb ? switch (in.r.nextInt(3)) {
                // one-limb operands whose quotient is just below 2^64 (rounding up carries into the second limb)
                case 0 -> a.multiply(b).divide(max64).max(BigInteger.ONE).min(max64);
                case 1 -> a.multiply(b).shiftRight(64).add(BigInteger.valueOf(in.r.nextInt(0, 3))).max(BigInteger.ONE).min(max64);
                default -> in.random(in.r.nextInt(1, 65));
            } : switch (in.r.nextInt(8)) {
                // the overflow boundary: prod1 == denominator - 1 or == denominator
                case 0 -> a.multiply(b).shiftRight(256).add(BigInteger.valueOf(in.r.nextInt(2)));
                // exact divisions and their neighbours (remainders of 0 and 1)
                case 1 -> a.signum() == 0 ? BigInteger.ONE : a;
                case 2 -> a.multiply(b).subtract(BigInteger.ONE).max(BigInteger.ONE).min(DifferentialInputs.MAX_UINT256);
                default -> in.uint(256);
            };
            Uint256 ua = Uint256.of(a);
            Uint256 ub = Uint256.of(b);
            Uint256 ud = Uint256.of(d);
            m.check("mulDiv", () -> BigFullMath.mulDiv(a, b, d), () -> {
                FullMath.mulDiv(ua, ub, ud, r);
                return big(r);
            }, a, b, d);
            m.check("mulDivRoundingUp", () -> BigFullMath.mulDivRoundingUp(a, b, d), () -> {
                FullMath.mulDivRoundingUp(ua, ub, ud, r);
                return big(r);
            }, a, b, d);
            m.check("divRoundingUp", () -> BigFullMath.divRoundingUp(a, d), () -> {
                FullMath.divRoundingUp(ua, ud, r);
                return big(r);
            }, a, d);
        }
        m.assertNone(in);
    }

    @Test
    void tickMathBothWays() {
        DifferentialInputs in = new DifferentialInputs("TickMath.getSqrtRatioAtTick/getTickAtSqrtRatio");
        Mismatches m = new Mismatches();
        Uint256 r = new Uint256();
        Uint256 scratch = new Uint256();
        for (int i = 0; i < DifferentialInputs.COUNT; i++) {
            int t = in.tick();
            m.check("getSqrtRatioAtTick", () -> BigTickMath.computeSqrtRatioAtTick(t), () -> {
                TickMath.getSqrtRatioAtTick(t, r);
                return big(r);
            }, t);
            m.check("computeSqrtRatioAtTick", () -> BigTickMath.computeSqrtRatioAtTick(t), () -> {
                TickMath.computeSqrtRatioAtTick(t, r);
                return big(r);
            }, t);
            BigInteger p = in.sqrtPrice();
            Uint256 up = Uint256.of(p);
            m.check("getTickAtSqrtRatio", () -> BigTickMath.computeTickAtSqrtRatio(p), () -> TickMath.getTickAtSqrtRatio(up, scratch), p);
        }
        m.assertNone(in);
    }

    @Test
    void sqrtPriceMathAmounts() {
        DifferentialInputs in = new DifferentialInputs("SqrtPriceMath.getAmount0Delta/getAmount1Delta");
        Mismatches m = new Mismatches();
        Uint256 r = new Uint256();
        for (int i = 0; i < DifferentialInputs.COUNT; i++) {
            BigInteger a = in.r.nextInt(16) == 0 ? in.uint(160) : in.validSqrtPrice();
            BigInteger b = in.r.nextInt(4) == 0 ? a.add(BigInteger.valueOf(in.r.nextInt(-1, 2))).max(BigInteger.ZERO).min(DifferentialInputs.MAX_UINT160)
                    : in.validSqrtPrice();
            BigInteger l = in.liquidity();
            boolean up = in.r.nextBoolean();
            Uint256 ua = Uint256.of(a);
            Uint256 ub = Uint256.of(b);
            Uint256 ul = Uint256.of(l);
            // against the library's own two-division form
            m.check("getAmount0Delta", () -> BigSqrtPriceMath.getAmount0DeltaReference(a, b, l, up), () -> {
                SqrtPriceMath.getAmount0Delta(ua, ub, ul, up, r);
                return big(r);
            }, a, b, l, up);
            m.check("getAmount1Delta", () -> {
                BigInteger diff = a.subtract(b).abs();
                return up ? BigFullMath.mulDivRoundingUp(l, diff, DifferentialInputs.Q96) : BigFullMath.mulDiv(l, diff, DifferentialInputs.Q96);
            }, () -> {
                SqrtPriceMath.getAmount1Delta(ua, ub, ul, up, r);
                return big(r);
            }, a, b, l, up);
        }
        m.assertNone(in);
    }

    /**
     * getTickAtSqrtRatio's double-precision estimate against the library's algorithm on both sides of every tick's
     * price (the only places where it could pick the neighbouring tick): the price itself, one below and one above.
     */
    @Test
    void getTickAtSqrtRatioAtEveryTickBoundary() {
        Uint256 price = new Uint256();
        Uint256 scratch = new Uint256();
        Uint256 scratch2 = new Uint256();
        List<String> found = new ArrayList<>();
        long fastPath = 0;
        long checked = 0;
        for (int t = TickMath.MIN_TICK; t <= TickMath.MAX_TICK; t++) {
            TickMath.computeSqrtRatioAtTick(t, price);
            for (int delta = -1; delta <= 1; delta++) {
                Uint256 p = Uint256.of(price.toBigInteger().add(BigInteger.valueOf(delta)));
                if (p.toBigInteger().compareTo(BigTickMath.MIN_SQRT_RATIO) < 0 || p.toBigInteger().compareTo(BigTickMath.MAX_SQRT_RATIO) >= 0) {
                    continue;
                }
                int expected = TickMath.getTickAtSqrtRatioAsLibrary(p, scratch);
                int actual = TickMath.getTickAtSqrtRatio(p, scratch2);
                checked++;
                double e = TickMath.estimateTick(p.word(2), p.word(1), p.word(0));
                double f = e - Math.floor(e);
                if (f > TickMath.TICK_ESTIMATE_MARGIN && f < 1 - TickMath.TICK_ESTIMATE_MARGIN) {
                    fastPath++;
                }
                if (expected != actual && found.size() < 20) {
                    found.add("tick=" + t + " price=" + p + " library=" + expected + " fast=" + actual);
                }
            }
        }
        System.out.println("getTickAtSqrtRatio at every tick boundary: " + checked + " prices, " + fastPath + " by the estimate alone");
        assertThat(found).isEmpty();
        // the boundaries are where the estimate defers to the library: it must almost never answer alone there
        assertThat(fastPath).isZero();
    }

    /**
     * getAmount0Delta for prices of two limbs (2^64 .. 2^128 - 1, the written-out division): consecutive tick prices
     * as a swap steps through them, their neighbours, the ends of the range and products of the prices on both
     * sides of 2^192, against the library's two divisions.
     */
    @Test
    void getAmount0DeltaTwoLimbPrices() {
        DifferentialInputs in = new DifferentialInputs("SqrtPriceMath.getAmount0Delta (two-limb prices)");
        Mismatches m = new Mismatches();
        Uint256 r = new Uint256();
        BigInteger min = BigInteger.ONE.shiftLeft(64);
        BigInteger max = DifferentialInputs.MAX_UINT128;
        int minTick = TickMath.getTickAtSqrtRatio(min) + 1;
        int maxTick = TickMath.getTickAtSqrtRatio(max);
        for (int i = 0; i < DifferentialInputs.COUNT; i++) {
            BigInteger a;
            BigInteger b;
            switch (in.r.nextInt(6)) {
                case 0, 1 -> {
                    int t = in.r.nextInt(minTick, maxTick);
                    int spacing = new int[] {1, 10, 60, 200}[in.r.nextInt(4)];
                    a = BigTickMath.computeSqrtRatioAtTick(t);
                    b = BigTickMath.computeSqrtRatioAtTick(Math.min(maxTick, t + spacing));
                }
                case 2 -> {
                    a = new BigInteger[] {min, min.add(BigInteger.ONE), DifferentialInputs.Q96, DifferentialInputs.Q96.subtract(BigInteger.ONE),
                        max, max.subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(96 + 32)}[in.r.nextInt(7)].min(max);
                    b = in.r.nextBoolean() ? a.add(BigInteger.valueOf(in.r.nextInt(-2, 3))).max(min).min(max) : in.random(in.r.nextInt(65, 129));
                }
                default -> {
                    a = in.random(in.r.nextInt(65, 129));
                    b = in.r.nextInt(4) == 0 ? a.add(BigInteger.valueOf(in.r.nextInt(-1, 2))).max(min).min(max) : in.random(in.r.nextInt(65, 129));
                }
            }
            BigInteger l = in.liquidity();
            boolean up = in.r.nextBoolean();
            BigInteger pa = a;
            BigInteger pb = b;
            Uint256 ua = Uint256.of(a);
            Uint256 ub = Uint256.of(b);
            Uint256 ul = Uint256.of(l);
            m.check("getAmount0Delta", () -> BigSqrtPriceMath.getAmount0DeltaReference(pa, pb, l, up), () -> {
                SqrtPriceMath.getAmount0Delta(ua, ub, ul, up, r);
                return big(r);
            }, a, b, l, up);
        }
        m.assertNone(in);
    }

    /**
     * The four-limb division of getAmount0Delta against BigInteger, with divisors and dividends built to make the
     * quotient estimate one too large (the add-back), which random products of prices almost never do.
     */
    @Test
    void divideBy4Limbs() {
        DifferentialInputs in = new DifferentialInputs("SqrtPriceMath.divideBy4Limbs");
        Mismatches m = new Mismatches();
        Workspace ws = new Workspace();
        long addBacks = 0;
        for (int i = 0; i < DifferentialInputs.COUNT; i++) {
            BigInteger d;
            if (in.r.nextBoolean()) {
                // a small second limb and large lower ones: the estimate from the top two limbs overshoots
                d = BigInteger.ONE.shiftLeft(255).or(in.random(in.r.nextInt(0, 10)).shiftLeft(128)).or(in.uint(128))
                        .or(in.r.nextBoolean() ? BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE) : BigInteger.ZERO);
            } else {
                d = BigInteger.ONE.shiftLeft(255).or(in.uint(255));
            }
            BigInteger q = in.uint(in.r.nextInt(1, 257));
            BigInteger rem = switch (in.r.nextInt(4)) {
                case 0 -> BigInteger.ZERO;
                case 1 -> d.subtract(BigInteger.ONE);
                default -> in.uint(256).mod(d);
            };
            BigInteger n = q.multiply(d).add(rem);
            if (in.r.nextInt(4) == 0 && n.signum() > 0) {
                n = n.subtract(BigInteger.ONE);
            }
            if (n.shiftRight(256).compareTo(d) >= 0 || n.bitLength() > 512) {
                continue;
            }
            BigInteger dividend = n;
            BigInteger qTrue = n.divide(d);
            // quotient limbs where the estimate from the top two divisor limbs overshoots need the add-back
            for (int j = 3; j >= 0; j--) {
                BigInteger window = n.shiftRight(64 * j).subtract(qTrue.shiftRight(64 * (j + 1)).multiply(d).shiftLeft(64));
                BigInteger estimate = window.shiftRight(128).divide(d.shiftRight(128)).min(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
                if (estimate.compareTo(window.divide(d)) > 0) {
                    addBacks++;
                }
            }
            BigInteger divisor = d;
            BigInteger rTrue = n.mod(d);
            m.check("divideBy4Limbs", () -> qTrue + "/" + (rTrue.signum() != 0) + "/" + rTrue, () -> {
                BigInteger v = dividend;
                for (int k = 0; k < 8; k++) {
                    ws.u[k] = v.longValue();
                    v = v.shiftRight(64);
                }
                long[] w = new long[4];
                BigInteger dd = divisor;
                for (int k = 0; k < 4; k++) {
                    w[k] = dd.longValue();
                    dd = dd.shiftRight(64);
                }
                boolean inexact = SqrtPriceMath.divideBy4Limbs(ws, 8, w[3], w[2], w[1], w[0]);
                BigInteger quotient = new Uint256().setWords(ws.q[3], ws.q[2], ws.q[1], ws.q[0]).toBigInteger();
                BigInteger remainder = new Uint256().setWords(ws.u[3], ws.u[2], ws.u[1], ws.u[0]).toBigInteger();
                return quotient + "/" + inexact + "/" + remainder;
            }, dividend, divisor);
        }
        m.assertNone(in);
        System.out.println("divideBy4Limbs: quotient limbs whose estimate overshoots (add-back): about " + addBacks);
        assertThat(addBacks).isPositive();
    }

    @Test
    void sqrtPriceMathNextPrices() {
        DifferentialInputs in = new DifferentialInputs("SqrtPriceMath.getNextSqrtPriceFromInput/Output");
        Mismatches m = new Mismatches();
        Uint256 r = new Uint256();
        for (int i = 0; i < DifferentialInputs.COUNT; i++) {
            BigInteger p = in.r.nextInt(16) == 0 ? in.uint(160) : in.validSqrtPrice();
            BigInteger l = in.liquidity();
            BigInteger amount = in.amount();
            boolean zeroForOne = in.r.nextBoolean();
            Uint256 up = Uint256.of(p);
            Uint256 ul = Uint256.of(l);
            Uint256 ua = Uint256.of(amount);
            m.check("getNextSqrtPriceFromInput", () -> BigSqrtPriceMath.getNextSqrtPriceFromInput(p, l, amount, zeroForOne), () -> {
                SqrtPriceMath.getNextSqrtPriceFromInput(up, ul, ua, zeroForOne, r);
                return big(r);
            }, p, l, amount, zeroForOne);
            m.check("getNextSqrtPriceFromOutput", () -> BigSqrtPriceMath.getNextSqrtPriceFromOutput(p, l, amount, zeroForOne), () -> {
                SqrtPriceMath.getNextSqrtPriceFromOutput(up, ul, ua, zeroForOne, r);
                return big(r);
            }, p, l, amount, zeroForOne);
        }
        m.assertNone(in);
    }

    @Test
    void computeSwapStepV3AndV4() {
        DifferentialInputs in = new DifferentialInputs("SwapMath.computeSwapStep V3/V4");
        Mismatches m = new Mismatches();
        SwapMath.Step step = new SwapMath.Step();
        BigInteger maxInt256 = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.ONE);
        for (int i = 0; i < DifferentialInputs.COUNT; i++) {
            BigInteger current = in.validSqrtPrice();
            BigInteger target = switch (in.r.nextInt(4)) {
                case 0 -> current.add(BigInteger.valueOf(in.r.nextInt(-2, 3))).max(BigTickMath.MIN_SQRT_RATIO).min(BigTickMath.MAX_SQRT_RATIO);
                default -> in.validSqrtPrice();
            };
            BigInteger l = in.liquidity();
            BigInteger remaining = in.amount().min(maxInt256);
            boolean exactIn = in.r.nextBoolean();
            int fee = in.fee();
            int feeV4 = in.r.nextInt(32) == 0 && exactIn ? SwapMath.MAX_SWAP_FEE : fee;
            Uint256 uc = Uint256.of(current);
            Uint256 ut = Uint256.of(target);
            Uint256 ul = Uint256.of(l);
            Uint256 ur = Uint256.of(remaining);
            m.check("computeSwapStepV3", () -> describe(BigSwapMath.computeSwapStepV3(current, target, l, exactIn ? remaining : remaining.negate(), fee)),
                    () -> {
                        SwapMath.computeSwapStepV3(uc, ut, ul, ur, exactIn, fee, step);
                        return describe(step);
                    }, current, target, l, remaining, exactIn, fee);
            m.check("computeSwapStepV4", () -> describe(BigSwapMath.computeSwapStepV4(current, target, l, exactIn ? remaining.negate() : remaining, feeV4)),
                    () -> {
                        SwapMath.computeSwapStepV4(uc, ut, ul, ur, exactIn, feeV4, step);
                        return describe(step);
                    }, current, target, l, remaining, exactIn, feeV4);
        }
        m.assertNone(in);
    }

    private static String describe(BigSwapMath.Step s) {
        return s.sqrtPriceNextX96() + "/" + s.amountIn() + "/" + s.amountOut() + "/" + s.feeAmount();
    }

    private static String describe(SwapMath.Step s) {
        return s.sqrtPriceNextX96 + "/" + s.amountIn + "/" + s.amountOut + "/" + s.feeAmount;
    }

    @Test
    void liquidityMathAddDelta() {
        DifferentialInputs in = new DifferentialInputs("LiquidityMath.addDelta");
        Mismatches m = new Mismatches();
        Uint256 r = new Uint256();
        BigInteger minInt128 = BigInteger.ONE.shiftLeft(127).negate();
        for (int i = 0; i < DifferentialInputs.COUNT; i++) {
            BigInteger x = in.liquidity();
            BigInteger magnitude = in.r.nextInt(8) == 0 ? x.add(BigInteger.valueOf(in.r.nextInt(-1, 2))).max(BigInteger.ZERO) : in.uint(127);
            BigInteger y = (in.r.nextBoolean() ? magnitude.negate() : magnitude).max(minInt128).min(BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE));
            Uint256 ux = Uint256.of(x);
            m.check("addDelta", () -> BigLiquidityMath.addDelta(x, y), () -> {
                LiquidityMath.addDelta(ux, Uint256.twosComplementWord(y, 1), y.longValue(), r);
                return big(r);
            }, x, y);
        }
        m.assertNone(in);
    }

    @Test
    void v2GetAmountOutAndIn() {
        DifferentialInputs in = new DifferentialInputs("UniswapV2Library.getAmountOut/getAmountIn");
        Mismatches m = new Mismatches();
        Uint256 r = new Uint256();
        BigV2Swap oracle = BigV2Swap.UNISWAP;
        for (int i = 0; i < DifferentialInputs.COUNT; i++) {
            BigInteger amount = in.r.nextInt(4) == 0 ? in.uint(256) : in.uint(in.r.nextInt(1, 113));
            BigInteger reserveIn = in.uint(in.r.nextInt(1, 113));
            BigInteger reserveOut = in.r.nextInt(8) == 0 ? amount.add(BigInteger.valueOf(in.r.nextInt(-1, 2))).max(BigInteger.ZERO)
                    .min(BigInteger.ONE.shiftLeft(112).subtract(BigInteger.ONE)) : in.uint(in.r.nextInt(1, 113));
            Uint256 ua = Uint256.of(amount);
            Uint256 ui = Uint256.of(reserveIn);
            Uint256 uo = Uint256.of(reserveOut);
            m.check("getAmountOut", () -> oracle.amountOut(amount, reserveIn, reserveOut), () -> {
                V2Library.getAmountOut(ua, ui, uo, 997, 1000, r);
                return big(r);
            }, amount, reserveIn, reserveOut);
            m.check("getAmountIn", () -> oracle.amountIn(amount, reserveIn, reserveOut), () -> {
                V2Library.getAmountIn(ua, ui, uo, 997, 1000, r);
                return big(r);
            }, amount, reserveIn, reserveOut);
        }
        m.assertNone(in);
    }
}
