package io.poolstate.dex.math;

/**
 * v3-core {@code contracts/libraries/SqrtPriceMath.sol} (v4-core {@code src/libraries/SqrtPriceMath.sol} has the
 * same results and revert conditions) on {@link Uint256} registers, allocating nothing: next prices from amounts,
 * and token amounts between prices, with the contracts' rounding. Prices are Q64.96 (uint160), liquidity uint128,
 * amounts uint256; callers pass values of those widths. The result register may be one of the operands.
 */
public final class SqrtPriceMath {
    private static final String AMOUNT0 = "SqrtPriceMath.getNextSqrtPriceFromAmount0RoundingUp";
    private static final String AMOUNT1 = "SqrtPriceMath.getNextSqrtPriceFromAmount1RoundingDown";

    private SqrtPriceMath() {
    }

    /** The next price after adding ({@code add}) or removing {@code amount} of token0, rounded up. */
    public static void getNextSqrtPriceFromAmount0RoundingUp(Uint256 sqrtPX96, Uint256 liquidity, Uint256 amount, boolean add, Uint256 result) {
        if (amount.isZero()) {
            result.set(sqrtPX96);
            return;
        }
        Workspace ws = result.workspace();
        // numerator1 = liquidity << 96
        long n0 = 0;
        long n1 = liquidity.w0 << 32;
        long n2 = (liquidity.w0 >>> 32) | (liquidity.w1 << 32);
        long n3 = liquidity.w1 >>> 32;
        long p0 = sqrtPX96.w0;
        long p1 = sqrtPX96.w1;
        long p2 = sqrtPX96.w2;
        long p3 = sqrtPX96.w3;
        // product = amount * sqrtPX96; "product / amount == sqrtPX96" holds exactly when the full product fits 256 bits
        int np = Workspace.multiply(ws.a, Workspace.load(ws.a, amount), ws.b, Workspace.load(ws.b, sqrtPX96), ws.u);
        boolean productFits = np <= 4;
        long m0 = ws.u[0];
        long m1 = np > 1 ? ws.u[1] : 0;
        long m2 = np > 2 ? ws.u[2] : 0;
        long m3 = np > 3 ? ws.u[3] : 0;
        if (add) {
            if (productFits) {
                // denominator = numerator1 + product, unless it overflows
                long d0 = n0 + m0;
                long c = Long.compareUnsigned(d0, m0) < 0 ? 1 : 0;
                long d1 = n1 + m1;
                long c1 = Long.compareUnsigned(d1, m1) < 0 ? 1 : 0;
                d1 += c;
                c1 += Long.compareUnsigned(d1, c) < 0 ? 1 : 0;
                long d2 = n2 + m2;
                long c2 = Long.compareUnsigned(d2, m2) < 0 ? 1 : 0;
                d2 += c1;
                c2 += Long.compareUnsigned(d2, c1) < 0 ? 1 : 0;
                long d3 = n3 + m3;
                long c3 = Long.compareUnsigned(d3, m3) < 0 ? 1 : 0;
                d3 += c2;
                c3 += Long.compareUnsigned(d3, c2) < 0 ? 1 : 0;
                if (c3 == 0) {
                    // mulDivRoundingUp(numerator1, sqrtPX96, denominator): always fits 160 bits
                    mulDivLimbs(ws, n3, n2, n1, n0, p3, p2, p1, p0, d3, d2, d1, d0, true, AMOUNT0);
                    FullMath.storeQuotient(ws, result);
                    return;
                }
            }
            // divRoundingUp(numerator1, numerator1 / sqrtPX96 + amount), the addition checked
            divideLimbs(ws, n3, n2, n1, n0, p3, p2, p1, p0);
            long s0 = ws.q[0] + amount.w0;
            long k = Long.compareUnsigned(s0, amount.w0) < 0 ? 1 : 0;
            long s1 = ws.q[1] + amount.w1;
            long k1 = Long.compareUnsigned(s1, amount.w1) < 0 ? 1 : 0;
            s1 += k;
            k1 += Long.compareUnsigned(s1, k) < 0 ? 1 : 0;
            long s2 = ws.q[2] + amount.w2;
            long k2 = Long.compareUnsigned(s2, amount.w2) < 0 ? 1 : 0;
            s2 += k1;
            k2 += Long.compareUnsigned(s2, k1) < 0 ? 1 : 0;
            long s3 = ws.q[3] + amount.w3;
            long k3 = Long.compareUnsigned(s3, amount.w3) < 0 ? 1 : 0;
            s3 += k2;
            k3 += Long.compareUnsigned(s3, k2) < 0 ? 1 : 0;
            if (k3 != 0) {
                throw new MathRevert(AMOUNT0 + ": uint256 overflow (numerator1 / sqrtPX96 + amount)");
            }
            if (divideLimbs(ws, n3, n2, n1, n0, s3, s2, s1, s0)) {
                ws.incrementQuotient(AMOUNT0);
            }
            FullMath.storeQuotient(ws, result);
            return;
        }
        if (!productFits || Uint256.compare(n3, n2, n1, n0, m3, m2, m1, m0) <= 0) {
            throw new MathRevert(AMOUNT0 + ": price overflow (PriceOverflow) sqrtPX96=" + sqrtPX96 + " liquidity=" + liquidity + " amount=" + amount);
        }
        // denominator = numerator1 - product
        long d0 = n0 - m0;
        long b = Long.compareUnsigned(n0, m0) < 0 ? 1 : 0;
        long d1 = n1 - m1 - b;
        b = Long.compareUnsigned(n1, m1) < 0 || n1 == m1 && b == 1 ? 1 : 0;
        long d2 = n2 - m2 - b;
        b = Long.compareUnsigned(n2, m2) < 0 || n2 == m2 && b == 1 ? 1 : 0;
        long d3 = n3 - m3 - b;
        mulDivLimbs(ws, n3, n2, n1, n0, p3, p2, p1, p0, d3, d2, d1, d0, true, AMOUNT0);
        if (ws.q[3] != 0 || ws.q[2] >>> 32 != 0) {
            throw new MathRevert(AMOUNT0 + ": uint160 overflow (SafeCast)");
        }
        FullMath.storeQuotient(ws, result);
    }

