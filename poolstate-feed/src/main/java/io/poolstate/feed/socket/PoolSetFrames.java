package io.poolstate.feed.socket;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.feed.whitelist.Whitelist;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.feed.FrameCodec;
import java.util.ArrayList;
import java.util.List;

/** Encodes pool-set changes as {@link FeedFrame.PoolSet} frames, split into parts of at most {@link FrameCodec#POOL_SET_IDS_PER_PART} ids. */
public final class PoolSetFrames {
    private PoolSetFrames() {
    }

    /** The whole set, in force from block {@code from}. */
    public static List<byte[]> replace(long from, Whitelist set) {
        return parts(from, set.snapshotId(), true, List.copyOf(set.ids()), List.of());
    }

    /** The change from {@code before} to {@code after}, in force from block {@code from}; none when they hold the same pools. */
    public static List<byte[]> change(long from, Whitelist before, Whitelist after) {
        if (before == after) {
            return List.of();
        }
        List<PoolId> added = after.ids().stream().filter(id -> !before.ids().contains(id)).toList();
        List<PoolId> removed = before.ids().stream().filter(id -> !after.ids().contains(id)).toList();
        if (added.isEmpty() && removed.isEmpty()) {
            return List.of();
        }
        return parts(from, after.snapshotId(), false, added, removed);
    }

    private static List<byte[]> parts(long from, long snapshot, boolean replace, List<PoolId> added, List<PoolId> removed) {
        int per = FrameCodec.POOL_SET_IDS_PER_PART;
        int total = added.size() + removed.size();
        List<byte[]> out = new ArrayList<>();
        int a = 0;
        int r = 0;
        do {
            int take = per;
            List<PoolId> pa = added.subList(a, Math.min(added.size(), a + take));
            a += pa.size();
            take -= pa.size();
            List<PoolId> pr = removed.subList(r, Math.min(removed.size(), r + take));
            r += pr.size();
            boolean more = a + r < total;
            out.add(FrameCodec.encode(new FeedFrame.PoolSet(from, snapshot, replace, more, pa, pr)));
        } while (a + r < total);
        return List.copyOf(out);
    }
}
