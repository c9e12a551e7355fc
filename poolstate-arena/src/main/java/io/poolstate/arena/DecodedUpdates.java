package io.poolstate.arena;

import io.poolstate.dex.event.MalformedLogException;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.state.BlockEvent;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.protocol.feed.FeedFrame;
import java.util.List;

/**
 * A block's updates read for the writer on the thread that received them (the feed client's, while their bytes are in
 * its caches): per update, in the block's order, its pool and its {@link BlockEvent} — or why it does not decode, which
 * the writer raises only if it applies that update. The writer then neither decodes nor touches the frames' bytes; a
 * revert's updates are not decoded (a revert goes through the journal). Immutable once built: built by one thread,
 * handed to the writer through the inbox's queue.
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
        List<FeedFrame.PoolUpdate> updates = b.updates();
        int n = updates.size();
        PoolId[] pools = new PoolId[n];
        BlockEvent[] events = new BlockEvent[b.isRevert() ? 0 : n];
        MalformedLogException[] malformed = null;
        for (int i = 0; i < n; i++) {
            FeedFrame.PoolUpdate u = updates.get(i);
            pools[i] = u.pool();
            if (b.isRevert()) {
                continue;
            }
            try {
                events[i] = u.blockEvent();
            } catch (MalformedLogException e) {
                if (malformed == null) {
                    malformed = new MalformedLogException[n];
                }
                malformed[i] = e;
            }
        }
        return new DecodedUpdates(b.number(), pools, events, malformed);
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
