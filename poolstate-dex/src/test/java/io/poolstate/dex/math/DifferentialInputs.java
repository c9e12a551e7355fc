package io.poolstate.dex.math;

import io.poolstate.dex.oracle.BigTickMath;
import java.math.BigInteger;
import java.util.SplittableRandom;

/**
 * Seeded random inputs for the differential tests, weighted to the edges: about a third of the values come from
 * the widths' boundaries (0, 1, 2^96, 2^128 - 1, 2^160 - 1, 2^256 - 1 and their neighbours, MIN/MAX tick and sqrt
 * price, prices of ticks and their neighbours), the rest have a uniformly chosen bit length, so small and large
 * magnitudes are equally common. Rounding boundaries come from the tests (divisors of the product, remainders of
 * one).
 */
final class DifferentialInputs {
    /** Inputs per function in the normal test run; {@code -Dpoolstate.differential.count=10000000} for the full run. */
    static final int COUNT = Integer.getInteger("poolstate.differential.count", 100_000);
    static final BigInteger ONE = BigInteger.ONE;
    static final BigInteger MAX_UINT256 = ONE.shiftLeft(256).subtract(ONE);
    static final BigInteger MAX_UINT160 = ONE.shiftLeft(160).subtract(ONE);
    static final BigInteger MAX_UINT128 = ONE.shiftLeft(128).subtract(ONE);
    static final BigInteger Q96 = ONE.shiftLeft(96);
    private static final BigInteger[] EDGES_256 = edges(256);
    private static final BigInteger[] EDGES_160 = edges(160);
    private static final BigInteger[] EDGES_128 = edges(128);

    final long seed;
    final SplittableRandom r;

    DifferentialInputs(String test) {
        String fixed = System.getProperty("poolstate.seed");
        seed = fixed != null ? Long.parseLong(fixed) : new SplittableRandom().nextLong();
        r = new SplittableRandom(seed);
        System.out.println(test + ": " + COUNT + " inputs, seed=" + seed + " (rerun with -Dpoolstate.seed=" + seed + ")");
    }

    private static BigInteger[] edges(int bits) {
        BigInteger[] base = {BigInteger.ZERO, ONE, BigInteger.TWO, BigInteger.valueOf(3), Q96, Q96.subtract(ONE), Q96.add(ONE),
            ONE.shiftLeft(64).subtract(ONE), ONE.shiftLeft(64), ONE.shiftLeft(128).subtract(ONE), ONE.shiftLeft(128),
            ONE.shiftLeft(160).subtract(ONE), ONE.shiftLeft(160), ONE.shiftLeft(192), ONE.shiftLeft(255), MAX_UINT256,
            MAX_UINT256.subtract(ONE), BigTickMath.MIN_SQRT_RATIO, BigTickMath.MAX_SQRT_RATIO, BigTickMath.MAX_SQRT_RATIO.subtract(ONE),
            BigInteger.valueOf(1_000_000), BigInteger.valueOf(997)};
        return java.util.Arrays.stream(base).filter(v -> v.bitLength() <= bits).toArray(BigInteger[]::new);
    }

    /** A value of at most {@code bits} bits. */
    BigInteger uint(int bits) {
        BigInteger[] edges = bits >= 256 ? EDGES_256 : bits >= 160 ? EDGES_160 : bits >= 128 ? EDGES_128 : null;
        int pick = r.nextInt(8);
        if (pick < 2 && edges != null) {
            BigInteger e = edges[r.nextInt(edges.length)];
            return pick == 0 ? e : clamp(e.add(BigInteger.valueOf(r.nextInt(5) - 2)), bits);
        }
        if (pick == 2) {
            // all ones or a single bit at a random position
            int n = r.nextInt(1, bits + 1);
            return r.nextBoolean() ? ONE.shiftLeft(n).subtract(ONE) : ONE.shiftLeft(n - 1);
        }
        return random(r.nextInt(0, bits + 1));
    }

