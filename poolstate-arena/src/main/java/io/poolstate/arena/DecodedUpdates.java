package io.poolstate.arena;

import io.poolstate.dex.event.MalformedLogException;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.state.BlockEvent;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.protocol.feed.FeedFrame;
import java.util.Arrays;
import java.util.List;

/**
 * A block's updates read for the writer on the thread that received them (the feed client's, while their bytes are in
 * its caches): per update, in the block's order, its pool and its {@link BlockEvent} — or why it does not decode, which
 * the writer raises only if it applies that update. The writer then neither decodes nor touches the frames' bytes; a
 * revert's updates are not decoded (a revert goes through the journal). Immutable once built: built by one thread,
 * handed to the writer through the inbox's queue. {@link Reader} decodes a block's updates one by one as they arrive,
 * so that little is left to do when its EndBlock does.
 */
final class DecodedUpdates {
    private final long blockNumber;
    private final PoolId[] pools;
    private final BlockEvent[] events;
    /** Null when every update decoded; else, per update, why it did not (null for those that did). */
    private final MalformedLogException[] malformed;

    private DecodedUpdates(long blockNumber, PoolId[] pools, BlockEvent[] events, MalformedLogException[] malformed) {
        this.blockNumber = blockNumber;
        this.pools = pools;
        this.events = events;
        this.malformed = malformed;
    }

    /** Reads {@code b}'s updates (all of them; a revert's pools only). */
    static DecodedUpdates read(FeedBlock b) {
        if (b.isRevert()) {
            return new DecodedUpdates(b.number(), b.updates().stream().map(FeedFrame.PoolUpdate::pool).toArray(PoolId[]::new), new BlockEvent[0], null);
        }
        Reader r = new Reader();
        for (FeedFrame.PoolUpdate u : b.updates()) {
            r.add(b.begin(), u);
        }
        return r.take(b.number());
    }

    /** That {@code b} is the block these updates were read from (same number, same count). */
    void requireOf(FeedBlock b) {
        if (blockNumber != b.number() || pools.length != b.updates().size()) {
            throw new IllegalArgumentException("decoded updates are not the block's: block=" + b.number() + " updates=" + b.updates().size()
                    + " decoded_block=" + blockNumber + " decoded=" + pools.length);
        }
    }

    /**
     * Decodes a committed block's updates as they arrive, ahead of its EndBlock ({@link #add}), and hands them over with
     * the whole block ({@link #finish}). Not thread-safe: the feed client's thread only.
     */
    static final class Reader {
        // new arrays for each block, handed over with it: stores into young arrays cost G1's write barrier nothing
        private FeedFrame.PoolUpdate[] read;
        private PoolId[] pools;
        private BlockEvent[] events;
        private MalformedLogException[] malformed;
        private int count;
        private long blockNumber = -1;
        private int lastSize = 64;
        /** Committed blocks handed over decoded ahead, and decoded whole at their end (a mismatch, or none read ahead). */
        private long ahead;
        private long whole;

        /** Decodes {@code u}, an update of the open block {@code begin} (a revert's are not decoded: its block is read whole). */
        void add(FeedFrame.BeginBlock begin, FeedFrame.PoolUpdate u) {
            if (begin.isRevert()) {
                return;
            }
            if (begin.blockNumber() != blockNumber || read == null) {
                reset(); // the first update of a block, or a block cut off before its end
                blockNumber = begin.blockNumber();
                read = new FeedFrame.PoolUpdate[lastSize];
                pools = new PoolId[lastSize];
                events = new BlockEvent[lastSize];
            }
            if (count == read.length) {
                read = Arrays.copyOf(read, count * 2);
                pools = Arrays.copyOf(pools, count * 2);
                events = Arrays.copyOf(events, count * 2);
                if (malformed != null) {
                    malformed = Arrays.copyOf(malformed, count * 2);
                }
            }
            int i = count++;
            read[i] = u;
            pools[i] = u.pool();
            try {
                events[i] = u.blockEvent();
            } catch (MalformedLogException e) {
                if (malformed == null) {
                    malformed = new MalformedLogException[read.length];
                }
                malformed[i] = e;
            }
        }

        /**
         * {@code b}'s updates decoded: those decoded ahead when they are exactly the block's (the same objects, in the same
         * order), otherwise read now. Forgets what it decoded ahead either way.
         */
        DecodedUpdates finish(FeedBlock b) {
            List<FeedFrame.PoolUpdate> updates = b.updates();
            int n = updates.size();
            if (n == 0 || b.isRevert()) {
                reset();
                return read(b); // nothing to decode
            }
            boolean same = read != null && blockNumber == b.number() && count == n;
            for (int i = 0; same && i < n; i++) {
                same = read[i] == updates.get(i);
            }
            if (!same) {
                whole++;
                reset();
                return read(b);
            }
            ahead++;
            lastSize = Math.max(64, n);
            return take(blockNumber);
        }

        /** What it decoded, handed over, and forgotten. */
        private DecodedUpdates take(long number) {
            int n = count;
            DecodedUpdates d = n == 0 ? new DecodedUpdates(number, new PoolId[0], new BlockEvent[0], null)
                    : new DecodedUpdates(number, exact(pools, n), exact(events, n), malformed == null ? null : exact(malformed, n));
            reset();
            return d;
        }

        private static <T> T[] exact(T[] a, int n) {
            return a.length == n ? a : Arrays.copyOf(a, n);
        }

        /** Forgets what it decoded ahead (a block cut off, a new connection). */
        void reset() {
            read = null;
            pools = null;
            events = null;
            malformed = null;
            count = 0;
            blockNumber = -1;
        }

        /** Committed blocks handed over decoded ahead. */
        long ahead() {
            return ahead;
        }

        /** Blocks decoded whole at their end. */
        long whole() {
            return whole;
        }
    }

    int size() {
        return pools.length;
    }

    /** The block these updates are of. */
    long blockNumber() {
        return blockNumber;
    }

    /** The updates' pools, in order (shared: do not change). */
    PoolId[] pools() {
        return pools;
    }

    /**
     * The updates' events, in order (a committed block's; null where an update did not decode; shared: do not change).
     */
    BlockEvent[] events() {
        return events;
    }

    /**
     * Update {@code i}'s event (a committed block's only).
     *
     * @throws MalformedLogException when it did not decode
     */
    BlockEvent event(int i) throws MalformedLogException {
        if (events.length == 0 && pools.length > 0) {
            throw new IllegalStateException("a revert's updates are not decoded: block=" + blockNumber + " update=" + i);
        }
        BlockEvent e = events[i];
        if (e == null) {
            throw malformed[i]; // only an update that did not decode has no event
        }
        return e;
    }
}
