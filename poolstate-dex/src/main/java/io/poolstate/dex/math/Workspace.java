package io.poolstate.dex.math;

/**
 * Scratch limbs of one register for products and divisions of multi-limb unsigned numbers (little-endian
 * {@code long} arrays): schoolbook multiplication and Knuth's algorithm D (TAOCP vol. 2, 4.3.1), with each quotient
 * limb estimated by the 2-by-1 division with a precomputed reciprocal of Möller and Granlund ("Improved division by
 * invariant integers", IEEE Trans. Computers 2011, algorithm 4). Owned by the register that receives the result,
 * so by that register's thread.
 */
final class Workspace {
    /** Multiplication operands. */
    final long[] a = new long[4];
    final long[] b = new long[4];
    /** Dividend (normalised in place, one limb longer), then the remainder. */
    final long[] u = new long[10];
    /** Divisor (normalised in place). */
    final long[] v = new long[8];
    /** Quotient. */
    final long[] q = new long[9];

    /** The remainder of the last 2-by-1 division. */
    long remainder;
    private long reciprocalOf;
    private long reciprocal;

    /** Copies {@code x} into {@code to} and returns its length in limbs without leading zeros. */
    static int load(long[] to, Uint256 x) {
        to[0] = x.w0;
        to[1] = x.w1;
        to[2] = x.w2;
        to[3] = x.w3;
        return length(to, 4);
    }

    /** The length of {@code x[0..n)} without leading zero limbs. */
    static int length(long[] x, int n) {
        while (n > 0 && x[n - 1] == 0) {
            n--;
        }
        return n;
    }

    /** {@code r[0..nx+ny) = x[0..nx) * y[0..ny)}; returns the length of the product without leading zeros. */
    static int multiply(long[] x, int nx, long[] y, int ny, long[] r) {
        int n = nx + ny;
        for (int i = 0; i < n; i++) {
            r[i] = 0;
        }
        for (int i = 0; i < nx; i++) {
            long xi = x[i];
            if (xi == 0) {
                continue;
            }
            long carry = 0;
            for (int j = 0; j < ny; j++) {
                long lo = xi * y[j];
                long hi = Math.unsignedMultiplyHigh(xi, y[j]);
                lo += carry;
                if (Long.compareUnsigned(lo, carry) < 0) {
                    hi++;
                }
                long t = r[i + j] + lo;
                if (Long.compareUnsigned(t, lo) < 0) {
                    hi++;
                }
                r[i + j] = t;
                carry = hi;
            }
            r[i + ny] = carry;
        }
        return length(r, n);
    }

    /**
     * Divides {@code u[0..nu)} by {@code v[0..nv)} ({@code nv >= 1}, {@code v[nv-1] != 0}): the quotient goes to
     * {@code q[0..nu-nv]} (nothing when {@code nu < nv}, the quotient being 0) and {@code u}, {@code v} are
     * overwritten. Returns true when the remainder is not zero.
     */
    boolean divide(int nu, int nv) {
        if (nu < nv) {
            return nu > 0;
        }
        if (nv == 1) {
            return divideBy1(nu);
        }
        return divideKnuth(nu, nv);
    }

    /** Zeroes the quotient limbs from {@code n} up to limb 3, so that {@code q[0..4)} holds a short quotient. */
    void clearQuotientAbove(int n) {
        for (int i = n; i < 4; i++) {
            q[i] = 0;
        }
    }

    /** {@code q[0..4) += 1}, reverting when the 256-bit quotient overflows (checked uint256 arithmetic). */
    void incrementQuotient(String where) {
        if (++q[0] == 0 && ++q[1] == 0 && ++q[2] == 0 && ++q[3] == 0) {
            throw new MathRevert(where + ": result overflows uint256");
        }
    }

    /** A quotient limb count: {@code nu - nv + 1}, or 0 when the dividend is shorter than the divisor. */
    static int quotientLength(int nu, int nv) {
        return nu < nv ? 0 : nu - nv + 1;
    }

