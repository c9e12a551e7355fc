package io.poolstate.whitelist.store;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.postgres.Database;
import io.poolstate.protocol.whitelist.WhitelistCodec;
import io.poolstate.protocol.whitelist.WhitelistFormatException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Whitelist snapshots in Postgres: each snapshot's pools with their reasons, its adds and removes, and whether it
 * was published. A snapshot is stored as {@code pending} before it is published and marked {@code published}
 * after, so a crash in between is finished on the next start. Also the cross-process run lock (an advisory lock).
 */
public final class WhitelistStore {
    /** The whitelist tables' migrations ({@code db/whitelist}). */
    public static final io.poolstate.postgres.Database.Migrations MIGRATIONS =
            new io.poolstate.postgres.Database.Migrations("classpath:db/whitelist", "whitelist_schema_history", "poolstate-whitelist");
    private final DataSource ds;
    private final String chain;

    public WhitelistStore(DataSource ds, String chain) {
        this.ds = ds;
        this.chain = chain;
    }

    /** The chain's name, the key of every row this store reads and writes. */
    public String chain() {
        return chain;
    }

    /**
     * Binds the chain's name to {@code chainId} (table {@code whitelist_chains}) on first use; afterwards checks it.
     * Every table is keyed by the name, so a name bound to another chain id is refused: the rows under it belong to
     * another chain.
     *
     * @throws IllegalStateException naming the chain and both ids when the name is bound to another chain id
     */
    public void bindChainId(long chainId) throws SQLException {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO whitelist_chains (chain, chain_id) VALUES (?, ?) ON CONFLICT (chain) DO NOTHING")) {
                s.setString(1, chain);
                s.setLong(2, chainId);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT chain_id FROM whitelist_chains WHERE chain = ?")) {
                s.setString(1, chain);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    long bound = r.getLong(1);
                    if (bound != chainId) {
                        throw new IllegalStateException("chain name " + chain + " is bound to chain id " + bound + " in Postgres (table whitelist_chains), "
                                + "but the node is on chain " + chainId + ": give this chain another --chain name, or point it at a node of chain " + bound);
                    }
                }
            }
        }
    }

    /** A stored snapshot: its id, the one before, status, and pools (with reasons). */
    public record Snapshot(long snapshotId, Long prevSnapshotId, String status, String updateType, Instant createdAt, Map<PoolId, PoolDescriptor> pools,
                           Map<PoolId, String> reasons) {
    }

    /** One snapshot's summary and changes, for history. */
    public record History(long snapshotId, String status, String updateType, int poolCount, Instant createdAt, List<String[]> changes) {
    }

    /** The newest snapshot (pending or published), or null. */
    public Snapshot latest() throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT snapshot_id, prev_snapshot_id, status, update_type, created_at FROM whitelist_snapshots"
                     + " WHERE chain = ? ORDER BY snapshot_id DESC LIMIT 1")) {
            s.setString(1, chain);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                long id = r.getLong(1);
                Long prev = r.getObject(2) == null ? null : r.getLong(2);
                return new Snapshot(id, prev, r.getString(3), r.getString(4), r.getTimestamp(5).toInstant(), pools(c, id, true), reasons(c, id));
            }
        }
    }

    /** The newest published snapshot, or null. */
    public Snapshot latestPublished() throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT snapshot_id, prev_snapshot_id, status, update_type, created_at FROM whitelist_snapshots"
                     + " WHERE chain = ? AND status = 'published' ORDER BY snapshot_id DESC LIMIT 1")) {
            s.setString(1, chain);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                long id = r.getLong(1);
                return new Snapshot(id, r.getObject(2) == null ? null : r.getLong(2), r.getString(3), r.getString(4), r.getTimestamp(5).toInstant(),
                        pools(c, id, true), reasons(c, id));
            }
        }
    }

    /** The newest full snapshot (pending or published): its id, when it was made, and how many snapshots followed it. */
    public record FullStatus(long snapshotId, Instant createdAt, int snapshotsAfter) {
    }

    /** The newest full snapshot, or null when none is stored (none yet, or retention removed it). */
    public FullStatus latestFull() throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT f.snapshot_id, f.created_at, (SELECT count(*) FROM whitelist_snapshots a"
                     + " WHERE a.chain = f.chain AND a.snapshot_id > f.snapshot_id) FROM whitelist_snapshots f WHERE f.chain = ? AND f.update_type = 'full'"
                     + " ORDER BY f.snapshot_id DESC LIMIT 1")) {
            s.setString(1, chain);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new FullStatus(r.getLong(1), r.getTimestamp(2).toInstant(), r.getInt(3)) : null;
            }
        }
    }

    /** Stores a new snapshot as pending: its pools, reasons and changes, in one transaction. */
    public void storePending(long snapshotId, Long prev, String updateType, Map<PoolId, PoolDescriptor> pools, Map<PoolId, String> reasons,
                             Map<PoolId, String> added, Map<PoolId, String> removed) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO whitelist_snapshots (chain, snapshot_id, prev_snapshot_id, status, update_type,"
                        + " pool_count) VALUES (?, ?, ?, 'pending', ?, ?)")) {
                    s.setString(1, chain);
                    s.setLong(2, snapshotId);
                    if (prev == null) {
                        s.setNull(3, java.sql.Types.BIGINT);
                    } else {
                        s.setLong(3, prev);
                    }
                    s.setString(4, updateType);
                    s.setInt(5, pools.size());
                    s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement("INSERT INTO whitelist_snapshot_pools (chain, snapshot_id, pool_id, pool_data, reason)"
                        + " VALUES (?, ?, ?, ?::jsonb, ?)")) {
                    for (PoolDescriptor p : pools.values()) {
                        s.setString(1, chain);
                        s.setLong(2, snapshotId);
                        s.setString(3, p.id().toString());
                        s.setString(4, poolJson(p));
                        s.setString(5, reasons.getOrDefault(p.id(), ""));
                        s.addBatch();
                    }
                    s.executeBatch();
                }
                try (PreparedStatement s = c.prepareStatement("INSERT INTO whitelist_changes (chain, snapshot_id, pool_id, change, reason) VALUES (?, ?, ?, ?, ?)")) {
                    addChanges(s, snapshotId, "add", added);
                    addChanges(s, snapshotId, "remove", removed);
                    s.executeBatch();
                }
                c.commit();
            } catch (SQLException e) {
                Database.rollback(c, e);
                throw e;
            }
        }
    }

    private void addChanges(PreparedStatement s, long snapshotId, String change, Map<PoolId, String> pools) throws SQLException {
        for (Map.Entry<PoolId, String> e : pools.entrySet()) {
            s.setString(1, chain);
            s.setLong(2, snapshotId);
            s.setString(3, e.getKey().toString());
            s.setString(4, change);
            s.setString(5, e.getValue());
            s.addBatch();
        }
    }

    public void markPublished(long snapshotId) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE whitelist_snapshots SET status = 'published', published_at = now() WHERE chain = ? AND snapshot_id = ?")) {
            s.setString(1, chain);
            s.setLong(2, snapshotId);
            s.executeUpdate();
        }
    }

    /** The adds and removes of a snapshot, with reasons. */
    public Map<PoolId, String[]> changes(long snapshotId) throws SQLException {
        Map<PoolId, String[]> out = new LinkedHashMap<>();
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT pool_id, change, reason FROM whitelist_changes WHERE chain = ? AND snapshot_id = ? ORDER BY change, pool_id COLLATE \"C\"")) {
            s.setString(1, chain);
            s.setLong(2, snapshotId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(PoolId.parse(r.getString(1)), new String[] {r.getString(2), r.getString(3)});
                }
            }
        }
        return out;
    }

    /** Deletes snapshots older than the retention, always keeping the newest published one. */
    public int deleteOlderThan(Instant cutoff) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("DELETE FROM whitelist_snapshots WHERE chain = ? AND created_at < ? AND snapshot_id <"
                     + " (SELECT COALESCE(MAX(snapshot_id), 0) FROM whitelist_snapshots WHERE chain = ? AND status = 'published')")) {
            s.setString(1, chain);
            s.setTimestamp(2, java.sql.Timestamp.from(cutoff));
            s.setString(3, chain);
            return s.executeUpdate();
        }
    }

    /** Snapshots newest first with their changes (for {@code whitelist history}). */
    public List<History> history(int limit) throws SQLException {
        List<History> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT snapshot_id, status, update_type, pool_count, created_at FROM whitelist_snapshots"
                     + " WHERE chain = ? ORDER BY snapshot_id DESC LIMIT ?")) {
            s.setString(1, chain);
            s.setInt(2, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    long id = r.getLong(1);
                    List<String[]> changes = new ArrayList<>();
                    changes(id).forEach((pool, cr) -> changes.add(new String[] {cr[0], pool.toString(), cr[1]}));
                    out.add(new History(id, r.getString(2), r.getString(3), r.getInt(4), r.getTimestamp(5).toInstant(), changes));
                }
            }
        }
        return out;
    }

    /**
     * Runs {@code work} holding the chain's advisory lock, on one connection; returns false (without running it)
     * when another process holds the lock.
     */
    public boolean withRunLock(SqlWork work) throws Exception {
        return new io.poolstate.postgres.AdvisoryLock(ds, "poolstate-whitelist:" + chain).tryRun(work::run);
    }

    /** Work done under the run lock. */
    public interface SqlWork {
        void run() throws Exception;
    }

    private Map<PoolId, PoolDescriptor> pools(Connection c, long snapshotId, boolean ordered) throws SQLException {
        Map<PoolId, PoolDescriptor> out = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT pool_data::text FROM whitelist_snapshot_pools WHERE chain = ? AND snapshot_id = ?"
                + (ordered ? " ORDER BY pool_id COLLATE \"C\"" : ""))) {
            s.setString(1, chain);
            s.setLong(2, snapshotId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    PoolDescriptor p = parsePool(r.getString(1));
                    out.put(p.id(), p);
                }
            }
        }
        return out;
    }

    private Map<PoolId, String> reasons(Connection c, long snapshotId) throws SQLException {
        Map<PoolId, String> out = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT pool_id, reason FROM whitelist_snapshot_pools WHERE chain = ? AND snapshot_id = ?")) {
            s.setString(1, chain);
            s.setLong(2, snapshotId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(PoolId.parse(r.getString(1)), r.getString(2));
                }
            }
        }
        return out;
    }

    /** One pool in the wire format (a full message's pool object). */
    static String poolJson(PoolDescriptor p) {
        return WhitelistCodec.writePool(p).toString();
    }

    static PoolDescriptor parsePool(String json) {
        try {
            return WhitelistCodec.read(("[" + json + "]").getBytes(StandardCharsets.UTF_8)).pools().get(0);
        } catch (WhitelistFormatException e) {
            throw new IllegalStateException("stored pool is not readable: " + e.getMessage(), e);
        }
    }
}