    /** The next price after adding or removing {@code amount} of token1, rounded down. */
    public static void getNextSqrtPriceFromAmount1RoundingDown(Uint256 sqrtPX96, Uint256 liquidity, Uint256 amount, boolean add, Uint256 result) {
        Workspace ws = result.workspace();
        boolean small = amount.w3 == 0 && amount.w2 >>> 32 == 0;
        long l0 = liquidity.w0;
        long l1 = liquidity.w1;
        long p0 = sqrtPX96.w0;
        long p1 = sqrtPX96.w1;
        long p2 = sqrtPX96.w2;
        long p3 = sqrtPX96.w3;
        if (small) {
            // amount << 96 fits 256 bits
            long a0 = 0;
            long a1 = amount.w0 << 32;
            long a2 = (amount.w0 >>> 32) | (amount.w1 << 32);
            long a3 = (amount.w1 >>> 32) | (amount.w2 << 32);
            if (add && (l0 | l1) == 0) {
                throw new MathRevert(AMOUNT1 + ": division by zero liquidity");
            }
            // (amount << 96) / liquidity, or UnsafeMath.divRoundingUp (0 for zero liquidity)
            if ((l0 | l1) == 0) {
                ws.clearQuotientAbove(0);
            } else if (divideLimbs(ws, a3, a2, a1, a0, 0, 0, l1, l0) && !add) {
                ws.incrementQuotient(AMOUNT1);
            }
        } else {
            // FullMath.mulDiv(amount, Q96, liquidity) or mulDivRoundingUp
            mulDivLimbs(ws, amount.w3, amount.w2, amount.w1, amount.w0, 0, 0, 1L << 32, 0, 0, 0, l1, l0, !add, AMOUNT1);
        }
        long q0 = ws.q[0];
        long q1 = ws.q[1];
        long q2 = ws.q[2];
        long q3 = ws.q[3];
        if (add) {
            // (uint256(sqrtPX96) + quotient).toUint160()
            long s0 = p0 + q0;
            long c = Long.compareUnsigned(s0, q0) < 0 ? 1 : 0;
            long s1 = p1 + q1;
            long c1 = Long.compareUnsigned(s1, q1) < 0 ? 1 : 0;
            s1 += c;
            c1 += Long.compareUnsigned(s1, c) < 0 ? 1 : 0;
            long s2 = p2 + q2;
            long c2 = Long.compareUnsigned(s2, q2) < 0 ? 1 : 0;
            s2 += c1;
            c2 += Long.compareUnsigned(s2, c1) < 0 ? 1 : 0;
            long s3 = p3 + q3 + c2;
            boolean overflow = (q3 | p3) != 0 || c2 != 0 || s3 != 0 || s2 >>> 32 != 0;
            if (overflow) {
                throw new MathRevert(AMOUNT1 + ": uint160 overflow (SafeCast) sqrtPX96=" + sqrtPX96 + " amount=" + amount);
            }
            result.setWords(0, s2, s1, s0);
            return;
        }
        if (Uint256.compare(p3, p2, p1, p0, q3, q2, q1, q0) <= 0) {
            throw new MathRevert(AMOUNT1 + ": not enough liquidity (NotEnoughLiquidity) sqrtPX96=" + sqrtPX96 + " liquidity=" + liquidity
                    + " amount=" + amount);
        }
        long d0 = p0 - q0;
        long b = Long.compareUnsigned(p0, q0) < 0 ? 1 : 0;
        long d1 = p1 - q1 - b;
        b = Long.compareUnsigned(p1, q1) < 0 || p1 == q1 && b == 1 ? 1 : 0;
        long d2 = p2 - q2 - b;
        result.setWords(0, d2, d1, d0);
    }

