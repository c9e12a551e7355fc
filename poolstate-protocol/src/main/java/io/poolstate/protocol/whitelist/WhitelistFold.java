package io.poolstate.protocol.whitelist;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one whitelist state machine: folds {@code full} / {@code add} / {@code remove} messages into the list in
 * force, for the feed (ids), the NATS subscription and the arena (metadata) alike.
 *
 * <ul>
 *   <li>A {@code full} list replaces the list; {@code add} / {@code remove} apply only on top of the snapshot
 *       they name ({@code prev_snapshot_id}).</li>
 *   <li>Idempotent: a message whose snapshot is the one in force, or older, was already applied (a redelivery,
 *       a diff published twice) and changes nothing.</li>
 *   <li>A diff that does not follow the list in force is a gap: it changes nothing and {@link #needsResync()}
 *       asks the source for its latest full list and the diffs after it ({@link #resync}).</li>
 *   <li>{@link Guard}: a list that would empty the whitelist, or shrink it by more than the allowed share, is
 *       held — not applied — and reported as {@link Outcome.Held}, so a publisher's mistake never clears the
 *       consumers' pools. A setting allows it.</li>
 * </ul>
 *
 * <p>Single writer: the thread that calls {@link #apply} and {@link #resync} (the feed's follower between
 * blocks, the arena's catalog under its lock). {@link #state()} hands out immutable snapshots.
 */
public final class WhitelistFold {
    /**
     * When a change is too drastic to apply without an operator: an empty list ({@code allowEmpty} false), or
     * one that removes more than {@code maxShrinkPercent} of a list of at least {@code minPools} pools.
     */
    public record Guard(boolean allowEmpty, int maxShrinkPercent, int minPools) {
        /** Empty lists held; more than half of a list of 10 or more pools removed at once held. */
        public static final Guard DEFAULT = new Guard(false, 50, 10);
        /** Every change applied (pool files, tests of the fold itself). */
        public static final Guard NONE = new Guard(true, 100, 0);

        public Guard {
            if (maxShrinkPercent < 0 || maxShrinkPercent > 100) {
                throw new IllegalArgumentException("max shrink must be 0..100 percent: value=" + maxShrinkPercent);
            }
        }

        /** Why {@code next} may not replace {@code now}, or null when it may. */
        String refuse(int now, int next) {
            if (next == 0 && now > 0 && !allowEmpty) {
                return "the list would become empty, removing all " + now + " pools";
            }
            int removed = now - next;
            if (now >= minPools && removed > 0 && removed * 100L > (long) maxShrinkPercent * now) {
                return "the list would shrink from " + now + " to " + next + " pools (more than " + maxShrinkPercent + "% at once)";
            }
            return null;
        }
    }

    /** What a message did. */
    public sealed interface Outcome {
        /** The list changed (or was confirmed, for a full list equal to the one in force). */
        record Applied(long snapshotId, List<PoolId> added, List<PoolId> removed) implements Outcome {
        }

        /** Already applied: the snapshot in force is this one or newer. */
        record Duplicate(long snapshotId, long inForce) implements Outcome {
        }

        /** Does not follow the list in force; the list stays until a re-sync. */
        record Gap(String reason) implements Outcome {
        }

        /** Too drastic (see {@link Guard}); the list stays and the change is held. */
        record Held(String reason) implements Outcome {
        }

        /** Not a message this fold can take (no snapshot id, a diff without its previous snapshot). */
        record Rejected(String reason) implements Outcome {
        }
    }

    /** Snapshot ids are publication times in epoch milliseconds: one further ahead than this is refused. */
    static final long MAX_AHEAD_MILLIS = 24L * 3600 * 1000;

    private final Guard guard;
    private final boolean withMetadata;
    private long snapshotId;
    private final LinkedHashMap<PoolId, PoolDescriptor> pools = new LinkedHashMap<>();
    private boolean gap;
    private String held;
    private List<Outcome> resyncSkipped = List.of();
    private WhitelistState cached = WhitelistState.EMPTY;

    /**
     * @param withMetadata true to keep each pool's metadata (the arena's catalog); false for ids only (the feed)
     */
    public WhitelistFold(Guard guard, boolean withMetadata) {
        this.guard = guard;
        this.withMetadata = withMetadata;
    }

    /** The list in force. */
    public WhitelistState state() {
        if (cached == null) {
            cached = new WhitelistState(snapshotId, pools);
        }
        return cached;
    }

    public long snapshotId() {
        return snapshotId;
    }

    /** True after a gap, until a re-sync or a full list puts a list in force again. */
    public boolean needsResync() {
        return gap;
    }

    /** Why the newest drastic change was held, or null when the last list was applied. */
    public String held() {
        return held;
    }

    /**
     * The stored messages the last {@link #resync} folded past without applying them (gaps, lists held by the
     * guard, rejected messages), for the caller to count and report; duplicates are not listed.
     */
    public List<Outcome> resyncSkipped() {
        return resyncSkipped;
    }

    /** Applies one message. */
    public Outcome apply(WhitelistMessage m) {
        if (m.snapshotId() == null || m.snapshotId() <= 0) {
            return new Outcome.Rejected("no snapshot_id: type=" + m.type().wireName());
        }
        long id = m.snapshotId();
        if (id > System.currentTimeMillis() + MAX_AHEAD_MILLIS) {
            return new Outcome.Rejected("snapshot_id=" + id + " lies more than a day in the future (snapshot ids are epoch milliseconds)");
        }
        if (id <= snapshotId) {
            return new Outcome.Duplicate(id, snapshotId);
        }
        if (m.type() == UpdateType.FULL) {
            return replace(m);
        }
        if (m.prevSnapshotId() == null) {
            return new Outcome.Rejected("a " + m.type().wireName() + " without prev_snapshot_id: snapshot_id=" + id);
        }
        if (m.prevSnapshotId() != snapshotId) {
            gap = true;
            return new Outcome.Gap("snapshot_id=" + id + " prev_snapshot_id=" + m.prevSnapshotId() + " does not follow snapshot_id=" + snapshotId);
        }
        return m.type() == UpdateType.ADD ? add(m) : remove(m);
    }

    /**
     * Re-synchronises from a source's stored messages: from the first full list among them (the newest one when the
     * source replays from its newest full list, as the NATS subscription does), every message is folded on its own,
     * under this fold's {@link Guard}; messages that do not apply (a gap, a duplicate, a held or rejected list) are
     * skipped, not an end, so a stray message in the stream cannot cut off the diffs that follow it. The result
     * replaces the list in force, subject to the {@link Guard}. With no full list among them the list in force stays.
     */
    public Outcome resync(List<WhitelistMessage> stored) {
        int first = -1;
        for (int i = 0; i < stored.size() && first < 0; i++) {
            if (stored.get(i).type() == UpdateType.FULL && stored.get(i).snapshotId() != null) {
                first = i;
            }
        }
        gap = false;
        resyncSkipped = List.of();
        if (first < 0) {
            return new Outcome.Gap("no full list stored: the list in force stays");
        }
        WhitelistFold scratch = new WhitelistFold(guard, withMetadata);
        List<Outcome> skipped = new ArrayList<>();
        for (WhitelistMessage m : stored.subList(first, stored.size())) {
            Outcome o = scratch.apply(m);
            if (o instanceof Outcome.Gap || o instanceof Outcome.Held || o instanceof Outcome.Rejected) {
                skipped.add(o);
            }
        }
        resyncSkipped = List.copyOf(skipped);
        if (scratch.snapshotId == 0) {
            return new Outcome.Gap("no stored full list could be applied: the list in force stays");
        }
        if (scratch.snapshotId <= snapshotId && !pools.isEmpty()) {
            return new Outcome.Duplicate(scratch.snapshotId, snapshotId);
        }
        return adopt(scratch.snapshotId, scratch.pools);
    }

    private Outcome replace(WhitelistMessage m) {
        LinkedHashMap<PoolId, PoolDescriptor> next = new LinkedHashMap<>();
        put(m, next);
        return adopt(m.snapshotId(), next);
    }

    private Outcome add(WhitelistMessage m) {
        List<PoolId> added = new ArrayList<>();
        for (PoolId id : m.poolIds()) {
            if (!pools.containsKey(id)) {
                added.add(id);
            }
        }
        put(m, pools);
        return changed(m.snapshotId(), added, List.of());
    }

    private Outcome remove(WhitelistMessage m) {
        int after = pools.size();
        for (PoolId id : m.poolIds()) {
            after -= pools.containsKey(id) ? 1 : 0;
        }
        String refuse = guard.refuse(pools.size(), after);
        if (refuse != null) {
            held = "remove snapshot_id=" + m.snapshotId() + ": " + refuse;
            return new Outcome.Held(held);
        }
        List<PoolId> removed = new ArrayList<>();
        for (PoolId id : m.poolIds()) {
            if (pools.containsKey(id)) {
                pools.remove(id);
                removed.add(id);
            }
        }
        return changed(m.snapshotId(), List.of(), removed);
    }

    private Outcome adopt(long id, Map<PoolId, PoolDescriptor> next) {
        String refuse = guard.refuse(pools.size(), next.size());
        if (refuse != null) {
            held = "full snapshot_id=" + id + ": " + refuse;
            return new Outcome.Held(held);
        }
        List<PoolId> added = next.keySet().stream().filter(p -> !pools.containsKey(p)).toList();
        List<PoolId> removed = pools.keySet().stream().filter(p -> !next.containsKey(p)).toList();
        pools.clear();
        pools.putAll(next);
        return changed(id, added, removed);
    }

    private Outcome changed(long id, List<PoolId> added, List<PoolId> removed) {
        snapshotId = id;
        gap = false;
        held = null;
        cached = null;
        return new Outcome.Applied(id, List.copyOf(added), List.copyOf(removed));
    }

    private void put(WhitelistMessage m, Map<PoolId, PoolDescriptor> into) {
        Map<PoolId, PoolDescriptor> meta = new java.util.HashMap<>();
        if (withMetadata) {
            m.pools().forEach(p -> meta.put(p.id(), p));
        }
        for (PoolId id : m.poolIds()) {
            into.put(id, meta.get(id));
        }
    }
}
