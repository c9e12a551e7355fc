package io.poolstate.dex.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TickMathTest {
    @Test
    void knownValues() {
        assertThat(TickMath.getSqrtRatioAtTick(0)).isEqualTo(BigInteger.ONE.shiftLeft(96));
        assertThat(TickMath.getSqrtRatioAtTick(TickMath.MIN_TICK)).isEqualTo(TickMath.MIN_SQRT_RATIO);
        assertThat(TickMath.getSqrtRatioAtTick(TickMath.MAX_TICK)).isEqualTo(TickMath.MAX_SQRT_RATIO);
        // values from v3-core's TickMath.spec.ts snapshot
        assertThat(TickMath.getSqrtRatioAtTick(TickMath.MIN_TICK + 1)).isEqualTo(new BigInteger("4295343490"));
        assertThat(TickMath.getSqrtRatioAtTick(TickMath.MAX_TICK - 1)).isEqualTo(new BigInteger("1461373636630004318706518188784493106690254656249"));
        assertThat(TickMath.getTickAtSqrtRatio(TickMath.MIN_SQRT_RATIO)).isEqualTo(TickMath.MIN_TICK);
        assertThat(TickMath.getTickAtSqrtRatio(TickMath.MAX_SQRT_RATIO.subtract(BigInteger.ONE))).isEqualTo(TickMath.MAX_TICK - 1);
        assertThat(TickMath.getTickAtSqrtRatio(BigInteger.ONE.shiftLeft(96))).isZero();
    }

    @Test
    void revertsOutOfRange() {
        assertThatThrownBy(() -> TickMath.getSqrtRatioAtTick(TickMath.MAX_TICK + 1)).isInstanceOf(MathRevert.class).hasMessageContaining("(T)");
        assertThatThrownBy(() -> TickMath.getTickAtSqrtRatio(TickMath.MAX_SQRT_RATIO)).hasMessageContaining("(R)");
        assertThatThrownBy(() -> TickMath.getTickAtSqrtRatio(TickMath.MIN_SQRT_RATIO.subtract(BigInteger.ONE))).hasMessageContaining("(R)");
    }

    /** getTickAtSqrtRatio is the greatest tick whose ratio is at most the price (checked by its definition). */
    @Test
    void tickAtRatioIsTheGreatestTickNotAbove() {
        long seed = Long.getLong("poolstate.seed", 42L);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
            int t = TickMath.MIN_TICK + r.nextInt(TickMath.MAX_TICK - TickMath.MIN_TICK);
            BigInteger lo = TickMath.getSqrtRatioAtTick(t);
            BigInteger hi = TickMath.getSqrtRatioAtTick(t + 1);
            BigInteger span = hi.subtract(lo);
            BigInteger p = lo.add(new BigInteger(span.bitLength(), new java.util.Random(r.nextLong())).mod(span));
            assertThat(TickMath.getTickAtSqrtRatio(p)).as("seed=%d price=%s", seed, p).isEqualTo(t);
            assertThat(TickMath.getTickAtSqrtRatio(lo)).as("seed=%d tick=%d", seed, t).isEqualTo(t);
        }
    }

    /** The fast paths equal the ported library algorithms (differential, seeded). */
    @Test
    void fastPathsEqualThePortedAlgorithms() {
        long seed = Long.getLong("poolstate.seed", 7L);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 50_000; i++) {
            int t = TickMath.MIN_TICK + r.nextInt(TickMath.MAX_TICK - TickMath.MIN_TICK + 1);
            assertThat(TickMath.getSqrtRatioAtTick(t)).as("seed=%d tick=%d", seed, t).isEqualTo(TickMath.computeSqrtRatioAtTick(t));
            BigInteger p = TickMath.MIN_SQRT_RATIO.add(new BigInteger(160, new java.util.Random(r.nextLong()))
                    .mod(TickMath.MAX_SQRT_RATIO.subtract(TickMath.MIN_SQRT_RATIO)));
            assertThat(TickMath.getTickAtSqrtRatio(p)).as("seed=%d price=%s", seed, p).isEqualTo(TickMath.computeTickAtSqrtRatio(p));
        }
        for (BigInteger edge : new BigInteger[] {TickMath.MIN_SQRT_RATIO, TickMath.MAX_SQRT_RATIO.subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(96)}) {
            assertThat(TickMath.getTickAtSqrtRatio(edge)).isEqualTo(TickMath.computeTickAtSqrtRatio(edge));
        }
    }

    @Test
    void ratiosIncreaseWithTicks() {
        BigInteger prev = BigInteger.ZERO;
        for (int t = -1000; t <= 1000; t++) {
            BigInteger v = TickMath.getSqrtRatioAtTick(t);
            assertThat(v).isGreaterThan(prev);
            prev = v;
        }
    }
}