    /** getNextSqrtPriceFromInput: reverts when price or liquidity is zero. */
    public static void getNextSqrtPriceFromInput(Uint256 sqrtPX96, Uint256 liquidity, Uint256 amountIn, boolean zeroForOne, Uint256 result) {
        requirePriceAndLiquidity(sqrtPX96, liquidity);
        if (zeroForOne) {
            getNextSqrtPriceFromAmount0RoundingUp(sqrtPX96, liquidity, amountIn, true, result);
        } else {
            getNextSqrtPriceFromAmount1RoundingDown(sqrtPX96, liquidity, amountIn, true, result);
        }
    }

    /** getNextSqrtPriceFromOutput: reverts when price or liquidity is zero. */
    public static void getNextSqrtPriceFromOutput(Uint256 sqrtPX96, Uint256 liquidity, Uint256 amountOut, boolean zeroForOne, Uint256 result) {
        requirePriceAndLiquidity(sqrtPX96, liquidity);
        if (zeroForOne) {
            getNextSqrtPriceFromAmount1RoundingDown(sqrtPX96, liquidity, amountOut, false, result);
        } else {
            getNextSqrtPriceFromAmount0RoundingUp(sqrtPX96, liquidity, amountOut, false, result);
        }
    }

    /**
     * Token0 between two prices for {@code liquidity}: {@code (L << 96) * (sqrtB - sqrtA) / sqrtB / sqrtA}. The library
     * divides twice ({@code mulDiv} by sqrtB, then by sqrtA, each rounding the same way); nested floors (and ceilings)
     * of positive integers equal one floor (ceiling) by the product, so one division by {@code sqrtA * sqrtB} gives the
     * identical result. The library's overflow revert in {@code mulDiv} cannot happen: with L < 2^128,
     * {@code (L << 96) * (sqrtB - sqrtA) / sqrtB < 2^224}.
     */
    public static void getAmount0Delta(Uint256 sqrtA, Uint256 sqrtB, Uint256 liquidity, boolean roundUp, Uint256 result) {
        Uint256 lower = sqrtA;
        Uint256 upper = sqrtB;
        if (sqrtA.compareTo(sqrtB) > 0) {
            lower = sqrtB;
            upper = sqrtA;
        }
        if (lower.isZero()) {
            throw new MathRevert("SqrtPriceMath.getAmount0Delta: price is zero (InvalidPrice)");
        }
        Workspace ws = result.workspace();
        if ((lower.w2 | lower.w3 | upper.w2 | upper.w3 | liquidity.w2 | liquidity.w3) == 0) {
            // prices and liquidity of at most 128 bits (every price below 2^128, i.e. below tick 443636)
            if (lower.w1 != 0) {
                // prices of two limbs (from 2^64, tick -443636 and up)
                divideAmount0TwoLimbs(ws, lower, upper, liquidity, roundUp, result);
            } else {
                divideAmount0(ws, lower, upper, liquidity, roundUp, result);
            }
            return;
        }
        int nv = Workspace.multiply(ws.a, Workspace.load(ws.a, lower), ws.b, Workspace.load(ws.b, upper), ws.v);
        long[] a = ws.a;
        a[0] = 0;
        a[1] = liquidity.w0 << 32;
        a[2] = (liquidity.w0 >>> 32) | (liquidity.w1 << 32);
        a[3] = liquidity.w1 >>> 32;
        long[] d = ws.b;
        d[0] = upper.w0 - lower.w0;
        long borrow = Long.compareUnsigned(upper.w0, lower.w0) < 0 ? 1 : 0;
        d[1] = upper.w1 - lower.w1 - borrow;
        borrow = Long.compareUnsigned(upper.w1, lower.w1) < 0 || upper.w1 == lower.w1 && borrow == 1 ? 1 : 0;
        d[2] = upper.w2 - lower.w2 - borrow;
        borrow = Long.compareUnsigned(upper.w2, lower.w2) < 0 || upper.w2 == lower.w2 && borrow == 1 ? 1 : 0;
        d[3] = upper.w3 - lower.w3 - borrow;
        int nu = Workspace.multiply(a, Workspace.length(a, 4), d, Workspace.length(d, 4), ws.u);
        boolean inexact = ws.divide(nu, nv);
        ws.clearQuotientAbove(Workspace.quotientLength(nu, nv));
        if (roundUp && inexact) {
            ws.incrementQuotient("SqrtPriceMath.getAmount0Delta");
        }
        FullMath.storeQuotient(ws, result);
    }

