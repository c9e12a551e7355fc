package io.poolstate.dex.math;

/**
 * v2-periphery {@code contracts/libraries/UniswapV2Library.sol} {@code getAmountOut/getAmountIn} on {@link Uint256}
 * registers, allocating nothing, with the fee as a fraction (997/1000 for Uniswap V2) and the library's SafeMath
 * reverts: a product or sum past 2^256 - 1 ({@code ds-math-mul-overflow}, {@code ds-math-add-overflow}), an output of
 * the whole reserve or more ({@code ds-math-sub-underflow} or a division by zero). The result register may be one of
 * the operands.
 */
public final class V2Library {
    private V2Library() {
    }

    /** {@code amountIn * fee * reserveOut / (reserveIn * feeDenominator + amountIn * fee)}. */
    public static void getAmountOut(Uint256 amountIn, Uint256 reserveIn, Uint256 reserveOut, int feeNumerator, int feeDenominator,
                                    Uint256 result) {
        if (amountIn.isZero()) {
            throw new MathRevert("UniswapV2Library: INSUFFICIENT_INPUT_AMOUNT");
        }
        if (reserveIn.isZero() || reserveOut.isZero()) {
            throw new MathRevert("UniswapV2Library: INSUFFICIENT_LIQUIDITY");
        }
        Workspace ws = result.workspace();
        // amountInWithFee = amountIn.mul(feeNumerator)
        multiplyChecked(ws, amountIn, feeNumerator);
        long f0 = ws.u[0];
        long f1 = ws.u[1];
        long f2 = ws.u[2];
        long f3 = ws.u[3];
        // denominator = reserveIn.mul(feeDenominator).add(amountInWithFee)
        multiplyChecked(ws, reserveIn, feeDenominator);
        long d0 = ws.u[0] + f0;
        long c = Long.compareUnsigned(d0, f0) < 0 ? 1 : 0;
        long d1 = ws.u[1] + f1;
        long c1 = Long.compareUnsigned(d1, f1) < 0 ? 1 : 0;
        d1 += c;
        c1 += Long.compareUnsigned(d1, c) < 0 ? 1 : 0;
        long d2 = ws.u[2] + f2;
        long c2 = Long.compareUnsigned(d2, f2) < 0 ? 1 : 0;
        d2 += c1;
        c2 += Long.compareUnsigned(d2, c1) < 0 ? 1 : 0;
        long d3 = ws.u[3] + f3;
        long c3 = Long.compareUnsigned(d3, f3) < 0 ? 1 : 0;
        d3 += c2;
        c3 += Long.compareUnsigned(d3, c2) < 0 ? 1 : 0;
        if (c3 != 0) {
            throw new MathRevert("UniswapV2Library.getAmountOut: ds-math-add-overflow");
        }
        // numerator = amountInWithFee.mul(reserveOut)
        ws.a[0] = f0;
        ws.a[1] = f1;
        ws.a[2] = f2;
        ws.a[3] = f3;
        int nu = Workspace.multiply(ws.a, Workspace.length(ws.a, 4), ws.b, Workspace.load(ws.b, reserveOut), ws.u);
        if (nu > 4) {
            throw new MathRevert("UniswapV2Library.getAmountOut: ds-math-mul-overflow");
        }
        // amountOut = numerator / denominator
        SqrtPriceMath.divideLimbs(ws, nu > 3 ? ws.u[3] : 0, nu > 2 ? ws.u[2] : 0, nu > 1 ? ws.u[1] : 0, nu > 0 ? ws.u[0] : 0, d3, d2, d1, d0);
        FullMath.storeQuotient(ws, result);
    }

    /** {@code reserveIn * amountOut * feeDenominator / ((reserveOut - amountOut) * fee) + 1}. */
    public static void getAmountIn(Uint256 amountOut, Uint256 reserveIn, Uint256 reserveOut, int feeNumerator, int feeDenominator,
                                   Uint256 result) {
        if (amountOut.isZero()) {
            throw new MathRevert("UniswapV2Library: INSUFFICIENT_OUTPUT_AMOUNT");
        }
        if (reserveIn.isZero() || reserveOut.isZero()) {
            throw new MathRevert("UniswapV2Library: INSUFFICIENT_LIQUIDITY");
        }
        if (reserveOut.compareTo(amountOut) <= 0) {
            throw new MathRevert("UniswapV2Library.getAmountIn: " + (reserveOut.valueEquals(amountOut) ? "division by zero" : "ds-math-sub-underflow")
                    + " (amountOut=" + amountOut + " reserveOut=" + reserveOut + ")");
        }
        Workspace ws = result.workspace();
        // denominator = reserveOut.sub(amountOut).mul(feeNumerator)
        SwapMath.subtractWrapping(reserveOut, amountOut, result);
        multiplyChecked(ws, result, feeNumerator);
        long d0 = ws.u[0];
        long d1 = ws.u[1];
        long d2 = ws.u[2];
        long d3 = ws.u[3];
        // numerator = reserveIn.mul(amountOut).mul(feeDenominator)
        int nu = Workspace.multiply(ws.a, Workspace.load(ws.a, reserveIn), ws.b, Workspace.load(ws.b, amountOut), ws.u);
        if (nu > 4) {
            throw new MathRevert("UniswapV2Library.getAmountIn: ds-math-mul-overflow");
        }
        for (int i = nu; i < 4; i++) {
            ws.a[i] = 0;
        }
        System.arraycopy(ws.u, 0, ws.a, 0, nu);
        ws.b[0] = feeDenominator;
        nu = Workspace.multiply(ws.a, Workspace.length(ws.a, 4), ws.b, 1, ws.u);
        if (nu > 4) {
            throw new MathRevert("UniswapV2Library.getAmountIn: ds-math-mul-overflow");
        }
        // amountIn = (numerator / denominator).add(1)
        SqrtPriceMath.divideLimbs(ws, nu > 3 ? ws.u[3] : 0, nu > 2 ? ws.u[2] : 0, nu > 1 ? ws.u[1] : 0, nu > 0 ? ws.u[0] : 0, d3, d2, d1, d0);
        ws.incrementQuotient("UniswapV2Library.getAmountIn: ds-math-add-overflow");
        FullMath.storeQuotient(ws, result);
    }

    /** {@code ws.u[0..4) = x * small}, reverting past 2^256 - 1. */
    private static void multiplyChecked(Workspace ws, Uint256 x, int small) {
        ws.b[0] = small;
        int n = Workspace.multiply(ws.a, Workspace.load(ws.a, x), ws.b, 1, ws.u);
        if (n > 4) {
            throw new MathRevert("UniswapV2Library: ds-math-mul-overflow");
        }
        for (int i = Math.max(n, 0); i < 4; i++) {
            ws.u[i] = 0;
        }
    }
}
