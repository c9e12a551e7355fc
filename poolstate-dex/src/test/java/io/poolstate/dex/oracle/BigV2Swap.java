package io.poolstate.dex.oracle;

import io.poolstate.dex.math.MathRevert;
import io.poolstate.dex.quote.SwapQuote;
import java.math.BigInteger;

/**
 * v2-periphery {@code UniswapV2Library.getAmountOut/getAmountIn} with a configurable fee (997/1000 for Uniswap
 * V2; forks use other fractions). Amounts and reserves in token units.
 */
public record BigV2Swap(int feeNumerator, int feeDenominator) {
    public static final BigV2Swap UNISWAP = new BigV2Swap(997, 1000);

    public BigV2Swap {
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
        BigInteger withFee = safe(amountIn.multiply(BigInteger.valueOf(feeNumerator)));
        return safe(withFee.multiply(reserveOut)).divide(safe(safe(reserveIn.multiply(BigInteger.valueOf(feeDenominator))).add(withFee)));
    }

    public BigInteger amountIn(BigInteger amountOut, BigInteger reserveIn, BigInteger reserveOut) {
        if (amountOut.signum() <= 0) {
            throw new MathRevert("UniswapV2Library: INSUFFICIENT_OUTPUT_AMOUNT");
        }
        if (reserveIn.signum() <= 0 || reserveOut.compareTo(amountOut) <= 0) {
            throw new MathRevert("UniswapV2Library: INSUFFICIENT_LIQUIDITY");
        }
        BigInteger numerator = safe(safe(reserveIn.multiply(amountOut)).multiply(BigInteger.valueOf(feeDenominator)));
        BigInteger denominator = safe(reserveOut.subtract(amountOut).multiply(BigInteger.valueOf(feeNumerator)));
        return safe(numerator.divide(denominator).add(BigInteger.ONE));
    }

    /** SafeMath: a product or sum must stay below 2^256. */
    private static BigInteger safe(BigInteger v) {
        if (v.bitLength() > 256) {
            throw new MathRevert("UniswapV2Library: ds-math overflow");
        }
        return v;
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
