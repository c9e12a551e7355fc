package io.poolstate.feed.client;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Bytes32;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.feed.FrameFormatException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one check of a feed frame stream, whatever carries it (socket or JetStream): a replacing pool set before
 * the first block, Begin → Updates → End (numbers, hash, count, (tx, log) order ascending or, for a revert,
 * descending), pool-set parts only between blocks, every update's pool inside the set, and each End's
 * forwarded-pool count against the set. Each accepted update goes to the listener as it arrives
 * ({@link FeedClient.Listener#onUpdate}), whole blocks and whole pool-set changes when they are complete; a violation
 * is a {@link FrameFormatException} (the caller drops its transport and resumes).
 *
 * <p>Not thread-safe: the source's reading thread owns it.
 */
public final class FeedSession {
    /** Where the session's tip goes: after each delivered block, and when the feed says state must be rebuilt. */
    public interface TipSink {
        void advanced(long number, Bytes32 hash);

        void reset();
    }

    private final FeedClient.Listener listener;
    private final TipSink tip;
    private final Set<PoolId> pools = new LinkedHashSet<>();
    private boolean poolsKnown;
    private long snapshotId;
    private FeedFrame.BeginBlock begin;
    private List<FeedFrame.PoolUpdate> updates = new ArrayList<>();
    private final List<FeedFrame.PoolSet> parts = new ArrayList<>();

    public FeedSession(FeedClient.Listener listener, TipSink tip) {
        this.listener = listener;
        this.tip = tip;
    }

    /** The pools forwarded now (read-only view). */
    public Set<PoolId> pools() {
        return Collections.unmodifiableSet(pools);
    }

    /** Whether a replacing pool set has arrived. */
    public boolean poolsKnown() {
        return poolsKnown;
    }

    /** The snapshot id of the last pool set. */
    public long snapshotId() {
        return snapshotId;
    }

    /** Whether a block or a split pool set is open (a frame boundary that is not a block boundary). */
    public boolean open() {
        return begin != null || !parts.isEmpty();
    }

    /** Handles one frame; true when it ended a block or was a heartbeat. */
    public boolean accept(FeedFrame f) throws FrameFormatException {
        switch (f) {
            case FeedFrame.PoolSet p -> poolSet(p);
            case FeedFrame.BeginBlock b -> {
                if (open()) {
                    throw new FrameFormatException("BeginBlock " + b.blockNumber() + (begin != null ? " inside block " + begin.blockNumber()
                            : " inside a pool set"));
                }
                if (!poolsKnown) {
                    throw new FrameFormatException("BeginBlock " + b.blockNumber() + " before the feed named its pool set");
                }
                begin = b;
                updates.clear();
            }
            case FeedFrame.PoolUpdate u -> update(u);
            case FeedFrame.EndBlock e -> {
                end(e);
                return true;
            }
            case FeedFrame.Heartbeat hb -> {
                listener.onHeartbeat(hb.headBlockNumber());
                return true;
            }
            case FeedFrame.Rescrape r -> {
                tip.reset();
                listener.onRescrape(r);
            }
            case FeedFrame.ResumeRejected r -> {
                tip.reset();
                listener.onResumeRejected(r);
            }
            default -> throw new FrameFormatException("unexpected " + f.getClass().getSimpleName() + " from the feed");
        }
        return false;
    }

    private void poolSet(FeedFrame.PoolSet p) throws FrameFormatException {
        if (begin != null) {
            throw new FrameFormatException("PoolSet inside block " + begin.blockNumber());
        }
        if (!parts.isEmpty() && (parts.get(0).replace() != p.replace() || parts.get(0).fromBlockNumber() != p.fromBlockNumber())) {
            throw new FrameFormatException("PoolSet part does not continue the open pool set");
        }
        if (!poolsKnown && !p.replace()) {
            throw new FrameFormatException("PoolSet change before the feed named its pool set");
        }
        parts.add(p);
        if (p.more()) {
            return;
        }
        List<PoolId> added = new ArrayList<>();
        List<PoolId> removed = new ArrayList<>();
        parts.forEach(x -> {
            added.addAll(x.added());
            removed.addAll(x.removed());
        });
        parts.clear();
        if (p.replace()) {
            pools.clear();
        }
        pools.removeAll(removed);
        pools.addAll(added);
        poolsKnown = true;
        snapshotId = p.snapshotId();
        listener.onPoolSet(new PoolSetChange(p.fromBlockNumber(), p.snapshotId(), p.replace(), added, removed, pools.size()));
    }

    private void update(FeedFrame.PoolUpdate u) throws FrameFormatException {
        if (begin == null || u.blockNumber() != begin.blockNumber()) {
            throw new FrameFormatException("PoolUpdate for block " + u.blockNumber() + " outside its block");
        }
        if (!updates.isEmpty()) {
            FeedFrame.PoolUpdate prev = updates.get(updates.size() - 1);
            int order = Long.compare(((long) prev.txIndex() << 32) | prev.logIndex(), ((long) u.txIndex() << 32) | u.logIndex());
            if (begin.isRevert() ? order <= 0 : order >= 0) {
                throw new FrameFormatException("PoolUpdate out of order in block " + u.blockNumber());
            }
        }
        if (!pools.contains(u.pool())) {
            throw new FrameFormatException("PoolUpdate in block " + u.blockNumber() + " for pool " + u.pool() + " outside the forwarded set");
        }
        updates.add(u);
        listener.onUpdate(begin, u);
    }

    private void end(FeedFrame.EndBlock e) throws FrameFormatException {
        if (begin == null || e.blockNumber() != begin.blockNumber() || !e.blockHash().equals(begin.blockHash())) {
            throw new FrameFormatException("EndBlock " + e.blockNumber() + " does not close the open block");
        }
        if (e.numUpdates() != updates.size()) {
            throw new FrameFormatException("EndBlock " + e.blockNumber() + " counts " + e.numUpdates() + " updates, received " + updates.size());
        }
        if (e.forwardedPools() != pools.size()) {
            throw new FrameFormatException("EndBlock " + e.blockNumber() + " forwarded " + e.forwardedPools() + " pools, the pool set holds "
                    + pools.size());
        }
        FeedBlock block = new FeedBlock(begin, updates, e);
        begin = null;
        updates = new ArrayList<>();
        listener.onBlock(block);
        if (block.isRevert()) {
            tip.advanced(block.number() - 1, block.begin().parentHash());
        } else {
            tip.advanced(block.number(), block.begin().blockHash());
        }
    }
}
