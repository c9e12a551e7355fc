package io.poolstate.dex.quote;

import io.poolstate.dex.math.MathRevert;
import io.poolstate.dex.math.Uint256;
import io.poolstate.dex.math.V2Library;
import java.math.BigInteger;

/**
 * V2 quotes: v2-periphery {@code UniswapV2Library.getAmountOut/getAmountIn} ({@link V2Library}) with a configurable
 * fee (997/1000 for Uniswap V2; forks use other fractions). Amounts and reserves in token units.
 */
public record V2Swap(int feeNumerator, int feeDenominator) {
    public static final V2Swap UNISWAP = new V2Swap(997, 1000);

    public V2Swap {
        if (feeNumerator <= 0 || feeDenominator <= 0 || feeNumerator > feeDenominator) {
            throw new IllegalArgumentException("fee must be 0 < numerator <= denominator: " + feeNumerator + "/" + feeDenominator);
        }
    }

    /** getAmountOut on registers ({@link V2Library#getAmountOut}); allocates nothing. */
    public void getAmountOut(Uint256 amountIn, Uint256 reserveIn, Uint256 reserveOut, Uint256 result) {
        V2Library.getAmountOut(amountIn, reserveIn, reserveOut, feeNumerator, feeDenominator, result);
    }

    /** getAmountIn on registers ({@link V2Library#getAmountIn}); allocates nothing. */
    public void getAmountIn(Uint256 amountOut, Uint256 reserveIn, Uint256 reserveOut, Uint256 result) {
        V2Library.getAmountIn(amountOut, reserveIn, reserveOut, feeNumerator, feeDenominator, result);
    }

    /** getAmountOut on BigIntegers (allocates). */
    public BigInteger amountOut(BigInteger amountIn, BigInteger reserveIn, BigInteger reserveOut) {
        Uint256 r = new Uint256();
        getAmountOut(uint(amountIn, "amountIn"), uint(reserveIn, "reserveIn"), uint(reserveOut, "reserveOut"), r);
        return r.toBigInteger();
    }

    /** getAmountIn on BigIntegers (allocates). */
    public BigInteger amountIn(BigInteger amountOut, BigInteger reserveIn, BigInteger reserveOut) {
        Uint256 r = new Uint256();
        getAmountIn(uint(amountOut, "amountOut"), uint(reserveIn, "reserveIn"), uint(reserveOut, "reserveOut"), r);
        return r.toBigInteger();
    }

    private static Uint256 uint(BigInteger v, String name) {
        if (v.signum() < 0 || v.bitLength() > 256) {
            throw new MathRevert("UniswapV2Library: " + name + " is not a uint256: " + name + "=" + v);
        }
        return Uint256.of(v);
    }

    /**
     * A full quote in the shape of the concentrated ones (no ticks; {@code complete} unless it would revert), as the
     * pair's {@code swap} would settle it: a trade that takes the input reserve past uint112 is the pair's revert.
     */
    public SwapQuote quote(BigInteger reserve0, BigInteger reserve1, boolean zeroForOne, boolean exactInput, BigInteger amount) {
        BigInteger rin = zeroForOne ? reserve0 : reserve1;
        BigInteger rout = zeroForOne ? reserve1 : reserve0;
        BigInteger in = exactInput ? amount : amountIn(amount, rin, rout);
        BigInteger out = exactInput ? amountOut(amount, rin, rout) : amount;
        if (rin.add(in).bitLength() > 112) {
            // UniswapV2Pair._update: require(balance0 <= uint112(-1) && balance1 <= uint112(-1), 'UniswapV2: OVERFLOW')
            throw new MathRevert("UniswapV2: OVERFLOW (the pair's balance would exceed uint112): reserve_in=" + rin + " amount_in=" + in);
        }
        return new SwapQuote(in, out, null, 0, null, 0, true);
    }
}
