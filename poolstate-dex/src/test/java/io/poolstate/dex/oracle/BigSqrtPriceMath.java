package io.poolstate.dex.oracle;

import io.poolstate.dex.math.MathRevert;
import java.math.BigInteger;

/**
 * v3-core {@code contracts/libraries/BigSqrtPriceMath.sol} (v4-core {@code src/libraries/BigSqrtPriceMath.sol} has the
 * same results and revert conditions): next prices from amounts and token amounts between prices, with the
 * contracts' rounding. Prices are Q64.96 (uint160), liquidity uint128, amounts uint256.
 */
public final class BigSqrtPriceMath {
    private BigSqrtPriceMath() {
    }

    /** The next price after adding ({@code add}) or removing {@code amount} of token0, rounded up. */
    public static BigInteger getNextSqrtPriceFromAmount0RoundingUp(BigInteger sqrtPX96, BigInteger liquidity, BigInteger amount, boolean add) {
        if (amount.signum() == 0) {
            return sqrtPX96;
        }
        BigInteger numerator1 = liquidity.shiftLeft(96);
        BigInteger product = amount.multiply(sqrtPX96);
        boolean productFits = product.bitLength() <= 256;
        if (add) {
            if (productFits) {
                BigInteger denominator = numerator1.add(product);
                if (denominator.bitLength() <= 256) {
                    return BigFullMath.mulDivRoundingUp(numerator1, sqrtPX96, denominator);
                }
            }
            BigInteger d = BigU256.add(numerator1.divide(sqrtPX96), amount, "BigSqrtPriceMath.getNextSqrtPriceFromAmount0RoundingUp");
            return BigFullMath.divRoundingUp(numerator1, d);
        }
        if (!productFits || numerator1.compareTo(product) <= 0) {
            throw new MathRevert("BigSqrtPriceMath.getNextSqrtPriceFromAmount0RoundingUp: price overflow");
        }
        return BigU256.toUint160(BigFullMath.mulDivRoundingUp(numerator1, sqrtPX96, numerator1.subtract(product)),
                "BigSqrtPriceMath.getNextSqrtPriceFromAmount0RoundingUp");
    }

    /** The next price after adding or removing {@code amount} of token1, rounded down. */
    public static BigInteger getNextSqrtPriceFromAmount1RoundingDown(BigInteger sqrtPX96, BigInteger liquidity, BigInteger amount, boolean add) {
        boolean small = amount.compareTo(BigU256.MAX_UINT160) <= 0;
        if (add) {
            BigInteger quotient = small ? amount.shiftLeft(96).divide(liquidity) : BigFullMath.mulDiv(amount, BigU256.Q96, liquidity);
            return BigU256.toUint160(sqrtPX96.add(quotient), "BigSqrtPriceMath.getNextSqrtPriceFromAmount1RoundingDown");
        }
        BigInteger quotient = small ? BigFullMath.divRoundingUp(amount.shiftLeft(96), liquidity) : BigFullMath.mulDivRoundingUp(amount, BigU256.Q96, liquidity);
        if (sqrtPX96.compareTo(quotient) <= 0) {
            throw new MathRevert("BigSqrtPriceMath.getNextSqrtPriceFromAmount1RoundingDown: not enough liquidity");
        }
        return sqrtPX96.subtract(quotient);
    }

    public static BigInteger getNextSqrtPriceFromInput(BigInteger sqrtPX96, BigInteger liquidity, BigInteger amountIn, boolean zeroForOne) {
        requirePriceAndLiquidity(sqrtPX96, liquidity);
        return zeroForOne ? getNextSqrtPriceFromAmount0RoundingUp(sqrtPX96, liquidity, amountIn, true)
                : getNextSqrtPriceFromAmount1RoundingDown(sqrtPX96, liquidity, amountIn, true);
    }

    public static BigInteger getNextSqrtPriceFromOutput(BigInteger sqrtPX96, BigInteger liquidity, BigInteger amountOut, boolean zeroForOne) {
        requirePriceAndLiquidity(sqrtPX96, liquidity);
        return zeroForOne ? getNextSqrtPriceFromAmount1RoundingDown(sqrtPX96, liquidity, amountOut, false)
                : getNextSqrtPriceFromAmount0RoundingUp(sqrtPX96, liquidity, amountOut, false);
    }

