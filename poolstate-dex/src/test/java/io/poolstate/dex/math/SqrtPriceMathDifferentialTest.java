package io.poolstate.dex.math;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The optimised amount formulas equal the library's two-step forms (and FullMath) on random inputs, seeded. */
class SqrtPriceMathDifferentialTest {
    @Test
    void amountDeltasEqualTheLibraryForms() {
        long seed = Long.getLong("poolstate.seed", 99L);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++) {
            BigInteger a = TickMath.MIN_SQRT_RATIO.add(new BigInteger(r.nextInt(33, 161), new Random(r.nextLong())))
                    .min(TickMath.MAX_SQRT_RATIO);
            BigInteger b = TickMath.MIN_SQRT_RATIO.add(new BigInteger(r.nextInt(33, 161), new Random(r.nextLong())))
                    .min(TickMath.MAX_SQRT_RATIO);
            BigInteger l = new BigInteger(r.nextInt(1, 129), new Random(r.nextLong()));
            boolean up = r.nextBoolean();
            assertThat(SqrtPriceMath.getAmount0Delta(a, b, l, up)).as("seed=%d a=%s b=%s l=%s up=%s", seed, a, b, l, up)
                    .isEqualTo(SqrtPriceMath.getAmount0DeltaReference(a, b, l, up));
            BigInteger diff = a.subtract(b).abs();
            BigInteger expected1 = up ? FullMath.mulDivRoundingUp(l, diff, U256.Q96) : FullMath.mulDiv(l, diff, U256.Q96);
            assertThat(SqrtPriceMath.getAmount1Delta(a, b, l, up)).as("seed=%d", seed).isEqualTo(expected1);
        }
    }
}
