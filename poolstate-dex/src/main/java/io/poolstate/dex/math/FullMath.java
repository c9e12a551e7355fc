package io.poolstate.dex.math;

/**
 * v3-core {@code contracts/libraries/FullMath.sol} (v4-core {@code src/libraries/FullMath.sol} is the same):
 * {@code a * b / denominator} with a full 512-bit intermediate, rounding down or up, and v3-core
 * {@code UnsafeMath.divRoundingUp}; on {@link Uint256} registers, allocating nothing. Reverts when the denominator is
 * zero or the result does not fit 256 bits, as the library does. The result register may be one of the operands.
 */
public final class FullMath {
    private FullMath() {
    }

    /** {@code floor(a * b / denominator)}. */
    public static void mulDiv(Uint256 a, Uint256 b, Uint256 denominator, Uint256 result) {
        mulDiv(a, b, denominator, result, false, "FullMath.mulDiv");
    }

    /** {@code ceil(a * b / denominator)}; also reverts when rounding up passes 2^256 - 1. */
    public static void mulDivRoundingUp(Uint256 a, Uint256 b, Uint256 denominator, Uint256 result) {
        mulDiv(a, b, denominator, result, true, "FullMath.mulDivRoundingUp");
    }

    private static void mulDiv(Uint256 a, Uint256 b, Uint256 denominator, Uint256 result, boolean roundUp, String where) {
        if ((denominator.w1 | denominator.w2 | denominator.w3) == 0 && denominator.w0 != 0) {
            if ((b.w1 | b.w2 | b.w3) == 0) {
                mulDivSmall(a, b.w0, denominator.w0, result, roundUp, where);
                return;
            }
            if ((a.w1 | a.w2 | a.w3) == 0) {
                mulDivSmall(b, a.w0, denominator.w0, result, roundUp, where);
                return;
            }
        }
        Workspace ws = result.workspace();
        int na = Workspace.load(ws.a, a);
        int nb = Workspace.load(ws.b, b);
        int nd = Workspace.load(ws.v, denominator);
        int nu = Workspace.multiply(ws.a, na, ws.b, nb, ws.u);
        divideProduct(ws, nu, nd, roundUp, where);
        storeQuotient(ws, result);
    }

    /**
     * {@code mulDiv} for a 64-bit multiplier {@code b} and a non-zero 64-bit {@code d} (fees, pips): the product in
     * five limbs, divided limb by limb with the reciprocal of the normalised divisor.
     */
    private static void mulDivSmall(Uint256 a, long b, long d, Uint256 result, boolean roundUp, String where) {
        long p0 = a.w0 * b;
        long h = Math.unsignedMultiplyHigh(a.w0, b);
        if ((a.w1 | a.w2 | a.w3) == 0 && Long.compareUnsigned(h, d) < 0) {
            // a product of two limbs whose quotient fits one (a step's amount times a fee): one 2-by-1 division
            Workspace ws = result.workspace();
            int s = Long.numberOfLeadingZeros(d);
            long dn = d << s;
            long q = ws.divideShifted(h, p0, dn, ws.reciprocalOf(dn), s);
            long carry = roundUp && ws.remainder != 0 && ++q == 0 ? 1 : 0;
            result.setWords(0, 0, carry, q);
            return;
        }
        long p1 = a.w1 * b + h;
        h = Math.unsignedMultiplyHigh(a.w1, b) + (Long.compareUnsigned(p1, h) < 0 ? 1 : 0);
        long p2 = a.w2 * b + h;
        h = Math.unsignedMultiplyHigh(a.w2, b) + (Long.compareUnsigned(p2, h) < 0 ? 1 : 0);
        long p3 = a.w3 * b + h;
        long p4 = Math.unsignedMultiplyHigh(a.w3, b) + (Long.compareUnsigned(p3, h) < 0 ? 1 : 0);
        // require(denominator > prod1)
        if (Long.compareUnsigned(p4, d) >= 0) {
            throw new MathRevert(where + ": result overflows uint256");
        }
        Workspace ws = result.workspace();
        int s = Long.numberOfLeadingZeros(d);
        long dn = d << s;
        long inv = ws.reciprocalOf(dn);
        long r = p4;
        long q3 = 0;
        long q2 = 0;
        long q1 = 0;
        if ((p3 | r) != 0) {
            q3 = ws.divideShifted(r, p3, dn, inv, s);
            r = ws.remainder;
        }
        if ((p2 | r) != 0) {
            q2 = ws.divideShifted(r, p2, dn, inv, s);
            r = ws.remainder;
        }
        if ((p1 | r) != 0) {
            q1 = ws.divideShifted(r, p1, dn, inv, s);
            r = ws.remainder;
        }
        long q0 = ws.divideShifted(r, p0, dn, inv, s);
        r = ws.remainder;
        if (roundUp && r != 0 && ++q0 == 0 && ++q1 == 0 && ++q2 == 0 && ++q3 == 0) {
            throw new MathRevert(where + ": result overflows uint256");
        }
        result.setWords(q3, q2, q1, q0);
    }

    /**
     * The division of {@code mulDiv}: {@code ws.u[0..nu)} (a product of two uint256) by {@code ws.v[0..nd)}, with the
     * library's reverts (zero denominator, a quotient of 2^256 or more, rounding up past 2^256 - 1). Leaves the
     * quotient in {@code ws.q[0..4)}.
     */
    static void divideProduct(Workspace ws, int nu, int nd, boolean roundUp, String where) {
        if (nd == 0) {
            throw new MathRevert(where + ": denominator is zero");
        }
        // require(denominator > prod1): the quotient fits 256 bits exactly when the high half is below the denominator
        if (nu > 4 && nd <= 4 && Uint256.compare(nu > 7 ? ws.u[7] : 0, nu > 6 ? ws.u[6] : 0, nu > 5 ? ws.u[5] : 0, ws.u[4],
                nd > 3 ? ws.v[3] : 0, nd > 2 ? ws.v[2] : 0, nd > 1 ? ws.v[1] : 0, ws.v[0]) >= 0) {
            throw new MathRevert(where + ": result overflows uint256");
        }
        boolean inexact = ws.divide(nu, nd);
        ws.clearQuotientAbove(Workspace.quotientLength(nu, nd));
        if (roundUp && inexact) {
            ws.incrementQuotient(where);
        }
    }

    /** {@code ws.q[0..4)} into {@code result}. */
    static void storeQuotient(Workspace ws, Uint256 result) {
        long[] q = ws.q;
        result.setWords(q[3], q[2], q[1], q[0]);
    }

    /** UnsafeMath.divRoundingUp: {@code ceil(x / y)}; {@code y = 0} gives 0, as the EVM's {@code div} does. */
    public static void divRoundingUp(Uint256 x, Uint256 y, Uint256 result) {
        if (divide(x, y, result)) {
            result.increment("UnsafeMath.divRoundingUp");
        }
    }

    /**
     * The EVM's {@code div}: {@code floor(x / y)}, 0 when {@code y = 0}; returns true when the remainder is not zero
     * (never for {@code y = 0}).
     */
    public static boolean divide(Uint256 x, Uint256 y, Uint256 result) {
        Workspace ws = result.workspace();
        int nv = Workspace.load(ws.v, y);
        if (nv == 0) {
            result.set(0);
            return false;
        }
        int nu = Workspace.load(ws.u, x);
        boolean inexact = ws.divide(nu, nv);
        ws.clearQuotientAbove(Workspace.quotientLength(nu, nv));
        storeQuotient(ws, result);
        return inexact;
    }
}