    private boolean divideBy1(int nu) {
        long d = v[0];
        if (nu == 1) {
            long x = u[0];
            q[0] = Long.divideUnsigned(x, d);
            return x - q[0] * d != 0;
        }
        int s = Long.numberOfLeadingZeros(d);
        d <<= s;
        long inv = reciprocalOf(d);
        long r = s == 0 ? 0 : u[nu - 1] >>> (64 - s);
        for (int i = nu - 1; i >= 0; i--) {
            long limb = s == 0 ? u[i] : (u[i] << s) | (i > 0 ? u[i - 1] >>> (64 - s) : 0);
            q[i] = divide2by1(r, limb, d, inv);
            r = remainder;
        }
        return r != 0;
    }

    private boolean divideKnuth(int nu, int nv) {
        int s = Long.numberOfLeadingZeros(v[nv - 1]);
        if (s != 0) {
            for (int i = nv - 1; i > 0; i--) {
                v[i] = (v[i] << s) | (v[i - 1] >>> (64 - s));
            }
            v[0] <<= s;
            u[nu] = u[nu - 1] >>> (64 - s);
            for (int i = nu - 1; i > 0; i--) {
                u[i] = (u[i] << s) | (u[i - 1] >>> (64 - s));
            }
            u[0] <<= s;
        } else {
            u[nu] = 0;
        }
        long dh = v[nv - 1];
        long dl = v[nv - 2];
        // one quotient limb: a plain 128/64 division is cheaper than a reciprocal used once
        long inv = nu == nv ? 0 : reciprocalOf(dh);
        for (int j = nu - nv; j >= 0; j--) {
            long u2 = u[j + nv];
            long u1 = u[j + nv - 1];
            long u0 = u[j + nv - 2];
            long qhat;
            long rhat;
            boolean rhatOverflow;
            if (u2 == dh) {
                qhat = -1L;
                rhat = u1 + dh;
                rhatOverflow = Long.compareUnsigned(rhat, dh) < 0;
            } else if (nu == nv) {
                qhat = divide128by64(u2, u1, dh);
                rhat = u1 - qhat * dh;
                rhatOverflow = false;
            } else {
                qhat = divide2by1(u2, u1, dh, inv);
                rhat = remainder;
                rhatOverflow = false;
            }
            while (!rhatOverflow) {
                long ph = Math.unsignedMultiplyHigh(qhat, dl);
                long pl = qhat * dl;
                if (Long.compareUnsigned(ph, rhat) < 0 || ph == rhat && Long.compareUnsigned(pl, u0) <= 0) {
                    break;
                }
                qhat--;
                long next = rhat + dh;
                rhatOverflow = Long.compareUnsigned(next, rhat) < 0;
                rhat = next;
            }
            if (subtractMultiple(j, nv, qhat)) {
                qhat--;
                addBack(j, nv);
            }
            q[j] = qhat;
        }
        for (int i = 0; i < nv; i++) {
            if (u[i] != 0) {
                return true;
            }
        }
        return false;
    }

    /** {@code u[j..j+nv] -= qhat * v[0..nv)}; true when the result went negative. */
    private boolean subtractMultiple(int j, int nv, long qhat) {
        long carry = 0;
        long borrow = 0;
        for (int i = 0; i < nv; i++) {
            long lo = qhat * v[i];
            long hi = Math.unsignedMultiplyHigh(qhat, v[i]);
            lo += carry;
            if (Long.compareUnsigned(lo, carry) < 0) {
                hi++;
            }
            carry = hi;
            long x = u[j + i];
            long t = x - lo;
            long b1 = Long.compareUnsigned(x, lo) < 0 ? 1 : 0;
            long t2 = t - borrow;
            long b2 = Long.compareUnsigned(t, borrow) < 0 ? 1 : 0;
            u[j + i] = t2;
            borrow = b1 + b2;
        }
        long top = u[j + nv];
        long t = top - carry;
        long b1 = Long.compareUnsigned(top, carry) < 0 ? 1 : 0;
        long t2 = t - borrow;
        long b2 = Long.compareUnsigned(t, borrow) < 0 ? 1 : 0;
        u[j + nv] = t2;
        return b1 + b2 != 0;
    }