    /**
     * getAmount0Delta for two-limb prices and liquidity: the products written out ({@code lower * upper} in four limbs,
     * {@code (L * (upper - lower)) << 96} in six), then one division.
     */
    private static void divideAmount0(Workspace ws, Uint256 lower, Uint256 upper, Uint256 liquidity, boolean roundUp, Uint256 result) {
        long[] v = ws.v;
        int nv = multiply2x2(lower.w1, lower.w0, upper.w1, upper.w0, v, 0);
        long e0 = upper.w0 - lower.w0;
        long e1 = upper.w1 - lower.w1 - (Long.compareUnsigned(upper.w0, lower.w0) < 0 ? 1 : 0);
        long[] u = ws.u;
        int n = multiply2x2(liquidity.w1, liquidity.w0, e1, e0, u, 0);
        // << 96: one limb and 32 bits
        long x4 = n > 3 ? u[3] : 0;
        long x3 = n > 2 ? u[2] : 0;
        long x2 = n > 1 ? u[1] : 0;
        long x1 = n > 0 ? u[0] : 0;
        u[0] = 0;
        u[1] = x1 << 32;
        u[2] = (x1 >>> 32) | (x2 << 32);
        u[3] = (x2 >>> 32) | (x3 << 32);
        u[4] = (x3 >>> 32) | (x4 << 32);
        u[5] = x4 >>> 32;
        int nu = Workspace.length(u, 6);
        boolean inexact = ws.divide(nu, nv);
        ws.clearQuotientAbove(Workspace.quotientLength(nu, nv));
        if (roundUp && inexact) {
            ws.incrementQuotient("SqrtPriceMath.getAmount0Delta");
        }
        FullMath.storeQuotient(ws, result);
    }