    /** A uniformly random value of exactly {@code bits} bits (0 for 0). */
    BigInteger random(int bits) {
        if (bits == 0) {
            return BigInteger.ZERO;
        }
        BigInteger v = ONE;
        int left = bits - 1;
        while (left > 0) {
            int n = Math.min(63, left);
            v = v.shiftLeft(n).or(BigInteger.valueOf(r.nextLong() >>> (64 - n)));
            left -= n;
        }
        return v;
    }

    /** A non-zero value of at most {@code bits} bits. */
    BigInteger positive(int bits) {
        BigInteger v = uint(bits);
        return v.signum() == 0 ? ONE : v;
    }

    private static BigInteger clamp(BigInteger v, int bits) {
        if (v.signum() < 0) {
            return BigInteger.ZERO;
        }
        return v.bitLength() > bits ? ONE.shiftLeft(bits).subtract(ONE) : v;
    }

    /** A tick, mostly valid, sometimes one beyond the range; MIN/MAX and 0 weighted. */
    int tick() {
        return switch (r.nextInt(10)) {
            case 0 -> TickMath.MIN_TICK + r.nextInt(3);
            case 1 -> TickMath.MAX_TICK - r.nextInt(3);
            case 2 -> r.nextInt(-3, 4);
            case 3 -> r.nextBoolean() ? TickMath.MAX_TICK + 1 : TickMath.MIN_TICK - 1;
            default -> r.nextInt(TickMath.MIN_TICK, TickMath.MAX_TICK + 1);
        };
    }

    /**
     * A sqrt price, mostly within [MIN_SQRT_RATIO, MAX_SQRT_RATIO): edges, prices of ticks and their neighbours
     * (the boundaries of getTickAtSqrtRatio), uniformly random bit lengths; sometimes just outside.
     */
    BigInteger sqrtPrice() {
        return switch (r.nextInt(8)) {
            case 0 -> BigTickMath.MIN_SQRT_RATIO.add(BigInteger.valueOf(r.nextInt(-1, 3)));
            case 1 -> BigTickMath.MAX_SQRT_RATIO.subtract(BigInteger.valueOf(r.nextInt(-1, 3)));
            case 2, 3 -> {
                int t = r.nextInt(TickMath.MIN_TICK, TickMath.MAX_TICK + 1);
                yield BigTickMath.computeSqrtRatioAtTick(t).add(BigInteger.valueOf(r.nextInt(-1, 2)));
            }
            case 4 -> Q96.add(BigInteger.valueOf(r.nextInt(-2, 3)));
            default -> {
                BigInteger v = random(r.nextInt(33, 161));
                yield v.max(BigTickMath.MIN_SQRT_RATIO).min(BigTickMath.MAX_SQRT_RATIO);
            }
        };
    }

    /** A price within the valid range (MIN_SQRT_RATIO .. MAX_SQRT_RATIO inclusive). */
    BigInteger validSqrtPrice() {
        BigInteger p = sqrtPrice();
        return p.max(BigTickMath.MIN_SQRT_RATIO).min(BigTickMath.MAX_SQRT_RATIO);
    }

    /** Liquidity (uint128), with small values and 0 weighted. */
    BigInteger liquidity() {
        return uint(128);
    }

    /** An amount: mostly up to 128 bits (token amounts), sometimes up to 256. */
    BigInteger amount() {
        return r.nextInt(4) == 0 ? uint(256) : uint(r.nextInt(1, 129));
    }

    /** A fee in pips: common tiers, the extremes and random values in [0, 1e6). */
    int fee() {
        return switch (r.nextInt(6)) {
            case 0 -> new int[] {100, 500, 3000, 10000}[r.nextInt(4)];
            case 1 -> r.nextBoolean() ? 0 : 999_999;
            default -> r.nextInt(0, 1_000_000);
        };
    }

    String describe(Object... values) {
        StringBuilder sb = new StringBuilder("seed=" + seed);
        for (Object v : values) {
            sb.append(' ').append(v);
        }
        return sb.toString();
    }
}
