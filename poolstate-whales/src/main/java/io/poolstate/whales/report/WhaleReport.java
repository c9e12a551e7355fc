package io.poolstate.whales.report;

import io.poolstate.whales.analysis.WindowMetrics;
import io.poolstate.whales.store.StoredSnapshot;
import io.poolstate.whales.store.WhaleStore;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.List;

/**
 * The collective analysis as text: the latest complete snapshot, its metrics per window (amounts in whole
 * asset units, {@code decimals} given), entries/exits, and the recent snapshots with their status.
 */
public final class WhaleReport {
    private final WhaleStore store;
    private final int decimals;

    public WhaleReport(WhaleStore store, int decimals) {
        this.store = store;
        this.decimals = decimals;
    }

    /** Prints the report; returns false when there is no complete snapshot yet. */
    public boolean print(PrintStream out, int recent) throws SQLException {
        var latest = store.latestComplete();
        if (latest.isEmpty()) {
            out.println("no complete whale snapshot yet for asset " + store.asset());
            printRecent(out, recent);
            return false;
        }
        StoredSnapshot s = latest.get();
        out.printf("whales  asset=%s  snapshot=%d  slot=%s  block=%d  block_time=%s  addresses=%d  rpc_calls=%d  rpc_requests=%d  took=%dms%n",
                store.asset(), s.id(), s.slotStart(), s.blockNumber(), s.blockTime(), s.addressCount(), s.rpcCalls(), s.rpcRequests(), s.durationMillis());
        List<WindowMetrics> metrics = store.metrics(s.id());
        if (metrics.isEmpty()) {
            out.println("  (no complete snapshot of an earlier slot to compare with yet)");
        } else {
            out.printf("  %-6s %-9s %-8s %22s %22s %22s %5s %5s %5s %5s %5s %8s%n", "window", "baseline", "span", "holdings", "net change",
                    "common net change", "acc", "dist", "same", "in", "out", "score");
            for (WindowMetrics m : metrics) {
                out.printf("  %-6s %-9d %-8s %22s %22s %22s %5d %5d %5d %5d %5d %8s%n", m.window().name(), m.baselineSnapshotId(), span(m.spanSeconds()),
                        units(m.groupHoldings()), units(m.netChange()), units(m.commonNetChange()), m.accumulating(), m.distributing(), m.unchanged(),
                        m.entries(), m.exits(), m.score().toPlainString());
            }
        }
        var changes = store.listChanges(s.id());
        long in = changes.stream().filter(c -> c.change().equals("enter")).count();
        out.printf("  list changes since the previous snapshot: entries=%d exits=%d%n", in, changes.size() - in);
        printRecent(out, recent);
        return true;
    }

    private void printRecent(PrintStream out, int recent) throws SQLException {
        for (StoredSnapshot r : store.snapshots(recent)) {
            out.printf("  snapshot %-6d %-10s slot=%s block=%s addresses=%d%s%n", r.id(), r.status(), r.slotStart(), r.blockNumber(), r.addressCount(),
                    r.reason() == null ? "" : " reason=" + r.reason());
        }
    }

    /** {@code v} base units as whole units with up to 4 decimals, e.g. {@code 1234.5678}. */
    public String units(BigInteger v) {
        return new BigDecimal(v).movePointLeft(decimals).setScale(4, java.math.RoundingMode.DOWN).toPlainString();
    }

    private static String span(long seconds) {
        if (seconds % 86_400 == 0 && seconds > 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0 && seconds > 0) {
            return seconds / 3600 + "h";
        }
        return seconds >= 60 ? seconds / 60 + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s") : seconds + "s";
    }
}