    /**
     * getAmount0Delta for prices of two limbs ({@code 2^64 <= lower <= upper < 2^128}) and liquidity below 2^128:
     * {@code ((L * (upper - lower)) << 96) / (lower * upper)} in one division (see {@link #getAmount0Delta}), Knuth's
     * algorithm D written out for a divisor of four limbs: the product of the prices is moved up one limb when it is
     * below 2^192 (the dividend with it) and normalised, so every quotient limb is estimated from the divisor's top
     * limb, refined with the next one and corrected at most once. The quotient is below 2^160.
     */
    private static void divideAmount0TwoLimbs(Workspace ws, Uint256 lower, Uint256 upper, Uint256 liquidity, boolean roundUp, Uint256 result) {
        long[] x = ws.u;
        multiply2x2(lower.w1, lower.w0, upper.w1, upper.w0, x, 0);
        long d0 = x[0];
        long d1 = x[1];
        long d2 = x[2];
        long d3 = x[3];
        long e0 = upper.w0 - lower.w0;
        long e1 = upper.w1 - lower.w1 - (Long.compareUnsigned(upper.w0, lower.w0) < 0 ? 1 : 0);
        multiply2x2(liquidity.w1, liquidity.w0, e1, e0, x, 0);
        long p0 = x[0];
        long p1 = x[1];
        long p2 = x[2];
        long p3 = x[3];
        // numerator = product << 96 (one limb and 32 bits), one more limb up when the divisor is moved up
        int up = 1;
        if (d3 == 0) {
            d3 = d2;
            d2 = d1;
            d1 = d0;
            d0 = 0;
            up = 2;
        }
        // normalise: divisor and numerator << s, so the numerator is the product << (32 + s) placed `up` limbs up
        int s = Long.numberOfLeadingZeros(d3);
        d3 = (d3 << s) | ((d2 >>> 1) >>> (63 - s));
        d2 = (d2 << s) | ((d1 >>> 1) >>> (63 - s));
        d1 = (d1 << s) | ((d0 >>> 1) >>> (63 - s));
        d0 <<= s;
        int shift = 32 + s;
        int at = up + (shift >>> 6);
        int bits = shift & 63;
        for (int i = 0; i < at; i++) {
            x[i] = 0;
        }
        x[at] = p0 << bits;
        x[at + 1] = (p1 << bits) | ((p0 >>> 1) >>> (63 - bits));
        x[at + 2] = (p2 << bits) | ((p1 >>> 1) >>> (63 - bits));
        x[at + 3] = (p3 << bits) | ((p2 >>> 1) >>> (63 - bits));
        x[at + 4] = (p3 >>> 1) >>> (63 - bits);
        boolean inexact = divideBy4Limbs(ws, at + 5, d3, d2, d1, d0);
        long[] q = ws.q;
        long q0 = q[0];
        long q1 = q[1];
        long q2 = q[2];
        if (roundUp && inexact && ++q0 == 0 && ++q1 == 0) {
            q2++;
        }
        result.setWords(0, q2, q1, q0);
    }

    /**
     * Knuth's algorithm D for a normalised divisor of four limbs {@code (d3:d2:d1:d0)} (top bit of {@code d3} set):
     * {@code ws.u[0..n)} ({@code n <= 8}) divided, the quotient (at most four limbs: the dividend's limbs from the
     * fifth up are below the divisor) into {@code ws.q[0..4)} and the remainder left in {@code ws.u[0..4)}. Each
     * quotient limb is estimated from the divisor's top limb, refined with the next one and corrected at most once.
     * Returns true when the remainder is not zero.
     */
    static boolean divideBy4Limbs(Workspace ws, int n, long d3, long d2, long d1, long d0) {
        long[] x = ws.u;
        long[] q = ws.q;
        q[0] = 0;
        q[1] = 0;
        q[2] = 0;
        q[3] = 0;
        while (n > 4 && x[n - 1] == 0) {
            n--;
        }
        // x[n] is zero from here (a leading zero limb, or beyond the top): one quotient limb per limb from the fifth
        x[n] = 0;
        for (int j = n - 4; j >= 0; j--) {
            long u4 = x[j + 4];
            long u3 = x[j + 3];
            if (u4 == 0 && Long.compareUnsigned(u3, d3) < 0) {
                continue; // (u4..u0) < d3 * 2^192 <= divisor: this quotient limb is 0
            }
            long qhat = estimate(u4, u3, x[j + 2], d3, d2);
            if (qhat != 0 && subtractMultiple(x, j, qhat, d3, d2, d1, d0)) {
                qhat--;
                addBack(x, j, d3, d2, d1, d0);
            }
            q[j] = qhat;
        }
        return (x[0] | x[1] | x[2] | x[3]) != 0;
    }

    /**
     * Knuth's estimate of {@code (u4:u3:u2) / (d3:d2)} for a normalised {@code d3} and {@code u4 <= d3}, from {@code (u4:u3) / d3} refined with {@code d2}: the true quotient limb or one more.
     */
    private static long estimate(long u4, long u3, long u2, long d3, long d2) {
        long qhat;
        long rhat;
        if (u4 == d3) {
            qhat = -1L;
            rhat = u3 + d3;
            if (Long.compareUnsigned(rhat, d3) < 0) {
                return qhat; // rhat >= 2^64: the refinement cannot apply
            }
        } else {
            qhat = Workspace.divide128by64(u4, u3, d3);
            rhat = u3 - qhat * d3;
        }
        while (true) {
            long ph = Math.unsignedMultiplyHigh(qhat, d2);
            long pl = qhat * d2;
            if (Long.compareUnsigned(ph, rhat) < 0 || ph == rhat && Long.compareUnsigned(pl, u2) <= 0) {
                return qhat;
            }
            qhat--;
            long next = rhat + d3;
            if (Long.compareUnsigned(next, rhat) < 0) {
                return qhat;
            }
            rhat = next;
        }
    }

