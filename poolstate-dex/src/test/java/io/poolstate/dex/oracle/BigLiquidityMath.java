package io.poolstate.dex.oracle;

import io.poolstate.dex.math.MathRevert;
import java.math.BigInteger;

/** v3-core {@code BigLiquidityMath.sol} / v4-core {@code BigLiquidityMath.sol}: uint128 plus a signed int128 delta. */
public final class BigLiquidityMath {
    private BigLiquidityMath() {
    }

    /** {@code x + y}; reverts on underflow ('LS') or overflow of uint128 ('LA'). */
    public static BigInteger addDelta(BigInteger x, BigInteger y) {
        BigInteger z = x.add(y);
        if (z.signum() < 0) {
            throw new MathRevert("BigLiquidityMath.addDelta: underflow (LS) x=" + x + " y=" + y);
        }
        if (z.bitLength() > 128) {
            throw new MathRevert("BigLiquidityMath.addDelta: overflow (LA) x=" + x + " y=" + y);
        }
        return z;
    }
}
