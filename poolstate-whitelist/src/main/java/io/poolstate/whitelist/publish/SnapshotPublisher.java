package io.poolstate.whitelist.publish;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.postgres.Database;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.whitelist.WhitelistMetrics;
import io.poolstate.whitelist.store.WhitelistStore;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the list a whitelist run kept into published snapshots: the difference from the last published snapshot
 * as an {@code add} and/or a {@code remove} diff, or a {@code full} list — the first time; once
 * {@link WhitelistPublisher.Settings#fullEvery} snapshots followed the last full list; whenever the stream no longer
 * continues the last published snapshot (a new NATS store, retention, another publisher on the subject), changes or
 * not; and, with a stream age limit, when the last full list is half that old, changes or not. So a consumer that
 * starts late reads one full list and at most a bounded number of diffs, and the stream's retention can drop
 * everything older.
 *
 * <p>Each snapshot is first prepared for the server's limits ({@link WhitelistPublisher#prepare}: a snapshot that
 * could never be published is never stored), then stored pending, published, and marked published. A crash in
 * between is finished by {@link #finishPending} with the very same messages: pools in id order and the timestamp
 * taken from the snapshot id, so parts published before the crash and after it fit together.
 *
 * <p>Single caller: the whitelist run, under the run lock.
 */
public final class SnapshotPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPublisher.class);
    /** Ids in the order Postgres returns them ({@code COLLATE "C"}): the one order a snapshot's messages use. */
    private static final Comparator<PoolId> ORDER = Comparator.comparing(PoolId::toString);

    /** One published snapshot, what it took on the wire, and how many pools it added and removed against the one before. */
    public record Published(WhitelistMessage message, WhitelistPublisher.Sent sent, int added, int removed) {
    }

    private final WhitelistStore store;
    private final WhitelistPublisher publisher;
    private final WhitelistMetrics metrics;

    public SnapshotPublisher(WhitelistStore store, WhitelistPublisher publisher, WhitelistMetrics metrics) {
        this.store = store;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /** Publishes a snapshot stored as pending by a run that stopped before marking it published; null when there is none. */
    public Published finishPending() throws Exception {
        WhitelistStore.Snapshot last = store.latest();
        if (last == null || !"pending".equals(last.status())) {
            return null;
        }
        WhitelistMessage m = rebuild(last);
        WhitelistPublisher.Sent sent = publisher.publish(m);
        markPublished(m);
        LOG.info("finished pending snapshot {} ({})", last.snapshotId(), last.updateType());
        int changed = m.type() == UpdateType.FULL ? 0 : m.poolIds().size();
        return new Published(m, sent, m.type() == UpdateType.ADD ? changed : 0, m.type() == UpdateType.REMOVE ? changed : 0);
    }

    /**
     * Publishes what changed between the last published snapshot and {@code next}.
     *
     * @param next    the kept pools
     * @param kept    why each kept pool is in
     * @param dropped why pools were left out (the reason recorded for a removed pool)
     * @return the snapshots published, in order (none when nothing changed and no full list was due)
     */
    public List<Published> publish(Map<PoolId, PoolDescriptor> next, Map<PoolId, String> kept, Map<PoolId, String> dropped) throws Exception {
        Map<PoolId, PoolDescriptor> sorted = sorted(next);
        WhitelistStore.Snapshot prev = store.latestPublished();
        if (prev == null) {
            return List.of(full(null, sorted, kept, reasons(sorted.keySet(), kept, "kept"), Map.of(), "the first list"));
        }
        Map<PoolId, String> added = new LinkedHashMap<>();
        Map<PoolId, String> removed = new LinkedHashMap<>();
        sorted.keySet().stream().filter(id -> !prev.pools().containsKey(id)).forEach(id -> added.put(id, kept.getOrDefault(id, "kept")));
        prev.pools().keySet().stream().filter(id -> !sorted.containsKey(id)).sorted(ORDER)
                .forEach(id -> removed.put(id, dropped.getOrDefault(id, "no longer a candidate (its tokens left the token sources)")));
        int diffs = (added.isEmpty() ? 0 : 1) + (removed.isEmpty() ? 0 : 1);
        String fullDue = fullDue(prev, diffs);
        if (fullDue != null) {
            return List.of(full(prev.snapshotId(), sorted, kept, added, removed, fullDue));
        }
        List<Published> out = new ArrayList<>();
        Map<PoolId, PoolDescriptor> state = new LinkedHashMap<>(prev.pools());
        Map<PoolId, String> reasons = new LinkedHashMap<>(prev.reasons());
        long last = prev.snapshotId();
        if (!added.isEmpty()) {
            added.forEach((id, why) -> {
                state.put(id, sorted.get(id));
                reasons.put(id, why);
            });
            long id = newId(last);
            WhitelistMessage m = new WhitelistMessage(UpdateType.ADD, publisher.chain(), id, last, Instant.ofEpochMilli(id),
                    added.keySet().stream().map(sorted::get).toList(), List.copyOf(added.keySet()));
            out.add(publish(m, added.size(), 0, () -> store.storePending(id, prev.snapshotId(), "add", state, reasons, added, Map.of())));
            last = id;
        }
        if (!removed.isEmpty()) {
            removed.keySet().forEach(state::remove);
            removed.keySet().forEach(reasons::remove);
            long id = newId(last);
            long before = last;
            WhitelistMessage m = new WhitelistMessage(UpdateType.REMOVE, publisher.chain(), id, last, Instant.ofEpochMilli(id), List.of(),
                    List.copyOf(removed.keySet()));
            out.add(publish(m, 0, removed.size(), () -> store.storePending(id, before, "remove", state, reasons, Map.of(), removed)));
        }
        return out;
    }

    /** Why the next snapshot must be a full list, or null when diffs will do. */
    private String fullDue(WhitelistStore.Snapshot prev, int diffs) throws Exception {
        if (!publisher.continues(prev.snapshotId())) {
            return "the stream does not continue snapshot " + prev.snapshotId();
        }
        WhitelistStore.FullStatus f = store.latestFull();
        if (f == null) {
            return "no full list is stored";
        }
        WhitelistPublisher.Settings s = publisher.settings();
        if (diffs > 0 && f.snapshotsAfter() + diffs >= s.fullEvery()) {
            return (f.snapshotsAfter() + diffs) + " snapshots after the last full list (full-every=" + s.fullEvery() + ")";
        }
        if (!s.maxAge().isZero() && f.createdAt().isBefore(Instant.now().minus(s.maxAge().dividedBy(2)))) {
            return "the last full list is older than half the stream's max age (" + s.maxAge() + ")";
        }
        return null;
    }

    private Published full(Long prev, Map<PoolId, PoolDescriptor> pools, Map<PoolId, String> kept, Map<PoolId, String> added, Map<PoolId, String> removed,
                           String why) throws Exception {
        long id = newId(prev);
        WhitelistMessage m = new WhitelistMessage(UpdateType.FULL, publisher.chain(), id, null, Instant.ofEpochMilli(id), List.copyOf(pools.values()),
                List.copyOf(pools.keySet()));
        LOG.info("publishing a full list: snapshot={} pools={} because {}", id, pools.size(), why);
        return publish(m, added.size(), removed.size(), () -> store.storePending(id, prev, "full", pools, reasons(pools.keySet(), kept, "kept"), added, removed));
    }

    private interface Pending {
        void store() throws Exception;
    }

    /** Prepare (checks the server's limits), store pending, publish, mark published. */
    private Published publish(WhitelistMessage m, int added, int removed, Pending pending) throws Exception {
        WhitelistPublisher.Prepared p = publisher.prepare(m);
        try {
            pending.store();
        } catch (SQLException e) {
            throw new SQLException("whitelist snapshot not stored, nothing published: snapshot_id=" + m.snapshotId() + " type=" + m.type().wireName()
                    + " reason=" + Database.reason(e), e.getSQLState(), e);
        }
        WhitelistPublisher.Sent sent = publisher.publish(p);
        markPublished(m);
        metrics.updates(m.type().wireName());
        metrics.messageBytes(sent);
        return new Published(m, sent, added, removed);
    }

    /** Marks a published snapshot; a failure says that it stays pending until the next run finishes it. */
    private void markPublished(WhitelistMessage m) throws SQLException {
        try {
            store.markPublished(m.snapshotId());
        } catch (SQLException e) {
            throw new SQLException("whitelist snapshot published but still pending in the database (the next run finishes it): snapshot_id="
                    + m.snapshotId() + " type=" + m.type().wireName() + " reason=" + Database.reason(e), e.getSQLState(), e);
        }
    }

    private WhitelistMessage rebuild(WhitelistStore.Snapshot s) throws Exception {
        Instant ts = Instant.ofEpochMilli(s.snapshotId());
        String chain = publisher.chain();
        return switch (s.updateType()) {
            case "full" -> new WhitelistMessage(UpdateType.FULL, chain, s.snapshotId(), null, ts, List.copyOf(s.pools().values()), List.copyOf(s.pools().keySet()));
            case "add" -> {
                List<PoolId> ids = store.changes(s.snapshotId()).keySet().stream().toList();
                yield new WhitelistMessage(UpdateType.ADD, chain, s.snapshotId(), s.prevSnapshotId(), ts, ids.stream().map(id -> s.pools().get(id)).toList(), ids);
            }
            default -> new WhitelistMessage(UpdateType.REMOVE, chain, s.snapshotId(), s.prevSnapshotId(), ts, List.of(),
                    store.changes(s.snapshotId()).keySet().stream().toList());
        };
    }

    private static Map<PoolId, PoolDescriptor> sorted(Map<PoolId, PoolDescriptor> pools) {
        Map<PoolId, PoolDescriptor> out = new LinkedHashMap<>();
        pools.keySet().stream().sorted(ORDER).forEach(id -> out.put(id, pools.get(id)));
        return out;
    }

    private static Map<PoolId, String> reasons(java.util.Collection<PoolId> ids, Map<PoolId, String> reasons, String fallback) {
        Map<PoolId, String> out = new LinkedHashMap<>();
        ids.forEach(id -> out.put(id, reasons.getOrDefault(id, fallback)));
        return out;
    }

    /** Snapshot ids are epoch milliseconds, strictly increasing. */
    private static long newId(Long prev) {
        long now = System.currentTimeMillis();
        return prev == null ? now : Math.max(now, prev + 1);
    }
}