    /** {@code x[j..j+4] -= qhat * (d3:d2:d1:d0)}; true when the result went negative. */
    private static boolean subtractMultiple(long[] x, int j, long qhat, long d3, long d2, long d1, long d0) {
        long lo = qhat * d0;
        long carry = Math.unsignedMultiplyHigh(qhat, d0);
        long t = x[j];
        long borrow = Long.compareUnsigned(t, lo) < 0 ? 1 : 0;
        x[j] = t - lo;
        lo = qhat * d1 + carry;
        carry = Math.unsignedMultiplyHigh(qhat, d1) + (Long.compareUnsigned(lo, carry) < 0 ? 1 : 0);
        t = x[j + 1];
        long r = t - lo - borrow;
        borrow = Long.compareUnsigned(t, lo) < 0 || t == lo && borrow == 1 ? 1 : 0;
        x[j + 1] = r;
        lo = qhat * d2 + carry;
        carry = Math.unsignedMultiplyHigh(qhat, d2) + (Long.compareUnsigned(lo, carry) < 0 ? 1 : 0);
        t = x[j + 2];
        r = t - lo - borrow;
        borrow = Long.compareUnsigned(t, lo) < 0 || t == lo && borrow == 1 ? 1 : 0;
        x[j + 2] = r;
        lo = qhat * d3 + carry;
        carry = Math.unsignedMultiplyHigh(qhat, d3) + (Long.compareUnsigned(lo, carry) < 0 ? 1 : 0);
        t = x[j + 3];
        r = t - lo - borrow;
        borrow = Long.compareUnsigned(t, lo) < 0 || t == lo && borrow == 1 ? 1 : 0;
        x[j + 3] = r;
        t = x[j + 4];
        r = t - carry - borrow;
        borrow = Long.compareUnsigned(t, carry) < 0 || t == carry && borrow == 1 ? 1 : 0;
        x[j + 4] = r;
        return borrow != 0;
    }

    /** {@code x[j..j+4] += (d3:d2:d1:d0)}, the final carry dropped (it cancels the subtraction's borrow). */
    private static void addBack(long[] x, int j, long d3, long d2, long d1, long d0) {
        long s = x[j] + d0;
        long c = Long.compareUnsigned(s, d0) < 0 ? 1 : 0;
        x[j] = s;
        s = x[j + 1] + d1 + c;
        c = Long.compareUnsigned(s, d1) < 0 || s == d1 && c == 1 ? 1 : 0;
        x[j + 1] = s;
        s = x[j + 2] + d2 + c;
        c = Long.compareUnsigned(s, d2) < 0 || s == d2 && c == 1 ? 1 : 0;
        x[j + 2] = s;
        s = x[j + 3] + d3 + c;
        c = Long.compareUnsigned(s, d3) < 0 || s == d3 && c == 1 ? 1 : 0;
        x[j + 3] = s;
        x[j + 4] += c;
    }

    /** {@code (a1:a0) * (b1:b0)} into {@code r[at..at+4)}; returns the product's length in limbs. */
    static int multiply2x2(long a1, long a0, long b1, long b0, long[] r, int at) {
        long r0 = a0 * b0;
        long c = Math.unsignedMultiplyHigh(a0, b0);
        long r1 = a0 * b1 + c;
        long r2 = Math.unsignedMultiplyHigh(a0, b1) + (Long.compareUnsigned(r1, c) < 0 ? 1 : 0);
        long t = a1 * b0;
        c = Math.unsignedMultiplyHigh(a1, b0);
        r1 += t;
        c += Long.compareUnsigned(r1, t) < 0 ? 1 : 0;
        t = a1 * b1 + c;
        long r3 = Math.unsignedMultiplyHigh(a1, b1) + (Long.compareUnsigned(t, c) < 0 ? 1 : 0);
        r2 += t;
        r3 += Long.compareUnsigned(r2, t) < 0 ? 1 : 0;
        r[at] = r0;
        r[at + 1] = r1;
        r[at + 2] = r2;
        r[at + 3] = r3;
        return r3 != 0 ? 4 : r2 != 0 ? 3 : r1 != 0 ? 2 : r0 != 0 ? 1 : 0;
    }

