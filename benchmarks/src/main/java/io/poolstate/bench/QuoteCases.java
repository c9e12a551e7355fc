package io.poolstate.bench;

import io.poolstate.dex.quote.ConcentratedSwap;
import io.poolstate.dex.state.PoolSnapshot;
import java.math.BigInteger;

/**
 * The quote benchmark's pools and requests, shared by the JMH benchmark, the fixture of the SDK comparison and its
 * checks: a ladder pool ({@link Fixtures#ladder}, an initialised tick every 60 ticks) and one-for-zero swaps sized by
 * bisection so that they cross exactly {@code ticks} initialised ticks.
 */
final class QuoteCases {
    static final int LADDER = 200;

    private QuoteCases() {
    }

    /** The V3 or V4 ladder pool, as a snapshot (what the arena's API quotes on). */
    static PoolSnapshot.Concentrated pool(String protocol) {
        return Fixtures.ladder(protocol.equals("v4") ? Fixtures.v4(1) : Fixtures.v3(1), LADDER).snapshot();
    }

    /** The largest amount (paid in, or received) whose one-for-zero swap crosses exactly {@code ticks} initialised ticks. */
    static BigInteger amount(PoolSnapshot.Concentrated pool, boolean exactInput, int ticks) {
        BigInteger lo = BigInteger.ONE;
        BigInteger hi = BigInteger.TEN.pow(40);
        while (lo.compareTo(hi) < 0) {
            BigInteger mid = lo.add(hi).add(BigInteger.ONE).shiftRight(1);
            if (crossed(pool, exactInput, mid) <= ticks) {
                lo = mid;
            } else {
                hi = mid.subtract(BigInteger.ONE);
            }
        }
        if (crossed(pool, exactInput, lo) != ticks) {
            throw new IllegalStateException("could not size a swap crossing " + ticks + " ticks");
        }
        return lo;
    }

    private static int crossed(PoolSnapshot.Concentrated pool, boolean exactInput, BigInteger amount) {
        try {
            return ConcentratedSwap.quote(pool, false, exactInput, amount, null).ticksCrossed();
        } catch (ArithmeticException e) {
            return Integer.MAX_VALUE;
        }
    }
}
