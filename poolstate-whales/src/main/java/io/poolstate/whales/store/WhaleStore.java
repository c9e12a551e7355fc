package io.poolstate.whales.store;

import io.poolstate.eth.Address;
import io.poolstate.postgres.Database;
import io.poolstate.whales.analysis.Window;
import io.poolstate.whales.analysis.WindowMetrics;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The whale tables of one asset ({@code db/whales}): the Transfer-history index, snapshots with balances, list
 * entries/exits and metrics, and the cross-process snapshot lock (a Postgres advisory lock). Amounts are base
 * units. Each write is one transaction. Thread-safe (one connection per call).
 */
public final class WhaleStore {
    /** The whale tables' migrations. */
    public static final Database.Migrations MIGRATIONS = new Database.Migrations("classpath:db/whales", "whales_schema_history", "poolstate-whales");

    /** One holder's indexed balance. */
    public record Holder(Address address, BigInteger balance) {
    }

    /** The index position: every Transfer up to and including {@code block} (whose hash is {@code hash}) applied. */
    public record Progress(long block, String hash) {
    }

    /** One address of a snapshot's list. */
    public record Balance(Address address, int rank, BigInteger asset, BigInteger eth) {
    }

    /** An entry to or exit from the top N. */
    public record ListChange(Address address, String change, Integer rank) {
    }

    /** Work run under the snapshot lock. */
    @FunctionalInterface
    public interface LockedWork {
        void run() throws Exception;
    }

    private final DataSource ds;
    private final String asset;

    public WhaleStore(DataSource ds, String asset) {
        this.ds = ds;
        this.asset = asset;
    }

    public String asset() {
        return asset;
    }

    // ---- Transfer-history index ----

    public Optional<Progress> progress() throws SQLException {
        return query("SELECT last_block, last_hash FROM whale_index_progress WHERE asset = ?", s -> s.setString(1, asset),
                r -> new Progress(r.getLong(1), r.getString(2))).stream().findFirst();
    }