    /**
     * Token1 between two prices for {@code liquidity}: {@code L * |sqrtB - sqrtA| / 2^96}. The division by Q96 is a
     * shift; rounding up adds one when any of the 96 low bits is set, exactly as {@code mulDivRoundingUp(.., Q96)}
     * (v4-core adds {@code mulmod(..) > 0}). Cannot overflow: {@code (2^128 - 1) * (2^160 - 1) >> 96 < 2^192}.
     */
    public static void getAmount1Delta(Uint256 sqrtA, Uint256 sqrtB, Uint256 liquidity, boolean roundUp, Uint256 result) {
        Uint256 lower = sqrtA;
        Uint256 upper = sqrtB;
        if (sqrtA.compareTo(sqrtB) > 0) {
            lower = sqrtB;
            upper = sqrtA;
        }
        // |sqrtB - sqrtA|, three limbs for uint160 prices (the fourth is kept for wider inputs)
        long d0 = upper.w0 - lower.w0;
        long borrow = Long.compareUnsigned(upper.w0, lower.w0) < 0 ? 1 : 0;
        long d1 = upper.w1 - lower.w1 - borrow;
        borrow = Long.compareUnsigned(upper.w1, lower.w1) < 0 || upper.w1 == lower.w1 && borrow == 1 ? 1 : 0;
        long d2 = upper.w2 - lower.w2 - borrow;
        borrow = Long.compareUnsigned(upper.w2, lower.w2) < 0 || upper.w2 == lower.w2 && borrow == 1 ? 1 : 0;
        long d3 = upper.w3 - lower.w3 - borrow;
        long l0 = liquidity.w0;
        long l1 = liquidity.w1;
        if ((d3 | liquidity.w2 | liquidity.w3) != 0) {
            getAmount1DeltaWide(lower, upper, liquidity, roundUp, result);
            return;
        }
        // (l1:l0) * (d2:d1:d0) into five limbs u4..u0
        long u0 = l0 * d0;
        long c = Math.unsignedMultiplyHigh(l0, d0);
        long u1 = l0 * d1 + c;
        c = Math.unsignedMultiplyHigh(l0, d1) + (Long.compareUnsigned(u1, c) < 0 ? 1 : 0);
        long u2 = l0 * d2 + c;
        long u3 = Math.unsignedMultiplyHigh(l0, d2) + (Long.compareUnsigned(u2, c) < 0 ? 1 : 0);
        long u4 = 0;
        if (l1 != 0) {
            long t = l1 * d0;
            c = Math.unsignedMultiplyHigh(l1, d0);
            u1 += t;
            c += Long.compareUnsigned(u1, t) < 0 ? 1 : 0;
            t = l1 * d1 + c;
            long c2 = Math.unsignedMultiplyHigh(l1, d1) + (Long.compareUnsigned(t, c) < 0 ? 1 : 0);
            u2 += t;
            c2 += Long.compareUnsigned(u2, t) < 0 ? 1 : 0;
            t = l1 * d2 + c2;
            long c3 = Math.unsignedMultiplyHigh(l1, d2) + (Long.compareUnsigned(t, c2) < 0 ? 1 : 0);
            u3 += t;
            c3 += Long.compareUnsigned(u3, t) < 0 ? 1 : 0;
            u4 = c3;
        }
        long r0 = (u1 >>> 32) | (u2 << 32);
        long r1 = (u2 >>> 32) | (u3 << 32);
        long r2 = (u3 >>> 32) | (u4 << 32);
        long r3 = u4 >>> 32;
        if (roundUp && (u0 != 0 || (u1 & 0xffffffffL) != 0) && ++r0 == 0 && ++r1 == 0 && ++r2 == 0) {
            r3++;
        }
        result.setWords(r3, r2, r1, r0);
    }

