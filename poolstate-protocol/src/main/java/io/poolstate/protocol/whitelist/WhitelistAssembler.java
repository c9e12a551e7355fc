package io.poolstate.protocol.whitelist;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Puts whitelist updates split into numbered parts ({@link WhitelistCodec#writeParts}) back together, so a consumer
 * applies a split list only when every part is in. A whole message passes straight through.
 *
 * <p>Bounds: one split update is assembled at a time (the first part of another update drops the one in
 * progress), the parts held never exceed {@code maxBytes}, and an update still incomplete {@code timeout} after
 * its first part is dropped ({@link #expire}). Every drop is a {@link Result.Dropped} with the reason, for the
 * caller to count as malformed input.
 *
 * <p>Single writer: the caller's thread (the NATS subscription's delivery thread, under its lock).
 */
public final class WhitelistAssembler {
    /** What a message did. */
    public sealed interface Result {
        /** An update is complete: a whole message, or the last missing part of a split one. */
        record Complete(WhitelistMessage message, int parts) implements Result {
        }

        /** A part was kept; the update is still incomplete. */
        record Waiting(long snapshotId, int received, int parts) implements Result {
        }

        /** A part or a partly assembled update was thrown away; {@code reason} says why ({@code key=value}). */
        record Dropped(String reason) implements Result {
        }
    }

    private final long maxBytes;
    private final long timeoutNanos;
    private Assembly current;
    private String droppedKey;

    /** @param maxBytes most payload bytes held for one update (the consumer's largest list) */
    public WhitelistAssembler(long maxBytes, Duration timeout) {
        this.maxBytes = maxBytes;
        this.timeoutNanos = timeout.toNanos();
    }

    private static final class Assembly {
        final WhitelistMessage first;
        final int parts;
        final long startedNanos;
        final Map<Integer, WhitelistMessage> received = new HashMap<>();
        long bytes;

        Assembly(WhitelistMessage first, int parts, long startedNanos) {
            this.first = first;
            this.parts = parts;
            this.startedNanos = startedNanos;
        }

        String key() {
            return key(first.type(), first.snapshotId());
        }

        static String key(UpdateType type, Long snapshotId) {
            return type.wireName() + " snapshot_id=" + snapshotId;
        }

        String progress() {
            return key() + " parts_received=" + received.size() + "/" + parts;
        }
    }

    /**
     * Takes one message.
     *
     * @param bytes     its payload size, counted against the bound
     * @param nowNanos  {@link System#nanoTime()}
     * @return what happened, in order: a drop of the update in progress (when this part starts another one), then
     *     this part's result
     */
    public List<Result> accept(WhitelistPart p, int bytes, long nowNanos) {
        if (p.isWhole()) {
            return List.of(new Result.Complete(p.message(), 1));
        }
        WhitelistMessage m = p.message();
        String key = Assembly.key(m.type(), m.snapshotId());
        if (key.equals(droppedKey) && p.part() == 1) {
            droppedKey = null; // published again from its first part: a new attempt
        }
        if (key.equals(droppedKey)) {
            return List.of(new Result.Dropped("part=" + p.part() + "/" + p.parts() + ": belongs to " + key + ", already dropped"));
        }
        List<Result> out = new ArrayList<>(2);
        if (current != null && !current.key().equals(key)) {
            out.add(drop("abandoned for " + key + ": " + current.progress()));
        }
        if (current == null) {
            current = new Assembly(m, p.parts(), nowNanos);
        }
        String conflict = conflict(current, p);
        if (conflict != null) {
            out.add(drop(conflict));
            return out;
        }
        if (current.received.containsKey(p.part())) {
            out.add(new Result.Waiting(m.snapshotId(), current.received.size(), current.parts)); // redelivered
            return out;
        }
        if (current.bytes + bytes > maxBytes) {
            out.add(drop("bytes>" + maxBytes + ": the split update is larger than this consumer takes (" + current.progress() + ")"));
            return out;
        }
        current.received.put(p.part(), m);
        current.bytes += bytes;
        if (current.received.size() < current.parts) {
            out.add(new Result.Waiting(m.snapshotId(), current.received.size(), current.parts));
            return out;
        }
        out.add(complete());
        return out;
    }

    /** Drops the update in progress when it has waited longer than the timeout; null when nothing expired. */
    public Result.Dropped expire(long nowNanos) {
        if (current != null && nowNanos - current.startedNanos > timeoutNanos) {
            return drop("timeout=" + Duration.ofNanos(timeoutNanos) + ": incomplete " + current.progress());
        }
        return null;
    }

    /** Whether a split update is in progress. */
    public boolean assembling() {
        return current != null;
    }

    /** Forgets everything (a re-subscription reads the parts again). */
    public void reset() {
        current = null;
        droppedKey = null;
    }

    private static String conflict(Assembly a, WhitelistPart p) {
        WhitelistMessage f = a.first;
        WhitelistMessage m = p.message();
        if (p.parts() != a.parts) {
            return "parts=" + p.parts() + ": part " + p.part() + " disagrees with parts=" + a.parts + " of " + a.key();
        }
        if (!Objects.equals(f.chain(), m.chain()) || !Objects.equals(f.prevSnapshotId(), m.prevSnapshotId())
                || !Objects.equals(f.timestamp(), m.timestamp())) {
            return "part=" + p.part() + ": envelope (chain, prev_snapshot_id, timestamp) differs from the other parts of " + a.key();
        }
        return null;
    }

    private Result complete() {
        Assembly a = current;
        current = null;
        List<PoolDescriptor> pools = new ArrayList<>();
        List<PoolId> ids = new ArrayList<>();
        Map<PoolId, Integer> seen = new HashMap<>();
        for (int i = 1; i <= a.parts; i++) {
            WhitelistMessage m = a.received.get(i);
            for (PoolId id : m.poolIds()) {
                Integer before = seen.putIfAbsent(id, i);
                if (before != null) {
                    droppedKey = a.key();
                    return new Result.Dropped("id=" + id + ": listed in part " + before + " and part " + i + " of " + a.key());
                }
                ids.add(id);
            }
            pools.addAll(m.pools());
        }
        WhitelistMessage f = a.first;
        return new Result.Complete(new WhitelistMessage(f.type(), f.chain(), f.snapshotId(), f.prevSnapshotId(), f.timestamp(), pools, ids), a.parts);
    }

    private Result.Dropped drop(String reason) {
        droppedKey = current.key();
        current = null;
        return new Result.Dropped(reason);
    }
}
