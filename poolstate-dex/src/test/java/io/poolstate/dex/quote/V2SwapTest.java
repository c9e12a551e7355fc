package io.poolstate.dex.quote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.dex.math.MathRevert;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class V2SwapTest {
    private static final BigInteger UINT112_MAX = BigInteger.ONE.shiftLeft(112).subtract(BigInteger.ONE);

    @Test
    void aTradeThatTakesTheInputReservePastUint112IsThePairsRevert() {
        BigInteger reserve0 = UINT112_MAX.subtract(BigInteger.valueOf(1_000));
        BigInteger reserve1 = BigInteger.TEN.pow(24);
        SwapQuote fits = V2Swap.UNISWAP.quote(reserve0, reserve1, true, true, BigInteger.valueOf(1_000));
        assertThat(fits.amountIn()).isEqualTo(1_000);
        assertThat(fits.complete()).isTrue();
        assertThatThrownBy(() -> V2Swap.UNISWAP.quote(reserve0, reserve1, true, true, BigInteger.valueOf(1_001)))
                .isInstanceOf(MathRevert.class).hasMessageContaining("UniswapV2: OVERFLOW");
        // exact output: the input the pair would need is what must fit
        assertThatThrownBy(() -> V2Swap.UNISWAP.quote(reserve0, reserve1, true, false, reserve1.divide(BigInteger.TWO)))
                .isInstanceOf(MathRevert.class).hasMessageContaining("UniswapV2: OVERFLOW");
        // the other direction is bounded by the other reserve
        assertThat(V2Swap.UNISWAP.quote(reserve0, reserve1, false, true, BigInteger.TEN.pow(20)).amountOut()).isPositive();
    }
}
