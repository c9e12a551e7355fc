package io.poolstate.dex.math;

/**
 * One step of a swap within a price range, as the pools compute it, on {@link Uint256} registers, allocating
 * nothing. V3 ({@code v3-core contracts/libraries/SwapMath.sol}) and V4 ({@code v4-core src/libraries/SwapMath.sol})
 * differ in rounding details, so both are ported as written: V3 recomputes the amounts from the final price; V4
 * takes the remaining amount as is when the step ends inside the range. The libraries take a signed
 * {@code amountRemaining} (V3: {@code >= 0} is exact input; V4: {@code < 0} is exact input); here it is passed as its
 * magnitude with {@code exactIn}; a zero amount takes the mode its sign gives (V3: exact input, V4: exact output).
 * Fees are in pips (1e-6), at most {@link #MAX_SWAP_FEE}.
 */
public final class SwapMath {
    /** V4 MAX_SWAP_FEE and V3's 1e6 fee denominator (pips). */
    public static final int MAX_SWAP_FEE = 1_000_000;

    private SwapMath() {
    }

    /**
     * The outcome of one step and the registers it is computed in: price reached (Q64.96), amount in (fee
     * excluded), amount out and fee (uint256). Reused step after step by one thread.
     */
    public static final class Step {
        public final Uint256 sqrtPriceNextX96 = new Uint256();
        public final Uint256 amountIn = new Uint256();
        public final Uint256 amountOut = new Uint256();
        public final Uint256 feeAmount = new Uint256();
        final Uint256 lessFee = new Uint256();
        final Uint256 fee = new Uint256();
        final Uint256 complement = new Uint256();
        final Uint256 pips = new Uint256(MAX_SWAP_FEE);
        /**
         * The fee {@link #fee} and {@link #complement} hold ({@code Integer.MIN_VALUE}: none yet); a swap keeps one fee
         * for all its steps.
         */
        private int feeHeld = Integer.MIN_VALUE;

        void fee(int feePips) {
            if (feePips != feeHeld) {
                fee.set(feePips);
                complement.set(MAX_SWAP_FEE - feePips);
                feeHeld = feePips;
            }
        }
    }

    /**
     * v3-core SwapMath.computeSwapStep. {@code amountRemaining} is the magnitude of the signed amount; the step's
     * registers must not be the inputs.
     */
    public static void computeSwapStepV3(Uint256 current, Uint256 target, Uint256 liquidity, Uint256 amountRemaining, boolean exactIn,
                                         int feePips, Step s) {
        exactIn |= amountRemaining.isZero(); // amountRemaining >= 0
        boolean zeroForOne = current.compareTo(target) >= 0;
        s.fee(feePips);
        Uint256 next = s.sqrtPriceNextX96;
        if (exactIn) {
            if (zeroForOne) {
                SqrtPriceMath.getAmount0Delta(target, current, liquidity, true, s.amountIn);
            } else {
                SqrtPriceMath.getAmount1Delta(current, target, liquidity, true, s.amountIn);
            }
            // amountRemainingLessFee = mulDiv(amountRemaining, 1e6 - feePips, 1e6), needed only when it is below amountIn
            if (coversAmountIn(amountRemaining, MAX_SWAP_FEE - feePips, s.amountIn)) {
                next.set(target);
            } else {
                FullMath.mulDiv(amountRemaining, s.complement, s.pips, s.lessFee);
                SqrtPriceMath.getNextSqrtPriceFromInput(current, liquidity, s.lessFee, zeroForOne, next);
            }
        } else {
            if (zeroForOne) {
                SqrtPriceMath.getAmount1Delta(target, current, liquidity, false, s.amountOut);
            } else {
                SqrtPriceMath.getAmount0Delta(current, target, liquidity, false, s.amountOut);
            }
            if (amountRemaining.compareTo(s.amountOut) >= 0) {
                next.set(target);
            } else {
                SqrtPriceMath.getNextSqrtPriceFromOutput(current, liquidity, amountRemaining, zeroForOne, next);
            }
        }
        boolean max = target.valueEquals(next);
        if (zeroForOne) {
            if (!(max && exactIn)) {
                SqrtPriceMath.getAmount0Delta(next, current, liquidity, true, s.amountIn);
            }
            if (!(max && !exactIn)) {
                SqrtPriceMath.getAmount1Delta(next, current, liquidity, false, s.amountOut);
            }
        } else {
            if (!(max && exactIn)) {
                SqrtPriceMath.getAmount1Delta(current, next, liquidity, true, s.amountIn);
            }
            if (!(max && !exactIn)) {
                SqrtPriceMath.getAmount0Delta(current, next, liquidity, false, s.amountOut);
            }
        }
        // cap the output amount to not exceed the remaining output amount
        if (!exactIn && s.amountOut.compareTo(amountRemaining) > 0) {
            s.amountOut.set(amountRemaining);
        }
        if (exactIn && !max) {
            // we didn't reach the target, so take the remainder of the maximum input as fee (unchecked in 0.7)
            subtractWrapping(amountRemaining, s.amountIn, s.feeAmount);
        } else {
            FullMath.mulDivRoundingUp(s.amountIn, s.fee, s.complement, s.feeAmount);
        }
    }

