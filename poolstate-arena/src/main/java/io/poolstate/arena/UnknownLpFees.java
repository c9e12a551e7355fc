package io.poolstate.arena;

import io.poolstate.dex.pool.PoolId;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dynamic-fee pools whose LP fee at the tip is unknown because its re-read failed, with the block it has been
 * unknown since and why. Such a pool keeps following its events but is not served until a later re-read succeeds.
 * Follows the tip's journal: a revert of block N forgets what became unknown at N or later (the fee restored by the
 * revert was read successfully), and brings back what a read at N had cleared (the fee restored is the unknown one).
 *
 * <p>Single writer: the arena's writer thread (through {@link LiveBook}).
 */
final class UnknownLpFees {
    /** Unknown since block {@code since}, for {@code reason}. */
    private record Unknown(long since, String reason) {
    }

    /** Pools cleared by a successful read at {@code block}, with what they were. */
    private record Cleared(long block, Map<PoolId, Unknown> pools) {
    }

    private final Map<PoolId, Unknown> unknown = new LinkedHashMap<>();
    private final Deque<Cleared> cleared = new ArrayDeque<>();
    private final int journalDepth;

    UnknownLpFees(int journalDepth) {
        this.journalDepth = journalDepth;
    }

    boolean isEmpty() {
        return unknown.isEmpty();
    }

    /** The pools not served for it, with the reason (a copy). */
    Map<PoolId, String> reasons() {
        if (unknown.isEmpty()) {
            return Map.of();
        }
        Map<PoolId, String> m = new LinkedHashMap<>();
        unknown.forEach((id, u) -> m.put(id, u.reason()));
        return Collections.unmodifiableMap(m);
    }

    boolean contains(PoolId id) {
        return unknown.containsKey(id);
    }

    /** The re-read at tip {@code block} failed for {@code ids}: unknown since then (or since earlier, if already). */
    void failed(Collection<PoolId> ids, long block, String reason) {
        for (PoolId id : ids) {
            Unknown before = unknown.get(id);
            unknown.put(id, new Unknown(before == null ? block : before.since(), reason));
        }
    }

    /** The re-read at tip {@code block} succeeded for {@code ids}: known again, remembered for a revert of that block. */
    void read(Collection<PoolId> ids, long block) {
        if (unknown.isEmpty()) {
            return;
        }
        Map<PoolId, Unknown> was = new HashMap<>();
        for (PoolId id : ids) {
            Unknown u = unknown.remove(id);
            if (u != null) {
                was.put(id, u);
            }
        }
        if (!was.isEmpty()) {
            cleared.addLast(new Cleared(block, was));
            while (!cleared.isEmpty() && cleared.peekFirst().block() <= block - journalDepth) {
                cleared.removeFirst();
            }
        }
    }

    /** Block {@code block}, the tip, was reverted; {@code served} tells which pools are still in the book. */
    void reverted(long block, java.util.function.Predicate<PoolId> served) {
        while (!cleared.isEmpty() && cleared.peekLast().block() >= block) {
            cleared.removeLast().pools().forEach((id, u) -> {
                if (served.test(id)) {
                    unknown.put(id, u);
                }
            });
        }
        unknown.values().removeIf(u -> u.since() >= block);
    }

    /** A pool left the book, or was read afresh (its state, fee included, is known at the block it was read at). */
    void forget(PoolId id) {
        unknown.remove(id);
        for (Cleared c : cleared) {
            c.pools().remove(id);
        }
    }
}