    /** getAmount1Delta for operands wider than the library's types, through the general product. */
    private static void getAmount1DeltaWide(Uint256 lower, Uint256 upper, Uint256 liquidity, boolean roundUp, Uint256 result) {
        Workspace ws = result.workspace();
        long[] d = ws.b;
        d[0] = upper.w0 - lower.w0;
        long borrow = Long.compareUnsigned(upper.w0, lower.w0) < 0 ? 1 : 0;
        d[1] = upper.w1 - lower.w1 - borrow;
        borrow = Long.compareUnsigned(upper.w1, lower.w1) < 0 || upper.w1 == lower.w1 && borrow == 1 ? 1 : 0;
        d[2] = upper.w2 - lower.w2 - borrow;
        borrow = Long.compareUnsigned(upper.w2, lower.w2) < 0 || upper.w2 == lower.w2 && borrow == 1 ? 1 : 0;
        d[3] = upper.w3 - lower.w3 - borrow;
        int n = Workspace.multiply(ws.a, Workspace.load(ws.a, liquidity), d, Workspace.length(d, 4), ws.u);
        long[] u = ws.u;
        long u0 = n > 0 ? u[0] : 0;
        long u1 = n > 1 ? u[1] : 0;
        long u2 = n > 2 ? u[2] : 0;
        long u3 = n > 3 ? u[3] : 0;
        long u4 = n > 4 ? u[4] : 0;
        long u5 = n > 5 ? u[5] : 0;
        long r0 = (u1 >>> 32) | (u2 << 32);
        long r1 = (u2 >>> 32) | (u3 << 32);
        long r2 = (u3 >>> 32) | (u4 << 32);
        long r3 = (u4 >>> 32) | (u5 << 32);
        if (n > 6 || u5 >>> 32 != 0) {
            throw new MathRevert("FullMath.mulDiv: result overflows uint256");
        }
        if (roundUp && (u0 != 0 || (u1 & 0xffffffffL) != 0) && ++r0 == 0 && ++r1 == 0 && ++r2 == 0 && ++r3 == 0) {
            throw new MathRevert("FullMath.mulDivRoundingUp: result overflows uint256");
        }
        result.setWords(r3, r2, r1, r0);
    }

    /** {@code mulDiv} of two 256-bit values given as limbs by a third, leaving the quotient in {@code ws.q[0..4)}. */
    static void mulDivLimbs(Workspace ws, long x3, long x2, long x1, long x0, long y3, long y2, long y1, long y0,
                            long d3, long d2, long d1, long d0, boolean roundUp, String where) {
        long[] a = ws.a;
        a[0] = x0;
        a[1] = x1;
        a[2] = x2;
        a[3] = x3;
        long[] b = ws.b;
        b[0] = y0;
        b[1] = y1;
        b[2] = y2;
        b[3] = y3;
        int nu = Workspace.multiply(a, Workspace.length(a, 4), b, Workspace.length(b, 4), ws.u);
        long[] v = ws.v;
        v[0] = d0;
        v[1] = d1;
        v[2] = d2;
        v[3] = d3;
        FullMath.divideProduct(ws, nu, Workspace.length(v, 4), roundUp, where);
    }

    /**
     * {@code floor(x / y)} of two 256-bit values given as limbs, {@code y != 0}, leaving the quotient in
     * {@code ws.q[0..4)}; true when the remainder is not zero.
     */
    static boolean divideLimbs(Workspace ws, long x3, long x2, long x1, long x0, long y3, long y2, long y1, long y0) {
        long[] u = ws.u;
        u[0] = x0;
        u[1] = x1;
        u[2] = x2;
        u[3] = x3;
        long[] v = ws.v;
        v[0] = y0;
        v[1] = y1;
        v[2] = y2;
        v[3] = y3;
        int nu = Workspace.length(u, 4);
        int nv = Workspace.length(v, 4);
        boolean inexact = ws.divide(nu, nv);
        ws.clearQuotientAbove(Workspace.quotientLength(nu, nv));
        return inexact;
    }

    private static void requirePriceAndLiquidity(Uint256 sqrtPX96, Uint256 liquidity) {
        if (sqrtPX96.isZero() || liquidity.isZero()) {
            throw new MathRevert("SqrtPriceMath: invalid price or liquidity (InvalidPriceOrLiquidity) price=" + sqrtPX96
                    + " liquidity=" + liquidity);
        }
    }
}
