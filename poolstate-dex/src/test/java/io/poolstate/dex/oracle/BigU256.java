package io.poolstate.dex.oracle;

import io.poolstate.dex.math.MathRevert;
import java.math.BigInteger;

/** Constants and checks for Solidity's unsigned integer widths, on {@link BigInteger}. */
public final class BigU256 {
    public static final BigInteger ONE = BigInteger.ONE;
    public static final BigInteger ZERO = BigInteger.ZERO;
    public static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);
    public static final BigInteger MAX_UINT256 = TWO_256.subtract(ONE);
    public static final BigInteger MAX_UINT160 = BigInteger.ONE.shiftLeft(160).subtract(ONE);
    public static final BigInteger MAX_UINT128 = BigInteger.ONE.shiftLeft(128).subtract(ONE);
    public static final BigInteger MAX_INT128 = BigInteger.ONE.shiftLeft(127).subtract(ONE);
    public static final BigInteger MIN_INT128 = BigInteger.ONE.shiftLeft(127).negate();
    public static final BigInteger MAX_INT256 = BigInteger.ONE.shiftLeft(255).subtract(ONE);
    /** FixedPoint96.Q96 = 2^96. */
    public static final BigInteger Q96 = BigInteger.ONE.shiftLeft(96);
    /** FixedPoint128.Q128 = 2^128. */
    public static final BigInteger Q128 = BigInteger.ONE.shiftLeft(128);

    private BigU256() {
    }

    /** SafeCast.toUint160: reverts when {@code v} does not fit. */
    public static BigInteger toUint160(BigInteger v, String where) {
        if (v.signum() < 0 || v.bitLength() > 160) {
            throw new MathRevert(where + ": uint160 overflow");
        }
        return v;
    }

    /** SafeCast.toInt256: reverts when {@code v} does not fit. */
    public static BigInteger toInt256(BigInteger v, String where) {
        if (v.compareTo(MAX_INT256) > 0) {
            throw new MathRevert(where + ": int256 overflow");
        }
        return v;
    }

    /** Checked uint256 addition (Solidity 0.8 / LowGasSafeMath). */
    public static BigInteger add(BigInteger a, BigInteger b, String where) {
        BigInteger r = a.add(b);
        if (r.bitLength() > 256) {
            throw new MathRevert(where + ": uint256 overflow");
        }
        return r;
    }

    public static boolean fitsUint256(BigInteger v) {
        return v.signum() >= 0 && v.bitLength() <= 256;
    }
}
