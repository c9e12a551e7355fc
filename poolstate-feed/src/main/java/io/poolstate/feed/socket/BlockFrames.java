package io.poolstate.feed.socket;

import io.poolstate.eth.Bytes32;
import io.poolstate.feed.whitelist.Whitelist;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.feed.FrameCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * A block as sent: its frames encoded once (shared by every consumer), the frames that revert it, ready for the
 * day it is orphaned, and the pools forwarded in it.
 *
 * <p>{@code pools} is the set the block was built with and {@code parentPools} the set of the block it follows
 * (null when the feed did not send that block: after a start or a reorg deeper than its history). A consumer
 * whose set is {@code parentPools} gets {@link #enter()} ({@code pools} replaces it only as a change of the
 * difference); any other consumer gets the whole set first ({@link #replaceWith()}). A revert leaves the
 * consumer with {@code parentPools} again ({@link #leave()}). Immutable.
 */
public record BlockFrames(long number, Bytes32 hash, Bytes32 parentHash, List<byte[]> commit, List<byte[]> revert, int updates,
                          Whitelist pools, Whitelist parentPools, List<byte[]> enter, List<byte[]> leave) {

    /** Encodes a block's frames, its revert frames (updates newest first) and the pool-set changes around them. */
    public static BlockFrames of(long number, Bytes32 hash, Bytes32 parentHash, long timestamp, List<FeedFrame.PoolUpdate> updates,
                                 Whitelist pools, Whitelist parentPools) {
        List<byte[]> commit = new ArrayList<>(updates.size() + 2);
        List<byte[]> revert = new ArrayList<>(updates.size() + 2);
        commit.add(FrameCodec.encode(new FeedFrame.BeginBlock(number, hash, parentHash, timestamp, false)));
        revert.add(FrameCodec.encode(new FeedFrame.BeginBlock(number, hash, parentHash, timestamp, true)));
        List<byte[]> encoded = new ArrayList<>(updates.size());
        updates.forEach(u -> encoded.add(FrameCodec.encode(u)));
        commit.addAll(encoded);
        for (int i = encoded.size() - 1; i >= 0; i--) {
            revert.add(encoded.get(i));
        }
        byte[] end = FrameCodec.encode(new FeedFrame.EndBlock(number, hash, updates.size(), pools.snapshotId(), pools.size()));
        commit.add(end);
        revert.add(end);
        List<byte[]> enter = parentPools == null ? PoolSetFrames.replace(number, pools) : PoolSetFrames.change(number, parentPools, pools);
        List<byte[]> leave = parentPools == null ? List.of() : PoolSetFrames.change(number, pools, parentPools);
        return new BlockFrames(number, hash, parentHash, List.copyOf(commit), List.copyOf(revert), updates.size(), pools, parentPools,
                enter, leave);
    }

    /** Frames that send this block to a consumer whose pool set is {@link #parentPools()}: the change, then the block. */
    public List<byte[]> live() {
        if (enter.isEmpty()) {
            return commit;
        }
        List<byte[]> out = new ArrayList<>(enter.size() + commit.size());
        out.addAll(enter);
        out.addAll(commit);
        return out;
    }

    /** Frames that send this block to a consumer with any other pool set: the whole set, then the block. */
    public List<byte[]> replaceWith() {
        List<byte[]> out = new ArrayList<>(PoolSetFrames.replace(number, pools));
        out.addAll(commit);
        return out;
    }

    /** Frames that undo this block for a consumer that had it: the revert, then the pool set of its parent again. */
    public List<byte[]> undo() {
        if (leave.isEmpty()) {
            return revert;
        }
        List<byte[]> out = new ArrayList<>(revert.size() + leave.size());
        out.addAll(revert);
        out.addAll(leave);
        return out;
    }

    /** Whether a consumer whose set is {@code set} can take {@link #live()}. */
    public boolean follows(Whitelist set) {
        return parentPools != null && sameIds(parentPools, set);
    }

    static boolean sameIds(Whitelist a, Whitelist b) {
        return a == b || (a != null && b != null && a.snapshotId() == b.snapshotId() && a.ids().equals(b.ids()));
    }
}
