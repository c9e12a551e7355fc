package io.poolstate.dex.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.dex.math.MathRevert;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BigTickMathTest {
    @Test
    void knownValues() {
        assertThat(BigTickMath.getSqrtRatioAtTick(0)).isEqualTo(BigInteger.ONE.shiftLeft(96));
        assertThat(BigTickMath.getSqrtRatioAtTick(BigTickMath.MIN_TICK)).isEqualTo(BigTickMath.MIN_SQRT_RATIO);
        assertThat(BigTickMath.getSqrtRatioAtTick(BigTickMath.MAX_TICK)).isEqualTo(BigTickMath.MAX_SQRT_RATIO);
        // values from v3-core's BigTickMath.spec.ts snapshot
        assertThat(BigTickMath.getSqrtRatioAtTick(BigTickMath.MIN_TICK + 1)).isEqualTo(new BigInteger("4295343490"));
        assertThat(BigTickMath.getSqrtRatioAtTick(BigTickMath.MAX_TICK - 1)).isEqualTo(new BigInteger("1461373636630004318706518188784493106690254656249"));
        assertThat(BigTickMath.getTickAtSqrtRatio(BigTickMath.MIN_SQRT_RATIO)).isEqualTo(BigTickMath.MIN_TICK);
        assertThat(BigTickMath.getTickAtSqrtRatio(BigTickMath.MAX_SQRT_RATIO.subtract(BigInteger.ONE))).isEqualTo(BigTickMath.MAX_TICK - 1);
        assertThat(BigTickMath.getTickAtSqrtRatio(BigInteger.ONE.shiftLeft(96))).isZero();
    }

    @Test
    void revertsOutOfRange() {
        assertThatThrownBy(() -> BigTickMath.getSqrtRatioAtTick(BigTickMath.MAX_TICK + 1)).isInstanceOf(MathRevert.class).hasMessageContaining("(T)");
        assertThatThrownBy(() -> BigTickMath.getTickAtSqrtRatio(BigTickMath.MAX_SQRT_RATIO)).hasMessageContaining("(R)");
        assertThatThrownBy(() -> BigTickMath.getTickAtSqrtRatio(BigTickMath.MIN_SQRT_RATIO.subtract(BigInteger.ONE))).hasMessageContaining("(R)");
    }

    /** getTickAtSqrtRatio is the greatest tick whose ratio is at most the price (checked by its definition). */
    @Test
    void tickAtRatioIsTheGreatestTickNotAbove() {
        long seed = Long.getLong("poolstate.seed", 42L);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
            int t = BigTickMath.MIN_TICK + r.nextInt(BigTickMath.MAX_TICK - BigTickMath.MIN_TICK);
            BigInteger lo = BigTickMath.getSqrtRatioAtTick(t);
            BigInteger hi = BigTickMath.getSqrtRatioAtTick(t + 1);
            BigInteger span = hi.subtract(lo);
            BigInteger p = lo.add(new BigInteger(span.bitLength(), new java.util.Random(r.nextLong())).mod(span));
            assertThat(BigTickMath.getTickAtSqrtRatio(p)).as("seed=%d price=%s", seed, p).isEqualTo(t);
            assertThat(BigTickMath.getTickAtSqrtRatio(lo)).as("seed=%d tick=%d", seed, t).isEqualTo(t);
        }
    }

    /** The fast paths equal the ported library algorithms (differential, seeded). */
    @Test
    void fastPathsEqualThePortedAlgorithms() {
        long seed = Long.getLong("poolstate.seed", 7L);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 50_000; i++) {
            int t = BigTickMath.MIN_TICK + r.nextInt(BigTickMath.MAX_TICK - BigTickMath.MIN_TICK + 1);
            assertThat(BigTickMath.getSqrtRatioAtTick(t)).as("seed=%d tick=%d", seed, t).isEqualTo(BigTickMath.computeSqrtRatioAtTick(t));
            BigInteger p = BigTickMath.MIN_SQRT_RATIO.add(new BigInteger(160, new java.util.Random(r.nextLong()))
                    .mod(BigTickMath.MAX_SQRT_RATIO.subtract(BigTickMath.MIN_SQRT_RATIO)));
            assertThat(BigTickMath.getTickAtSqrtRatio(p)).as("seed=%d price=%s", seed, p).isEqualTo(BigTickMath.computeTickAtSqrtRatio(p));
        }
        for (BigInteger edge : new BigInteger[] {BigTickMath.MIN_SQRT_RATIO, BigTickMath.MAX_SQRT_RATIO.subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(96)}) {
            assertThat(BigTickMath.getTickAtSqrtRatio(edge)).isEqualTo(BigTickMath.computeTickAtSqrtRatio(edge));
        }
    }

    @Test
    void ratiosIncreaseWithTicks() {
        BigInteger prev = BigInteger.ZERO;
        for (int t = -1000; t <= 1000; t++) {
            BigInteger v = BigTickMath.getSqrtRatioAtTick(t);
            assertThat(v).isGreaterThan(prev);
            prev = v;
        }
    }
}
