package io.poolstate.dex.oracle;

import java.math.BigInteger;

/**
 * One step of a swap within a price range, as the pools compute it. V3 ({@code v3-core BigSwapMath.sol}) and V4
 * ({@code v4-core src/libraries/BigSwapMath.sol}) differ in sign convention and rounding details, so both are
 * ported as written: V3 treats {@code amountRemaining >= 0} as exact input and recomputes amounts from the
 * final price; V4 treats {@code amountRemaining < 0} as exact input and takes the remaining amount as is when
 * the step ends inside the range.
 */
public final class BigSwapMath {
    /** V4 MAX_SWAP_FEE and V3's 1e6 fee denominator (pips). */
    public static final BigInteger PIPS = BigInteger.valueOf(1_000_000);

    /** A fee in pips with {@code 1e6 - fee}, both as BigIntegers. */
    private record Fee(int pips, BigInteger value, BigInteger complement) {
    }

    private static final java.util.concurrent.atomic.AtomicReferenceArray<Fee> FEES = new java.util.concurrent.atomic.AtomicReferenceArray<>(64);

    private BigSwapMath() {
    }

    /** {@code fee} and {@code 1e6 - fee} without allocating for the fees in use (a small direct-mapped cache). */
    private static Fee fee(int feePips) {
        int slot = (feePips * 0x9E3779B1) >>> 26;
        Fee f = FEES.get(slot);
        if (f == null || f.pips() != feePips) {
            f = new Fee(feePips, BigInteger.valueOf(feePips), PIPS.subtract(BigInteger.valueOf(feePips)));
            FEES.set(slot, f);
        }
        return f;
    }

    /** The outcome of one step: price reached and amounts (uint256) including the fee taken. */
    public record Step(BigInteger sqrtPriceNextX96, BigInteger amountIn, BigInteger amountOut, BigInteger feeAmount) {
    }

    /** v3-core BigSwapMath.computeSwapStep; {@code amountRemaining >= 0} is exact input. */
    public static Step computeSwapStepV3(BigInteger current, BigInteger target, BigInteger liquidity, BigInteger amountRemaining, int feePips) {
        boolean zeroForOne = current.compareTo(target) >= 0;
        boolean exactIn = amountRemaining.signum() >= 0;
        Fee f = fee(feePips);
        BigInteger fee = f.value();
        BigInteger complement = f.complement();
        BigInteger next;
        BigInteger amountIn = BigInteger.ZERO;
        BigInteger amountOut = BigInteger.ZERO;
        if (exactIn) {
            BigInteger lessFee = BigFullMath.mulDiv(amountRemaining, complement, PIPS);
            amountIn = zeroForOne ? BigSqrtPriceMath.getAmount0Delta(target, current, liquidity, true)
                    : BigSqrtPriceMath.getAmount1Delta(current, target, liquidity, true);
            next = lessFee.compareTo(amountIn) >= 0 ? target : BigSqrtPriceMath.getNextSqrtPriceFromInput(current, liquidity, lessFee, zeroForOne);
        } else {
            amountOut = zeroForOne ? BigSqrtPriceMath.getAmount1Delta(target, current, liquidity, false)
                    : BigSqrtPriceMath.getAmount0Delta(current, target, liquidity, false);
            BigInteger wanted = amountRemaining.negate();
            next = wanted.compareTo(amountOut) >= 0 ? target : BigSqrtPriceMath.getNextSqrtPriceFromOutput(current, liquidity, wanted, zeroForOne);
        }
        boolean max = target.equals(next);
        if (zeroForOne) {
            amountIn = max && exactIn ? amountIn : BigSqrtPriceMath.getAmount0Delta(next, current, liquidity, true);
            amountOut = max && !exactIn ? amountOut : BigSqrtPriceMath.getAmount1Delta(next, current, liquidity, false);
        } else {
            amountIn = max && exactIn ? amountIn : BigSqrtPriceMath.getAmount1Delta(current, next, liquidity, true);
            amountOut = max && !exactIn ? amountOut : BigSqrtPriceMath.getAmount0Delta(current, next, liquidity, false);
        }
        if (!exactIn && amountOut.compareTo(amountRemaining.negate()) > 0) {
            amountOut = amountRemaining.negate();
        }
        BigInteger feeAmount = exactIn && !next.equals(target) ? amountRemaining.subtract(amountIn)
                : BigFullMath.mulDivRoundingUp(amountIn, fee, complement);
        return new Step(next, amountIn, amountOut, feeAmount);
    }

    /** v4-core BigSwapMath.computeSwapStep; {@code amountRemaining < 0} is exact input. */
    public static Step computeSwapStepV4(BigInteger current, BigInteger target, BigInteger liquidity, BigInteger amountRemaining, int feePips) {
        boolean zeroForOne = current.compareTo(target) >= 0;
        boolean exactIn = amountRemaining.signum() < 0;
        Fee f = fee(feePips);
        BigInteger fee = f.value();
        BigInteger complement = f.complement();
        BigInteger next;
        BigInteger amountIn;
        BigInteger amountOut;
        BigInteger feeAmount;
        if (exactIn) {
            BigInteger remaining = amountRemaining.negate();
            BigInteger lessFee = BigFullMath.mulDiv(remaining, complement, PIPS);
            amountIn = zeroForOne ? BigSqrtPriceMath.getAmount0Delta(target, current, liquidity, true)
                    : BigSqrtPriceMath.getAmount1Delta(current, target, liquidity, true);
            if (lessFee.compareTo(amountIn) >= 0) {
                next = target;
                feeAmount = feePips == 1_000_000 ? amountIn : BigFullMath.mulDivRoundingUp(amountIn, fee, complement);
            } else {
                amountIn = lessFee;
                next = BigSqrtPriceMath.getNextSqrtPriceFromInput(current, liquidity, lessFee, zeroForOne);
                feeAmount = remaining.subtract(amountIn);
            }
            amountOut = zeroForOne ? BigSqrtPriceMath.getAmount1Delta(next, current, liquidity, false)
                    : BigSqrtPriceMath.getAmount0Delta(current, next, liquidity, false);
        } else {
            amountOut = zeroForOne ? BigSqrtPriceMath.getAmount1Delta(target, current, liquidity, false)
                    : BigSqrtPriceMath.getAmount0Delta(current, target, liquidity, false);
            if (amountRemaining.compareTo(amountOut) >= 0) {
                next = target;
            } else {
                amountOut = amountRemaining;
                next = BigSqrtPriceMath.getNextSqrtPriceFromOutput(current, liquidity, amountOut, zeroForOne);
            }
            amountIn = zeroForOne ? BigSqrtPriceMath.getAmount0Delta(next, current, liquidity, true)
                    : BigSqrtPriceMath.getAmount1Delta(current, next, liquidity, true);
            feeAmount = BigFullMath.mulDivRoundingUp(amountIn, fee, complement);
        }
        return new Step(next, amountIn, amountOut, feeAmount);
    }
}
