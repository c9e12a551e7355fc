package io.poolstate.dex.math;

import java.math.BigInteger;

/** v3-core {@code LiquidityMath.sol} / v4-core {@code LiquidityMath.sol}: uint128 plus a signed int128 delta. */
public final class LiquidityMath {
    private LiquidityMath() {
    }

    /** {@code x + y}; reverts on underflow ('LS') or overflow of uint128 ('LA'). */
    public static BigInteger addDelta(BigInteger x, BigInteger y) {
        BigInteger z = x.add(y);
        if (z.signum() < 0) {
            throw new MathRevert("LiquidityMath.addDelta: underflow (LS) x=" + x + " y=" + y);
        }
        if (z.bitLength() > 128) {
            throw new MathRevert("LiquidityMath.addDelta: overflow (LA) x=" + x + " y=" + y);
        }
        return z;
    }
}