    /** Adds {@code deltas} to the holders' balances and moves the index to {@code to}, in one transaction. */
    public void applyTransfers(Map<Address, BigInteger> deltas, Progress to) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO whale_holders (asset, address, balance) VALUES (?, ?, ?) "
                        + "ON CONFLICT (asset, address) DO UPDATE SET balance = whale_holders.balance + EXCLUDED.balance")) {
                    for (var e : deltas.entrySet()) {
                        if (e.getValue().signum() == 0) {
                            continue;
                        }
                        s.setString(1, asset);
                        s.setString(2, e.getKey().toString());
                        s.setBigDecimal(3, new BigDecimal(e.getValue()));
                        s.addBatch();
                    }
                    s.executeBatch();
                }
                try (PreparedStatement s = c.prepareStatement("DELETE FROM whale_holders WHERE asset = ? AND balance = 0")) {
                    s.setString(1, asset);
                    s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement("INSERT INTO whale_index_progress (asset, last_block, last_hash) VALUES (?, ?, ?) "
                        + "ON CONFLICT (asset) DO UPDATE SET last_block = EXCLUDED.last_block, last_hash = EXCLUDED.last_hash, updated_at = now()")) {
                    s.setString(1, asset);
                    s.setLong(2, to.block());
                    s.setString(3, to.hash());
                    s.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                Database.rollback(c, e);
                throw e;
            }
        }
    }

    /** Forgets the index (after a reorg below its position); the next run re-reads the history. */
    public void resetIndex() throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (String sql : List.of("DELETE FROM whale_holders WHERE asset = ?", "DELETE FROM whale_index_progress WHERE asset = ?")) {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setString(1, asset);
                    s.executeUpdate();
                }
            }
            c.commit();
        }
    }

    /** Holders by balance, largest first, ties by address; {@code limit} rows from {@code offset}. */
    public List<Holder> topHolders(int limit, int offset) throws SQLException {
        return query("SELECT address, balance FROM whale_holders WHERE asset = ? AND balance > 0 ORDER BY balance DESC, address LIMIT ? OFFSET ?", s -> {
            s.setString(1, asset);
            s.setInt(2, limit);
            s.setInt(3, offset);
        }, r -> new Holder(Address.of(r.getString(1)), big(r, "balance")));
    }

    // ---- snapshots ----

    /**
     * Runs {@code work} holding this asset's snapshot lock on one connection; returns false, without running it,
     * when another process or thread holds it.
     */
    public boolean withSnapshotLock(LockedWork work) throws Exception {
        return new io.poolstate.postgres.AdvisoryLock(ds, "poolstate-whales:" + asset).tryRun(work::run);
    }

    /** The complete snapshot of {@code slot}, if one was taken. */
    public Optional<StoredSnapshot> completeInSlot(Instant slot) throws SQLException {
        return one("SELECT * FROM whale_snapshots WHERE asset = ? AND slot_start = ? AND status = 'complete'", slot);
    }

    /** The newest complete snapshot (by slot). */
    public Optional<StoredSnapshot> latestComplete() throws SQLException {
        return one("SELECT * FROM whale_snapshots WHERE asset = ? AND status = 'complete' ORDER BY slot_start DESC, id DESC LIMIT 1", null);
    }

    /**
     * The baseline for a window ending at the slot starting {@code slot}: the newest complete snapshot whose slot starts
     * at or before {@code slot - window}, else (history shorter than the window) the oldest complete one of an earlier
     * slot. Slots are the one clock (UTC wall clock, aligned to the interval), so an hourly tracker's 1h window is
     * always the previous slot, whatever the block times.
     */
    public Optional<StoredSnapshot> baseline(Instant slot, Duration window) throws SQLException {
        Optional<StoredSnapshot> s = one("SELECT * FROM whale_snapshots WHERE asset = ? AND status = 'complete' AND slot_start <= ? "
                + "ORDER BY slot_start DESC, id DESC LIMIT 1", slot.minus(window));
        return s.isPresent() ? s : one("SELECT * FROM whale_snapshots WHERE asset = ? AND status = 'complete' AND slot_start < ? "
                + "ORDER BY slot_start, id LIMIT 1", slot);
    }

    /** The newest snapshots, complete or not, newest first. */
    public List<StoredSnapshot> snapshots(int limit) throws SQLException {
        return query("SELECT * FROM whale_snapshots WHERE asset = ? ORDER BY taken_at DESC, id DESC LIMIT ?", s -> {
            s.setString(1, asset);
            s.setInt(2, limit);
        }, WhaleStore::row);
    }

    /** A snapshot's list with balances, by rank. */
    public List<Balance> balances(long snapshotId) throws SQLException {
        return query("SELECT address, rank, asset_balance, eth_balance FROM whale_balances WHERE snapshot_id = ? ORDER BY rank", s -> s.setLong(1, snapshotId),
                r -> new Balance(Address.of(r.getString(1)), r.getInt(2), big(r, "asset_balance"), big(r, "eth_balance")));
    }

    /** A snapshot's list as address → asset balance. */
    public Map<Address, BigInteger> assetBalances(long snapshotId) throws SQLException {
        Map<Address, BigInteger> out = new LinkedHashMap<>();
        for (Balance b : balances(snapshotId)) {
            out.put(b.address(), b.asset());
        }
        return out;
    }

    /** A snapshot's entries and exits. */
    public List<ListChange> listChanges(long snapshotId) throws SQLException {
        return query("SELECT address, change, rank FROM whale_list_changes WHERE snapshot_id = ? ORDER BY change, address", s -> s.setLong(1, snapshotId),
                r -> new ListChange(Address.of(r.getString(1)), r.getString(2), (Integer) r.getObject(3)));
    }

    /** A snapshot's metrics, in window order as stored. */
    public List<WindowMetrics> metrics(long snapshotId) throws SQLException {
        return query("SELECT * FROM whale_metrics WHERE snapshot_id = ? ORDER BY window_seconds", s -> s.setLong(1, snapshotId), WhaleStore::metricsRow);
    }

    /** One window's score over the newest {@code limit} complete snapshots, oldest first: slot start → score. */
    public List<Map.Entry<Instant, BigDecimal>> scoreHistory(String window, int limit) throws SQLException {
        List<Map.Entry<Instant, BigDecimal>> newestFirst = query("SELECT t.slot_start, m.score FROM whale_metrics m JOIN whale_snapshots t ON t.id = m.snapshot_id "
                + "WHERE t.asset = ? AND m.window_name = ? ORDER BY t.slot_start DESC, t.id DESC LIMIT ?", s -> {
                    s.setString(1, asset);
                    s.setString(2, window);
                    s.setInt(3, limit);
                }, r -> Map.entry(r.getTimestamp(1).toInstant(), r.getBigDecimal(2)));
        List<Map.Entry<Instant, BigDecimal>> out = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(out);
        return out;
    }

    /**
     * Stores a complete snapshot with its balances, list changes and metrics in one transaction, replacing an
     * incomplete attempt at the same slot. Returns the snapshot id.
     */
    public long storeComplete(StoredSnapshot s, List<Balance> balances, List<ListChange> changes, List<WindowMetrics> metrics) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                deleteIncomplete(c, s.slotStart());
                long id = insertSnapshot(c, s);
                try (PreparedStatement p = c.prepareStatement("INSERT INTO whale_balances (snapshot_id, address, rank, asset_balance, eth_balance) VALUES (?, ?, ?, ?, ?)")) {
                    for (Balance b : balances) {
                        p.setLong(1, id);
                        p.setString(2, b.address().toString());
                        p.setInt(3, b.rank());
                        p.setBigDecimal(4, new BigDecimal(b.asset()));
                        p.setBigDecimal(5, new BigDecimal(b.eth()));
                        p.addBatch();
                    }
                    p.executeBatch();
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO whale_list_changes (snapshot_id, asset, address, change, rank, block_number) VALUES (?, ?, ?, ?, ?, ?)")) {
                    for (ListChange ch : changes) {
                        p.setLong(1, id);
                        p.setString(2, asset);
                        p.setString(3, ch.address().toString());
                        p.setString(4, ch.change());
                        p.setObject(5, ch.rank());
                        p.setLong(6, s.blockNumber());
                        p.addBatch();
                    }
                    p.executeBatch();
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO whale_metrics (snapshot_id, window_name, window_seconds, baseline_snapshot_id, span_seconds, "
                        + "group_holdings, baseline_holdings, net_change, common_net_change, accumulating, distributing, unchanged, entries, exits, score) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (WindowMetrics m : metrics) {
                        p.setLong(1, id);
                        p.setString(2, m.window().name());
                        p.setLong(3, m.window().length().toSeconds());
                        p.setLong(4, m.baselineSnapshotId());
                        p.setLong(5, m.spanSeconds());
                        p.setBigDecimal(6, new BigDecimal(m.groupHoldings()));
                        p.setBigDecimal(7, new BigDecimal(m.baselineHoldings()));
                        p.setBigDecimal(8, new BigDecimal(m.netChange()));
                        p.setBigDecimal(9, new BigDecimal(m.commonNetChange()));
                        p.setInt(10, m.accumulating());
                        p.setInt(11, m.distributing());
                        p.setInt(12, m.unchanged());
                        p.setInt(13, m.entries());
                        p.setInt(14, m.exits());
                        p.setBigDecimal(15, m.score());
                        p.addBatch();
                    }
                    p.executeBatch();
                }
                c.commit();
                return id;
            } catch (SQLException | RuntimeException e) {
                Database.rollback(c, e);
                throw e;
            }
        }
    }

    /** Records a failed attempt (no balances), replacing an earlier failed attempt at the same slot. */
    public long storeIncomplete(StoredSnapshot s) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                deleteIncomplete(c, s.slotStart());
                long id = insertSnapshot(c, s);
                c.commit();
                return id;
            } catch (SQLException | RuntimeException e) {
                Database.rollback(c, e);
                throw e;
            }
        }
    }

    private void deleteIncomplete(Connection c, Instant slot) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM whale_snapshots WHERE asset = ? AND slot_start = ? AND status = 'incomplete'")) {
            p.setString(1, asset);
            p.setTimestamp(2, Timestamp.from(slot));
            p.executeUpdate();
        }
    }

    private long insertSnapshot(Connection c, StoredSnapshot s) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO whale_snapshots (asset, slot_start, status, reason, block_number, block_hash, block_time, "
                + "taken_at, address_count, rpc_calls, rpc_requests, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            p.setString(1, asset);
            p.setTimestamp(2, Timestamp.from(s.slotStart()));
            p.setString(3, s.status());
            p.setString(4, s.reason());
            p.setObject(5, s.blockNumber());
            p.setString(6, s.blockHash());
            p.setTimestamp(7, s.blockTime() == null ? null : Timestamp.from(s.blockTime()));
            p.setTimestamp(8, Timestamp.from(s.takenAt()));
            p.setInt(9, s.addressCount());
            p.setInt(10, s.rpcCalls());
            p.setInt(11, s.rpcRequests());
            p.setLong(12, s.durationMillis());
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private Optional<StoredSnapshot> one(String sql, Instant at) throws SQLException {
        return query(sql, s -> {
            s.setString(1, asset);
            if (at != null) {
                s.setTimestamp(2, Timestamp.from(at));
            }
        }, WhaleStore::row).stream().findFirst();
    }

    /** Sets a statement's parameters. */
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    /** Reads one row. */
    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet r) throws SQLException;
    }

    /** Runs a query on a connection of its own and reads every row. */
    private <T> List<T> query(String sql, Binder binder, RowReader<T> reader) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            binder.bind(s);
            List<T> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(reader.read(r));
                }
            }
            return out;
        }
    }

    private static StoredSnapshot row(ResultSet r) throws SQLException {
        Timestamp bt = r.getTimestamp("block_time");
        return new StoredSnapshot(r.getLong("id"), r.getString("asset"), r.getTimestamp("slot_start").toInstant(), r.getString("status"),
                r.getString("reason"), (Long) r.getObject("block_number"), r.getString("block_hash"), bt == null ? null : bt.toInstant(),
                r.getTimestamp("taken_at").toInstant(), r.getInt("address_count"), r.getInt("rpc_calls"), r.getInt("rpc_requests"), r.getLong("duration_ms"));
    }

    private static WindowMetrics metricsRow(ResultSet r) throws SQLException {
        return new WindowMetrics(new Window(r.getString("window_name"), Duration.ofSeconds(r.getLong("window_seconds"))), r.getLong("baseline_snapshot_id"),
                r.getLong("span_seconds"), big(r, "group_holdings"), big(r, "baseline_holdings"), big(r, "net_change"), big(r, "common_net_change"),
                r.getInt("accumulating"), r.getInt("distributing"), r.getInt("unchanged"), r.getInt("entries"), r.getInt("exits"), r.getBigDecimal("score"));
    }

    private static BigInteger big(ResultSet r, String col) throws SQLException {
        return r.getBigDecimal(col).toBigIntegerExact();
    }
}