    /**
     * v4-core SwapMath.computeSwapStep. {@code amountRemaining} is the magnitude of the signed amount; the step's
     * registers must not be the inputs.
     */
    public static void computeSwapStepV4(Uint256 current, Uint256 target, Uint256 liquidity, Uint256 amountRemaining, boolean exactIn,
                                         int feePips, Step s) {
        exactIn &= !amountRemaining.isZero(); // amountRemaining < 0
        boolean zeroForOne = current.compareTo(target) >= 0;
        s.fee(feePips);
        Uint256 next = s.sqrtPriceNextX96;
        if (exactIn) {
            if (zeroForOne) {
                SqrtPriceMath.getAmount0Delta(target, current, liquidity, true, s.amountIn);
            } else {
                SqrtPriceMath.getAmount1Delta(current, target, liquidity, true, s.amountIn);
            }
            // amountRemainingLessFee = mulDiv(-amountRemaining, 1e6 - feePips, 1e6), needed only when it is below amountIn
            if (coversAmountIn(amountRemaining, MAX_SWAP_FEE - feePips, s.amountIn)) {
                // amountIn is capped by the target price
                next.set(target);
                if (feePips == MAX_SWAP_FEE) {
                    s.feeAmount.set(s.amountIn);
                } else {
                    FullMath.mulDivRoundingUp(s.amountIn, s.fee, s.complement, s.feeAmount);
                }
            } else {
                // exhaust the remaining amount
                FullMath.mulDiv(amountRemaining, s.complement, s.pips, s.lessFee);
                s.amountIn.set(s.lessFee);
                SqrtPriceMath.getNextSqrtPriceFromInput(current, liquidity, s.lessFee, zeroForOne, next);
                subtractWrapping(amountRemaining, s.amountIn, s.feeAmount);
            }
            if (zeroForOne) {
                SqrtPriceMath.getAmount1Delta(next, current, liquidity, false, s.amountOut);
            } else {
                SqrtPriceMath.getAmount0Delta(current, next, liquidity, false, s.amountOut);
            }
        } else {
            if (zeroForOne) {
                SqrtPriceMath.getAmount1Delta(target, current, liquidity, false, s.amountOut);
            } else {
                SqrtPriceMath.getAmount0Delta(current, target, liquidity, false, s.amountOut);
            }
            if (amountRemaining.compareTo(s.amountOut) >= 0) {
                next.set(target);
            } else {
                // cap the output amount to not exceed the remaining output amount
                s.amountOut.set(amountRemaining);
                SqrtPriceMath.getNextSqrtPriceFromOutput(current, liquidity, s.amountOut, zeroForOne, next);
            }
            if (zeroForOne) {
                SqrtPriceMath.getAmount0Delta(next, current, liquidity, true, s.amountIn);
            } else {
                SqrtPriceMath.getAmount1Delta(current, next, liquidity, true, s.amountIn);
            }
            FullMath.mulDivRoundingUp(s.amountIn, s.fee, s.complement, s.feeAmount);
        }
    }

