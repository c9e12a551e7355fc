package io.poolstate.whales.analysis;

import io.poolstate.eth.Address;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Map;

/**
 * Compares the top-N list of one snapshot with a baseline snapshot and scores the group's behaviour.
 *
 * <p>The score, from -100 to +100, is the mean of two parts, each in [-1, 1]:
 * <ul>
 *   <li><b>breadth</b> = (accumulating - distributing) / common, where common is the number of addresses on both
 *       lists: how many whales buy versus sell;</li>
 *   <li><b>depth</b> = clamp(10 x commonNetChange / commonBaselineHoldings, -1, 1): how much the common whales'
 *       holdings moved, a 10% move saturating.</li>
 * </ul>
 * score = 50 x breadth + 50 x depth, rounded half-even to two decimals. With no common address, or none holding
 * anything at the baseline, the missing part is 0. Entries and exits do not enter the score (they are
 * membership, not behaviour) but are reported, and netChange includes them.
 * Pure functions; thread-safe.
 */
public final class AccumulationAnalyzer {
    private static final BigDecimal TEN = BigDecimal.TEN;

    private AccumulationAnalyzer() {
    }

    /**
     * @param current address → asset balance of the snapshot's list
     * @param baseline address → asset balance of the baseline's list
     */
    public static WindowMetrics analyze(Window window, long baselineSnapshotId, long spanSeconds,
                                        Map<Address, BigInteger> current, Map<Address, BigInteger> baseline) {
        BigInteger group = sum(current);
        BigInteger base = sum(baseline);
        int acc = 0;
        int dist = 0;
        int same = 0;
        BigInteger commonNow = BigInteger.ZERO;
        BigInteger commonBase = BigInteger.ZERO;
        for (var e : current.entrySet()) {
            BigInteger before = baseline.get(e.getKey());
            if (before == null) {
                continue;
            }
            int c = e.getValue().compareTo(before);
            if (c > 0) {
                acc++;
            } else if (c < 0) {
                dist++;
            } else {
                same++;
            }
            commonNow = commonNow.add(e.getValue());
            commonBase = commonBase.add(before);
        }
        int common = acc + dist + same;
        int entries = current.size() - common;
        int exits = baseline.size() - common;
        BigInteger commonNet = commonNow.subtract(commonBase);
        return new WindowMetrics(window, baselineSnapshotId, spanSeconds, group, base, group.subtract(base), commonNet, acc, dist, same,
                entries, exits, score(acc, dist, common, commonNet, commonBase));
    }

    /** The documented score (see the class comment). */
    public static BigDecimal score(int accumulating, int distributing, int common, BigInteger commonNetChange, BigInteger commonBaselineHoldings) {
        MathContext mc = MathContext.DECIMAL128;
        BigDecimal breadth = common == 0 ? BigDecimal.ZERO
                : BigDecimal.valueOf(accumulating - distributing).divide(BigDecimal.valueOf(common), mc);
        BigDecimal depth = BigDecimal.ZERO;
        if (commonBaselineHoldings.signum() > 0) {
            depth = TEN.multiply(new BigDecimal(commonNetChange)).divide(new BigDecimal(commonBaselineHoldings), mc);
            depth = depth.max(BigDecimal.ONE.negate()).min(BigDecimal.ONE);
        }
        return BigDecimal.valueOf(50).multiply(breadth.add(depth)).setScale(2, RoundingMode.HALF_EVEN);
    }

    private static BigInteger sum(Map<Address, BigInteger> m) {
        BigInteger s = BigInteger.ZERO;
        for (BigInteger v : m.values()) {
            s = s.add(v);
        }
        return s;
    }
}
