package io.poolstate.feed.socket;

import io.poolstate.eth.Bytes32;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.feed.FrameCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * A block as sent: its frames encoded once (shared by every consumer), plus the frames that revert it, ready
 * for the day it is orphaned. Immutable.
 */
public record BlockFrames(long number, Bytes32 hash, Bytes32 parentHash, List<byte[]> commit, List<byte[]> revert, int updates) {

    /** Encodes a committed block's frames and its revert frames (updates newest first). */
    public static BlockFrames of(long number, Bytes32 hash, Bytes32 parentHash, long timestamp, List<FeedFrame.PoolUpdate> updates,
                                 long whitelistSnapshotId) {
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
        byte[] end = FrameCodec.encode(new FeedFrame.EndBlock(number, hash, updates.size(), whitelistSnapshotId));
        commit.add(end);
        revert.add(end);
        return new BlockFrames(number, hash, parentHash, List.copyOf(commit), List.copyOf(revert), updates.size());
    }
}
