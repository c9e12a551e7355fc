package io.poolstate.dex.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The optimised amount formulas equal the library's two-step forms (and BigFullMath) on random inputs, seeded. */
class BigSqrtPriceMathTest {
    @Test
    void amountDeltasEqualTheLibraryForms() {
        long seed = Long.getLong("poolstate.seed", 99L);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++) {
            BigInteger a = BigTickMath.MIN_SQRT_RATIO.add(new BigInteger(r.nextInt(33, 161), new Random(r.nextLong())))
                    .min(BigTickMath.MAX_SQRT_RATIO);
            BigInteger b = BigTickMath.MIN_SQRT_RATIO.add(new BigInteger(r.nextInt(33, 161), new Random(r.nextLong())))
                    .min(BigTickMath.MAX_SQRT_RATIO);
            BigInteger l = new BigInteger(r.nextInt(1, 129), new Random(r.nextLong()));
            boolean up = r.nextBoolean();
            assertThat(BigSqrtPriceMath.getAmount0Delta(a, b, l, up)).as("seed=%d a=%s b=%s l=%s up=%s", seed, a, b, l, up)
                    .isEqualTo(BigSqrtPriceMath.getAmount0DeltaReference(a, b, l, up));
            BigInteger diff = a.subtract(b).abs();
            BigInteger expected1 = up ? BigFullMath.mulDivRoundingUp(l, diff, BigU256.Q96) : BigFullMath.mulDiv(l, diff, BigU256.Q96);
            assertThat(BigSqrtPriceMath.getAmount1Delta(a, b, l, up)).as("seed=%d", seed).isEqualTo(expected1);
        }
    }
}
