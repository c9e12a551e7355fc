package io.poolstate.dex.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.dex.math.MathRevert;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class BigFullMathTest {
    private static final BigInteger MAX = BigU256.MAX_UINT256;
    private static final BigInteger Q128 = BigU256.Q128;

    @Test
    void mulDivMatchesTheLibrarysSpecCases() {
        assertThat(BigFullMath.mulDiv(Q128, BigInteger.valueOf(50).multiply(Q128).divide(BigInteger.valueOf(100)), Q128.multiply(BigInteger.valueOf(150)).divide(BigInteger.valueOf(100))))
                .isEqualTo(Q128.divide(BigInteger.valueOf(3)));
        assertThat(BigFullMath.mulDiv(MAX, MAX, MAX)).isEqualTo(MAX);
        assertThat(BigFullMath.mulDivRoundingUp(BigInteger.ONE, BigInteger.ONE, BigInteger.TWO)).isEqualTo(BigInteger.ONE);
        assertThat(BigFullMath.mulDiv(BigInteger.ONE, BigInteger.ONE, BigInteger.TWO)).isZero();
    }

    @Test
    void revertsLikeSolidity() {
        assertThatThrownBy(() -> BigFullMath.mulDiv(Q128, BigInteger.ONE, BigInteger.ZERO)).isInstanceOf(MathRevert.class);
        assertThatThrownBy(() -> BigFullMath.mulDiv(Q128, Q128, BigInteger.ONE)).hasMessageContaining("overflows");
        assertThatThrownBy(() -> BigFullMath.mulDivRoundingUp(new BigInteger("535006138814359"),
                new BigInteger("432862656469423142931042426214547535783388063929571229938474969"), BigInteger.TWO))
                .hasMessageContaining("overflows");
        assertThat(BigFullMath.divRoundingUp(BigInteger.TEN, BigInteger.ZERO)).isZero();
        assertThat(BigFullMath.divRoundingUp(BigInteger.TEN, BigInteger.valueOf(3))).isEqualTo(BigInteger.valueOf(4));
    }

    @Test
    void liquidityMath() {
        assertThat(BigLiquidityMath.addDelta(BigInteger.ONE, BigInteger.ONE.negate())).isZero();
        assertThatThrownBy(() -> BigLiquidityMath.addDelta(BigInteger.ONE, BigInteger.TWO.negate())).hasMessageContaining("LS");
        assertThatThrownBy(() -> BigLiquidityMath.addDelta(BigU256.MAX_UINT128, BigInteger.ONE)).hasMessageContaining("LA");
    }

    @Test
    void sqrtPriceMathSpecCases() {
        BigInteger price1 = BigInteger.ONE.shiftLeft(96);
        BigInteger l = new BigInteger("1000000000000000000");
        // amount1 for 1 to 1.21 price with 1e18 liquidity: 0.1e18 (rounded up / down)
        BigInteger p121 = new BigInteger("87150978765690771352898345369");
        assertThat(BigSqrtPriceMath.getAmount1Delta(price1, p121, l, true)).isEqualTo(new BigInteger("100000000000000000"));
        assertThat(BigSqrtPriceMath.getAmount1Delta(price1, p121, l, false)).isEqualTo(new BigInteger("99999999999999999"));
        assertThat(BigSqrtPriceMath.getAmount0Delta(price1, p121, l, true)).isEqualTo(new BigInteger("90909090909090910"));
        assertThat(BigSqrtPriceMath.getAmount0Delta(price1, p121, l, false)).isEqualTo(new BigInteger("90909090909090909"));
        assertThat(BigSqrtPriceMath.getNextSqrtPriceFromInput(price1, l, new BigInteger("100000000000000000"), false)).isEqualTo(p121);
        assertThatThrownBy(() -> BigSqrtPriceMath.getNextSqrtPriceFromInput(BigInteger.ZERO, l, BigInteger.ONE, true)).isInstanceOf(MathRevert.class);
        assertThatThrownBy(() -> BigSqrtPriceMath.getNextSqrtPriceFromOutput(price1, BigInteger.ONE, BigInteger.TEN.pow(30), true))
                .isInstanceOf(MathRevert.class);
    }
}