    /** {@code u[j..j+nv] += v[0..nv)}, dropping the final carry (it cancels the borrow of the subtraction). */
    private void addBack(int j, int nv) {
        long c = 0;
        for (int i = 0; i < nv; i++) {
            long s1 = u[j + i] + v[i];
            long c1 = Long.compareUnsigned(s1, v[i]) < 0 ? 1 : 0;
            long s2 = s1 + c;
            long c2 = Long.compareUnsigned(s2, c) < 0 ? 1 : 0;
            u[j + i] = s2;
            c = c1 + c2;
        }
        u[j + nv] += c;
    }

    /**
     * {@code (r:x) / d} for {@code r < d}, where {@code dn = d << s} is the normalised divisor and {@code inv} its
     * reciprocal; the remainder (not shifted) is left in {@link #remainder}.
     */
    long divideShifted(long r, long x, long dn, long inv, int s) {
        long hi = s == 0 ? r : (r << s) | (x >>> (64 - s));
        long q = divide2by1(hi, x << s, dn, inv);
        remainder >>>= s;
        return q;
    }

    long reciprocalOf(long d) {
        if (d != reciprocalOf || reciprocal == 0) {
            reciprocal = reciprocal(d);
            reciprocalOf = d;
        }
        return reciprocal;
    }

    /** {@code floor((2^128 - 1) / d) - 2^64} for a normalised {@code d} (top bit set). */
    static long reciprocal(long d) {
        return divide128by64(~d, -1L, d);
    }

    /**
     * {@code (u1:u0) / d} for a normalised {@code d} and {@code u1 < d}, given {@code inv = reciprocal(d)};
     * the remainder is left in {@link #remainder}. Möller and Granlund, algorithm 4.
     */
    private long divide2by1(long u1, long u0, long d, long inv) {
        long ql = inv * u1;
        long qh = Math.unsignedMultiplyHigh(inv, u1);
        long sum = ql + u0;
        long c = Long.compareUnsigned(sum, ql) < 0 ? 1 : 0;
        ql = sum;
        qh = qh + u1 + c + 1;
        long r = u0 - qh * d;
        if (Long.compareUnsigned(r, ql) > 0) {
            qh--;
            r += d;
        }
        if (Long.compareUnsigned(r, d) >= 0) {
            qh++;
            r -= d;
        }
        remainder = r;
        return qh;
    }

    private static final long B32 = 1L << 32;
    private static final long MASK32 = B32 - 1;

    /**
     * {@code (u1:u0) / d} for a normalised {@code d} and {@code u1 < d}, by two 64/32-bit steps (Warren, Hacker's
     * Delight, 2nd ed., figure 9-3).
     */
    static long divide128by64(long u1, long u0, long d) {
        long vn1 = d >>> 32;
        long vn0 = d & MASK32;
        long un1 = u0 >>> 32;
        long un0 = u0 & MASK32;
        long q1 = Long.divideUnsigned(u1, vn1);
        long rhat = u1 - q1 * vn1;
        while (Long.compareUnsigned(q1, B32) >= 0 || Long.compareUnsigned(q1 * vn0, (rhat << 32) | un1) > 0) {
            q1--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, B32) >= 0) {
                break;
            }
        }
        long un21 = (u1 << 32) + un1 - q1 * d;
        long q0 = Long.divideUnsigned(un21, vn1);
        rhat = un21 - q0 * vn1;
        while (Long.compareUnsigned(q0, B32) >= 0 || Long.compareUnsigned(q0 * vn0, (rhat << 32) | un0) > 0) {
            q0--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, B32) >= 0) {
                break;
            }
        }
        return (q1 << 32) | q0;
    }
}
