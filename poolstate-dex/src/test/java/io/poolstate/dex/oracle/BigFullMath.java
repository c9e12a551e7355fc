package io.poolstate.dex.oracle;

import io.poolstate.dex.math.MathRevert;
import java.math.BigInteger;

/**
 * v3-core {@code contracts/libraries/BigFullMath.sol} (same in v4-core): {@code a * b / denominator} with a
 * 512-bit intermediate, rounding down or up; reverts when the denominator is zero or the result does not fit
 * 256 bits. Operands are uint256.
 */
public final class BigFullMath {
    private BigFullMath() {
    }

    public static BigInteger mulDiv(BigInteger a, BigInteger b, BigInteger denominator) {
        if (denominator.signum() == 0) {
            throw new MathRevert("BigFullMath.mulDiv: denominator is zero");
        }
        BigInteger r = a.multiply(b).divide(denominator);
        if (r.bitLength() > 256) {
            throw new MathRevert("BigFullMath.mulDiv: result overflows uint256");
        }
        return r;
    }

    public static BigInteger mulDivRoundingUp(BigInteger a, BigInteger b, BigInteger denominator) {
        if (denominator.signum() == 0) {
            throw new MathRevert("BigFullMath.mulDivRoundingUp: denominator is zero");
        }
        BigInteger[] qr = a.multiply(b).divideAndRemainder(denominator);
        BigInteger r = qr[0];
        if (r.bitLength() > 256) {
            throw new MathRevert("BigFullMath.mulDivRoundingUp: result overflows uint256");
        }
        if (qr[1].signum() > 0) {
            if (r.equals(BigU256.MAX_UINT256)) {
                throw new MathRevert("BigFullMath.mulDivRoundingUp: result overflows uint256");
            }
            r = r.add(BigInteger.ONE);
        }
        return r;
    }

    /** UnsafeMath.divRoundingUp (v3-core {@code UnsafeMath.sol}): ceil(x / y); y = 0 gives 0 as the EVM does. */
    public static BigInteger divRoundingUp(BigInteger x, BigInteger y) {
        if (y.signum() == 0) {
            return BigInteger.ZERO;
        }
        BigInteger[] qr = x.divideAndRemainder(y);
        return qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    }
}
