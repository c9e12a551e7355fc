package io.poolstate.dex.math;

import java.math.BigInteger;

/**
 * v3-core {@code contracts/libraries/LiquidityMath.sol} / v4-core {@code src/libraries/LiquidityMath.sol}: a uint128
 * plus a signed int128 delta, on limbs, allocating nothing. An int128 is passed as its two 64-bit halves in two's
 * complement ({@code high} signed, {@code low} unsigned).
 */
public final class LiquidityMath {
    private LiquidityMath() {
    }

    /**
     * {@code result = x + y} for a uint128 {@code x} and an int128 {@code y}; reverts on underflow ('LS') or overflow of
     * uint128 ('LA'), the conditions under which v4-core reverts with SafeCastOverflow. {@code result} may be {@code x}.
     */
    public static void addDelta(Uint256 x, long yHigh, long yLow, Uint256 result) {
        long x0 = x.w0;
        long x1 = x.w1;
        long z0 = x0 + yLow;
        long carry = Long.compareUnsigned(z0, x0) < 0 ? 1 : 0;
        long z1 = x1 + yHigh + carry;
        // with y read as an unsigned 128-bit number (y + 2^128 when negative), x + y carries out of 128 bits exactly
        // when a positive y overflows, and fails to carry exactly when a negative y underflows
        boolean carriedOut = carries(x1, yHigh, carry);
        if (yHigh < 0 && !carriedOut) {
            throw new MathRevert("LiquidityMath.addDelta: underflow (LS) x=" + x + " y=" + int128(yHigh, yLow));
        }
        if (yHigh >= 0 && carriedOut) {
            throw new MathRevert("LiquidityMath.addDelta: overflow (LA) x=" + x + " y=" + int128(yHigh, yLow));
        }
        result.setWords(0, 0, z1, z0);
    }

    /** Whether {@code x1 + y1 + carry} carries out of 64 bits (unsigned). */
    private static boolean carries(long x1, long y1, long carry) {
        long s = x1 + y1;
        return Long.compareUnsigned(s, x1) < 0 || carry == 1 && s == -1L;
    }

    /** An int128 given as halves, as a BigInteger (for messages). */
    public static BigInteger int128(long high, long low) {
        return BigInteger.valueOf(high).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(low)));
    }
}
