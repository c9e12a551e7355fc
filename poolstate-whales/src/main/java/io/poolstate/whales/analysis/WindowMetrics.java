package io.poolstate.whales.analysis;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The group's accumulation over one window, in the asset's base units.
 *
 * @param window the window
 * @param baselineSnapshotId the snapshot compared against
 * @param spanSeconds seconds between the baseline's block and this snapshot's block (shorter than the window
 *     while history is younger than the window)
 * @param groupHoldings the current top-N list's total holdings
 * @param baselineHoldings the baseline top-N list's total holdings
 * @param netChange {@code groupHoldings - baselineHoldings} (includes the effect of entries and exits)
 * @param commonNetChange the net change of the addresses on both lists
 * @param accumulating addresses on both lists whose balance grew
 * @param distributing addresses on both lists whose balance shrank
 * @param unchanged addresses on both lists with the same balance
 * @param entries addresses on the current list only
 * @param exits addresses on the baseline list only
 * @param score see {@link AccumulationAnalyzer}: -100 (all distributing) .. +100 (all accumulating)
 */
public record WindowMetrics(Window window, long baselineSnapshotId, long spanSeconds, BigInteger groupHoldings, BigInteger baselineHoldings,
                            BigInteger netChange, BigInteger commonNetChange, int accumulating, int distributing, int unchanged,
                            int entries, int exits, BigDecimal score) {
}