    /**
     * Token0 between two prices for {@code liquidity}: {@code L * 2^96 * (sqrtB - sqrtA) / sqrtB / sqrtA}. The library
     * divides twice ({@code mulDiv} by sqrtB, then by sqrtA, each rounding the same way); nested floors (and
     * ceilings) of positive integers equal one floor (ceiling) by the product, so one division by
     * {@code sqrtA * sqrtB} gives the identical result. The library's overflow revert is checked exactly.
     */
    public static BigInteger getAmount0Delta(BigInteger sqrtA, BigInteger sqrtB, BigInteger liquidity, boolean roundUp) {
        if (sqrtA.compareTo(sqrtB) > 0) {
            BigInteger t = sqrtA;
            sqrtA = sqrtB;
            sqrtB = t;
        }
        if (sqrtA.signum() == 0) {
            throw new MathRevert("BigSqrtPriceMath.getAmount0Delta: price is zero");
        }
        BigInteger x = liquidity.shiftLeft(96).multiply(sqrtB.subtract(sqrtA));
        // mulDiv(x, 1, sqrtB) must fit 256 bits (rounded the same way as the call it stands for)
        boolean overflow = x.bitLength() > 256
                && (roundUp ? x.compareTo(BigU256.MAX_UINT256.multiply(sqrtB)) > 0 : x.compareTo(sqrtB.shiftLeft(256)) >= 0);
        if (overflow) {
            throw new MathRevert("BigFullMath.mulDiv: result overflows uint256");
        }
        BigInteger ab = sqrtA.multiply(sqrtB);
        if (!roundUp) {
            return x.divide(ab);
        }
        BigInteger[] qr = x.divideAndRemainder(ab);
        return qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    }

    /** The library's two-division form of {@link #getAmount0Delta}, kept as the reference for tests. */
    public static BigInteger getAmount0DeltaReference(BigInteger sqrtA, BigInteger sqrtB, BigInteger liquidity, boolean roundUp) {
        if (sqrtA.compareTo(sqrtB) > 0) {
            BigInteger t = sqrtA;
            sqrtA = sqrtB;
            sqrtB = t;
        }
        if (sqrtA.signum() == 0) {
            throw new MathRevert("BigSqrtPriceMath.getAmount0Delta: price is zero");
        }
        BigInteger numerator1 = liquidity.shiftLeft(96);
        BigInteger numerator2 = sqrtB.subtract(sqrtA);
        return roundUp ? BigFullMath.divRoundingUp(BigFullMath.mulDivRoundingUp(numerator1, numerator2, sqrtB), sqrtA)
                : BigFullMath.mulDiv(numerator1, numerator2, sqrtB).divide(sqrtA);
    }

    /**
     * Token1 between two prices for {@code liquidity}: {@code L * (sqrtB - sqrtA) / 2^96}. The division by Q96 is a
     * shift; rounding up adds one when any of the 96 low bits is set, exactly as {@code mulDivRoundingUp(.., Q96)}.
     */
    public static BigInteger getAmount1Delta(BigInteger sqrtA, BigInteger sqrtB, BigInteger liquidity, boolean roundUp) {
        BigInteger product = liquidity.multiply(sqrtA.subtract(sqrtB).abs());
        BigInteger q = product.shiftRight(96);
        if (roundUp && product.getLowestSetBit() >= 0 && product.getLowestSetBit() < 96) {
            q = q.add(BigInteger.ONE);
        }
        if (q.bitLength() > 256) {
            throw new MathRevert("BigFullMath.mulDiv: result overflows uint256");
        }
        return q;
    }

    private static void requirePriceAndLiquidity(BigInteger sqrtPX96, BigInteger liquidity) {
        if (sqrtPX96.signum() == 0 || liquidity.signum() == 0) {
            throw new MathRevert("BigSqrtPriceMath: invalid price or liquidity (price=" + sqrtPX96 + " liquidity=" + liquidity + ")");
        }
    }
}
