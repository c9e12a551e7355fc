package io.poolstate.arena;

import io.poolstate.dex.event.MalformedLogException;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.state.BlockApplyException;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.PoolState;
import io.poolstate.dex.state.PoolStateBook;
import io.poolstate.dex.v4.LpFee;
import io.poolstate.eth.Bytes32;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.protocol.feed.FeedFrame;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arena's exact state: the pools served, the block it ends at (the tip), and the block each pool was read
 * at. Applies the feed's blocks as the chain changed storage: a committed block's events go to the pools they
 * name (a pool's events at or before the block it was read at are already in its state and skipped); a revert
 * goes through the engine's journal. A pool read at or after a reverted block holds state the journal cannot
 * undo: it leaves the book and is returned for a fresh read. The LP fee of a dynamic-fee V4 pool changes without an
 * event; its owner re-reads it after each committed block ({@link #lpFeesDue()}) and applies it here
 * ({@link #applyLpFees}), journaled with that block; a pool whose fee could not be read is kept but not served
 * ({@link #lpFeesUnknown}) until a later read succeeds or the block is reverted. A block that does not extend the tip, a revert of
 * another block, a revert past the journal or an update to be applied that does not decode abandons the state
 * ({@link ArenaRestart}); an update of a pool that is not served, or was read at or after the block, is not decoded
 * by the writer at all (the feed client's thread decoded every update: {@link DecodedUpdates}).
 *
 * <p>Single writer: the arena's writer thread. Readers get {@link #snapshots()} copies through the view.
 */
final class LiveBook {
    /** A served pool: its state (the one in the book), its latest snapshot and the block it was read at. Writer thread. */
    private static final class Served {
        final PoolId id;
        PoolState state;
        PoolSnapshot snapshot;
        long scrapedAt;
        /** In {@link #changed}: its snapshot changed since the view last took the changes. */
        boolean changed;
        /** In the list of pools a block being committed touched. */
        boolean touched;
        /** Still served (a removed pool may still sit in {@link #changed}). */
        boolean live = true;

        Served(PoolId id) {
            this.id = id;
        }
    }

    private final PoolStateBook book;
    private final PoolIdMap<Served> served = new PoolIdMap<>();
    /** The served pools' states, a read-only view of {@link #served}. */
    private final Map<PoolId, PoolSnapshot> snapshots = new SnapshotMap();
    private final Map<PoolId, Long> scrapedAt = new HashMap<>();
    /** Pools whose snapshot changed, and pools that left, since the view last took them ({@link #takeChanges}). */
    private final List<Served> changed = new ArrayList<>();
    private final Set<PoolId> left = new HashSet<>();
    private final Set<PoolId> dynamicLpFee = new HashSet<>();
    private final UnknownLpFees unknownLpFees;
    private long tipNumber;
    private Bytes32 tipHash;
    private long whitelistSnapshotId;
    private long blocksApplied;
    private long eventsApplied;
    /** How many states the read-ahead loop of {@link #commit} has read: kept so that its reads are not optimised away. */
    private long statesReadAhead;
    private boolean scrapeInfoChanged = true;

    LiveBook(int journalDepth, long tipNumber, Bytes32 tipHash) {
        this.book = new PoolStateBook(journalDepth);
        this.unknownLpFees = new UnknownLpFees(journalDepth);
        this.tipNumber = tipNumber;
        this.tipHash = tipHash;
    }

    long tipNumber() {
        return tipNumber;
    }

    Bytes32 tipHash() {
        return tipHash;
    }

    /**
     * The whitelist snapshot of the pool set served: the one the last applied block's {@code EndBlock} named, or, when
     * the feed announced a change after it (for the next block, or undoing a reverted block's), the change's.
     */
    long whitelistSnapshotId() {
        return whitelistSnapshotId;
    }

    /** The feed announced a pool set of snapshot {@code snapshotId}, in force from the next block (writer thread). */
    void poolSetChanged(long snapshotId) {
        whitelistSnapshotId = snapshotId;
    }

    long blocksApplied() {
        return blocksApplied;
    }

    long eventsApplied() {
        return eventsApplied;
    }

    boolean serves(PoolId id) {
        return served.containsKey(id);
    }

    Set<PoolId> served() {
        return served.keySet();
    }

    /** The served pools' states (a live read-only map: copy before handing it out). */
    Map<PoolId, PoolSnapshot> snapshots() {
        return snapshots;
    }

    /** {@link #served}'s snapshots as a read-only map. */
    private final class SnapshotMap extends AbstractMap<PoolId, PoolSnapshot> {
        @Override
        public PoolSnapshot get(Object key) {
            Served s = served.get(key);
            return s == null ? null : s.snapshot;
        }

        @Override
        public boolean containsKey(Object key) {
            return served.containsKey(key);
        }

        @Override
        public int size() {
            return served.size();
        }

        @Override
        public Set<Entry<PoolId, PoolSnapshot>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<PoolId, PoolSnapshot>> iterator() {
                    Iterator<Served> it = served.values().iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Entry<PoolId, PoolSnapshot> next() {
                            Served s = it.next();
                            return new SimpleImmutableEntry<>(s.id, s.snapshot);
                        }
                    };
                }

                @Override
                public int size() {
                    return served.size();
                }
            };
        }
    }

    Map<PoolId, Long> scrapedAt() {
        return scrapedAt;
    }

    /** What changed since the last call: the pools {@code ids} now have the snapshots {@code put} (same order), and the pools that left. */
    record Changes(List<PoolId> ids, List<PoolSnapshot> put, Set<PoolId> removed) {
    }

    /** The snapshots that changed and the pools that left since the last call (the view applies just these). */
    Changes takeChanges() {
        List<PoolId> ids = new ArrayList<>(changed.size());
        List<PoolSnapshot> put = new ArrayList<>(changed.size());
        for (Served s : changed) {
            s.changed = false;
            if (s.live) {
                ids.add(s.id);
                put.add(s.snapshot);
            }
        }
        Changes c = new Changes(ids, put, left.isEmpty() ? Set.of() : Set.copyOf(left));
        changed.clear();
        left.clear();
        return c;
    }

    private void markChanged(Served s) {
        if (!s.changed) {
            s.changed = true;
            changed.add(s);
        }
    }

    /** True once since the last call when the scrape blocks changed (the view copies them only then). */
    boolean takeScrapeInfoChanged() {
        boolean c = scrapeInfoChanged;
        scrapeInfoChanged = false;
        return c;
    }

    /** Serves {@code state}, read at block {@code at} (its events up to {@code at} are in it). */
    void put(PoolState state, long at) {
        PoolId id = state.descriptor().id();
        book.put(state);
        Served s = served.computeIfAbsent(id, Served::new);
        s.state = state;
        s.snapshot = state.snapshot();
        s.scrapedAt = at;
        markChanged(s);
        left.remove(id);
        scrapedAt.put(id, at);
        if (hasDynamicLpFee(state.descriptor())) {
            dynamicLpFee.add(id);
        }
        unknownLpFees.forget(id);
        scrapeInfoChanged = true;
    }

    /** A V4 pool whose key fee is the dynamic-fee flag: its hook changes the LP fee without an event. */
    static boolean hasDynamicLpFee(PoolDescriptor d) {
        return d.protocol() == Protocol.UNISWAP_V4 && LpFee.isDynamic(d.fee());
    }

    /** Stops serving a pool. */
    void remove(PoolId id) {
        book.remove(id);
        Served s = served.remove(id);
        if (s != null) {
            s.live = false;
            left.add(id);
        }
        dynamicLpFee.remove(id);
        unknownLpFees.forget(id);
        if (scrapedAt.remove(id) != null) {
            scrapeInfoChanged = true;
        }
    }

    /**
     * Applies one block from the feed, its updates read on the calling thread.
     *
     * @return pools that must be read again (reverted below the block they were read at); empty for a commit
     * @throws ArenaRestart when the block cannot be applied to this state
     */
    List<PoolId> apply(FeedBlock b) {
        return apply(b, DecodedUpdates.read(b));
    }

    /**
     * Applies one block from the feed, {@code updates} its updates as the feed client read them.
     *
     * @return pools that must be read again (reverted below the block they were read at); empty for a commit
     * @throws ArenaRestart when the block cannot be applied to this state
     */
    List<PoolId> apply(FeedBlock b, DecodedUpdates updates) {
        updates.requireOf(b);
        return b.isRevert() ? revert(b) : commit(b, updates);
    }

    /**
     * A committed block. Its scratch arrays are new for each block, not kept in fields: a reference stored into an array
     * just allocated costs the collector's write barrier almost nothing, while one stored into a long-lived array costs a
     * card mark and a fence (G1) — about as much as the rest of the loop that stores it.
     */
    private List<PoolId> commit(FeedBlock b, DecodedUpdates updates) {
        FeedFrame.BeginBlock begin = b.begin();
        if (b.number() != tipNumber + 1 || !begin.parentHash().equals(tipHash)) {
            throw new ArenaRestart("block " + b.number() + " " + begin.blockHash() + " does not extend the applied tip " + tipNumber + " " + tipHash);
        }
        int n = updates.size();
        long number = b.number();
        // the block's pools looked up first, in passes of nothing else (PoolIdMap.getAll): lookups do not depend on each
        // other, so the processor overlaps their cache misses instead of taking them one event at a time
        Served[] entries = new Served[n];
        served.getAll(updates.pools(), n, entries);
        PoolState[] states = new PoolState[n];
        int applying = 0;
        for (int i = 0; i < n; i++) {
            Served s = entries[i];
            // not applied: not served, or read at this block or later (its state already holds the event)
            if (s != null && s.scrapedAt < number) {
                states[i] = s.state; // the object in the book: applied without looking the pool up
                applying++;
            } else {
                entries[i] = null;
            }
        }
        // then each state's first line, again in a loop of nothing else, so that those misses overlap too (measured with
        // the table's read-ahead: 14 and 23 % less per block after a wait in two pairs, docs/BENCHMARKS.md)
        int present = 0;
        for (int i = 0; i < n; i++) {
            PoolState st = states[i];
            if (st != null && st.descriptor() != null) {
                present++;
            }
        }
        statesReadAhead += present;
        Served[] touched = new Served[applying];
        int t = 0;
        try {
            for (int i = 0; i < n; i++) {
                Served s = entries[i];
                if (s == null) {
                    continue;
                }
                try {
                    updates.event(i); // throws for an update that did not decode
                } catch (MalformedLogException e) {
                    throw new ArenaRestart("undecodable update from the feed: " + e.getMessage());
                }
                if (!s.touched) {
                    s.touched = true;
                    touched[t++] = s;
                }
            }
            book.applyEvents(new PoolStateBook.BlockId(number, begin.blockHash()), updates.events(), states, n);
        } catch (BlockApplyException e) {
            throw new ArenaRestart(e.getMessage());
        } finally {
            for (int k = 0; k < t; k++) {
                touched[k].touched = false;
            }
        }
        tipNumber = number;
        tipHash = begin.blockHash();
        whitelistSnapshotId = b.end().whitelistSnapshotId();
        blocksApplied++;
        eventsApplied += applying;
        for (int k = 0; k < t; k++) {
            Served s = touched[k];
            s.snapshot = s.state.snapshot();
            markChanged(s);
        }
        return List.of();
    }

    private List<PoolId> revert(FeedBlock b) {
        FeedFrame.BeginBlock begin = b.begin();
        if (b.number() != tipNumber || !begin.blockHash().equals(tipHash)) {
            throw new ArenaRestart("revert of block " + b.number() + " " + begin.blockHash() + " does not match the applied tip " + tipNumber + " " + tipHash);
        }
        if (book.journaled() > 0) {
            try {
                book.revertBlock(new PoolStateBook.BlockId(b.number(), begin.blockHash()));
            } catch (BlockApplyException e) {
                throw new ArenaRestart("revert past the journal: " + e.getMessage());
            }
        } else if (scrapedAt.values().stream().anyMatch(at -> at < b.number())) {
            throw new ArenaRestart("revert of block " + b.number() + " past the journal");
        }
        tipNumber = b.number() - 1;
        tipHash = begin.parentHash();
        Set<PoolId> restored = new HashSet<>(dynamicLpFee); // the revert may have restored their LP fees
        b.updates().forEach(u -> restored.add(u.pool()));
        List<PoolId> stale = new ArrayList<>();
        scrapedAt.forEach((id, at) -> {
            if (at >= b.number()) {
                stale.add(id);
            }
        });
        stale.forEach(this::remove);
        unknownLpFees.reverted(b.number(), served::containsKey);
        refresh(restored);
        return stale;
    }

    /**
     * The served dynamic-fee pools whose LP fee at the tip is not in their state yet: those read before the tip
     * (a pool read at the tip already holds the fee there).
     */
    List<PoolDescriptor> lpFeesDue() {
        List<PoolDescriptor> due = new ArrayList<>(dynamicLpFee.size());
        for (PoolId id : dynamicLpFee) {
            if (scrapedAt.getOrDefault(id, Long.MAX_VALUE) < tipNumber) {
                due.add(served.get(id).state.descriptor());
            }
        }
        return due;
    }

    /**
     * Applies LP fees (pips) read from the chain at the tip, journaled with the tip block: reverting it restores the
     * previous fees. Returns how many changed.
     *
     * @throws ArenaRestart when the tip is not the newest journaled block (the fees would not be undone with it)
     */
    int applyLpFees(Map<PoolId, Integer> fees) {
        int changed;
        try {
            changed = book.applyLpFees(new PoolStateBook.BlockId(tipNumber, tipHash), fees);
        } catch (BlockApplyException e) {
            throw new ArenaRestart(e.getMessage());
        }
        if (changed > 0) {
            refresh(fees.keySet());
        }
        unknownLpFees.read(fees.keySet(), tipNumber);
        return changed;
    }

    /** The re-read of these pools' LP fees at the tip failed: they stay in the book, not served, until one succeeds. */
    void lpFeesUnknown(List<PoolId> ids, String reason) {
        unknownLpFees.failed(ids, tipNumber, reason);
    }

    /** Pools in the book whose LP fee at the tip is unknown, with the reason: not served. */
    Map<PoolId, String> lpFeesUnknown() {
        return unknownLpFees.reasons();
    }

    /** Replaces a pool's state with a fresh read at the tip (self-check). */
    void replace(PoolState fresh) {
        put(fresh, tipNumber);
    }

    private void refresh(Set<PoolId> ids) {
        for (PoolId id : ids) {
            Served s = served.get(id);
            if (s != null) {
                s.snapshot = s.state.snapshot();
                markChanged(s);
            }
        }
    }
}
