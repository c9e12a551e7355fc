package io.poolstate.dex.quote;

import io.poolstate.dex.math.MathRevert;
import java.math.BigInteger;

/**
 * v2-periphery {@code UniswapV2Library.getAmountOut/getAmountIn} with a configurable fee (997/1000 for Uniswap
 * V2; forks use other fractions). Amounts and reserves in token units.
 */
public record V2Swap(int feeNumerator, int feeDenominator) {
    public static final V2Swap UNISWAP = new V2Swap(997, 1000);

    public V2Swap {
        if (feeNumerator <= 0 || feeDenominator <= 0 || feeNumerator > feeDenominator) {
            throw new IllegalArgumentException("fee must be 0 < numerator <= denominator: " + feeNumerator + "/" + feeDenominator);
        }
    }

    public BigInteger amountOut(BigInteger amountIn, BigInteger reserveIn, BigInteger reserveOut) {
        if (amountIn.signum() <= 0) {
            throw new MathRevert("UniswapV2Library: INSUFFICIENT_INPUT_AMOUNT");
        }
        if (reserveIn.signum() <= 0 || reserveOut.signum() <= 0) {
            throw new MathRevert("UniswapV2Library: INSUFFICIENT_LIQUIDITY");
        }
        BigInteger withFee = amountIn.multiply(BigInteger.valueOf(feeNumerator));
        return withFee.multiply(reserveOut).divide(reserveIn.multiply(BigInteger.valueOf(feeDenominator)).add(withFee));
    }

    public BigInteger amountIn(BigInteger amountOut, BigInteger reserveIn, BigInteger reserveOut) {
        if (amountOut.signum() <= 0) {
            throw new MathRevert("UniswapV2Library: INSUFFICIENT_OUTPUT_AMOUNT");
        }
        if (reserveIn.signum() <= 0 || reserveOut.compareTo(amountOut) <= 0) {
            throw new MathRevert("UniswapV2Library: INSUFFICIENT_LIQUIDITY");
        }
        BigInteger numerator = reserveIn.multiply(amountOut).multiply(BigInteger.valueOf(feeDenominator));
        BigInteger denominator = reserveOut.subtract(amountOut).multiply(BigInteger.valueOf(feeNumerator));
        return numerator.divide(denominator).add(BigInteger.ONE);
    }

    /** A full quote in the shape of the concentrated ones (no ticks; {@code complete} unless it would revert). */
    public SwapQuote quote(BigInteger reserve0, BigInteger reserve1, boolean zeroForOne, boolean exactInput, BigInteger amount) {
        BigInteger rin = zeroForOne ? reserve0 : reserve1;
        BigInteger rout = zeroForOne ? reserve1 : reserve0;
        BigInteger in = exactInput ? amount : amountIn(amount, rin, rout);
        BigInteger out = exactInput ? amountOut(amount, rin, rout) : amount;
        return new SwapQuote(in, out, null, 0, null, 0, true);
    }
}