    /**
     * {@code mulDiv(amountRemaining, complement, 1e6) >= amountIn} without the division: for integers,
     * {@code floor(x / m) >= a} exactly when {@code x >= a * m}, so the products {@code amountRemaining * complement}
     * and {@code amountIn * 1e6} (each below 2^276, five limbs) are compared. {@code complement <= 1e6}, so the
     * library's mulDiv cannot overflow and there is no revert to keep.
     */
    static boolean coversAmountIn(Uint256 amountRemaining, long complement, Uint256 amountIn) {
        if ((amountRemaining.w2 | amountRemaining.w3 | amountIn.w2 | amountIn.w3) == 0) {
            // both below 2^128 (every amount of a pool's 128-bit liquidity in practice): three-limb products
            long x0 = amountRemaining.w0 * complement;
            long h = Math.unsignedMultiplyHigh(amountRemaining.w0, complement);
            long x1 = amountRemaining.w1 * complement + h;
            long x2 = Math.unsignedMultiplyHigh(amountRemaining.w1, complement) + (Long.compareUnsigned(x1, h) < 0 ? 1 : 0);
            long m = MAX_SWAP_FEE;
            long y0 = amountIn.w0 * m;
            h = Math.unsignedMultiplyHigh(amountIn.w0, m);
            long y1 = amountIn.w1 * m + h;
            long y2 = Math.unsignedMultiplyHigh(amountIn.w1, m) + (Long.compareUnsigned(y1, h) < 0 ? 1 : 0);
            return Uint256.compare(0, x2, x1, x0, 0, y2, y1, y0) >= 0;
        }
        long x0 = amountRemaining.w0 * complement;
        long h = Math.unsignedMultiplyHigh(amountRemaining.w0, complement);
        long x1 = amountRemaining.w1 * complement + h;
        h = Math.unsignedMultiplyHigh(amountRemaining.w1, complement) + (Long.compareUnsigned(x1, h) < 0 ? 1 : 0);
        long x2 = amountRemaining.w2 * complement + h;
        h = Math.unsignedMultiplyHigh(amountRemaining.w2, complement) + (Long.compareUnsigned(x2, h) < 0 ? 1 : 0);
        long x3 = amountRemaining.w3 * complement + h;
        long x4 = Math.unsignedMultiplyHigh(amountRemaining.w3, complement) + (Long.compareUnsigned(x3, h) < 0 ? 1 : 0);
        long m = MAX_SWAP_FEE;
        long y0 = amountIn.w0 * m;
        h = Math.unsignedMultiplyHigh(amountIn.w0, m);
        long y1 = amountIn.w1 * m + h;
        h = Math.unsignedMultiplyHigh(amountIn.w1, m) + (Long.compareUnsigned(y1, h) < 0 ? 1 : 0);
        long y2 = amountIn.w2 * m + h;
        h = Math.unsignedMultiplyHigh(amountIn.w2, m) + (Long.compareUnsigned(y2, h) < 0 ? 1 : 0);
        long y3 = amountIn.w3 * m + h;
        long y4 = Math.unsignedMultiplyHigh(amountIn.w3, m) + (Long.compareUnsigned(y3, h) < 0 ? 1 : 0);
        if (x4 != y4) {
            return Long.compareUnsigned(x4, y4) > 0;
        }
        return Uint256.compare(x3, x2, x1, x0, y3, y2, y1, y0) >= 0;
    }

    /** {@code result = x - y mod 2^256}, as unchecked Solidity computes it. */
    static void subtractWrapping(Uint256 x, Uint256 y, Uint256 result) {
        long d0 = x.w0 - y.w0;
        long b = Long.compareUnsigned(x.w0, y.w0) < 0 ? 1 : 0;
        long d1 = x.w1 - y.w1 - b;
        b = Long.compareUnsigned(x.w1, y.w1) < 0 || x.w1 == y.w1 && b == 1 ? 1 : 0;
        long d2 = x.w2 - y.w2 - b;
        b = Long.compareUnsigned(x.w2, y.w2) < 0 || x.w2 == y.w2 && b == 1 ? 1 : 0;
        long d3 = x.w3 - y.w3 - b;
        result.setWords(d3, d2, d1, d0);
    }
}
