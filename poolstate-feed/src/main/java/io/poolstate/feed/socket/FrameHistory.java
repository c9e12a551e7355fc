package io.poolstate.feed.socket;

import io.poolstate.eth.Bytes32;
import io.poolstate.feed.whitelist.Whitelist;
import io.poolstate.protocol.feed.FeedFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last {@code depth} canonical blocks sent, plus blocks sent and later orphaned, so a consumer that
 * resumes after block (N, H) gets exactly what it missed: reverts of its blocks that are no longer canonical,
 * newest first, then the canonical blocks after the common ancestor. Guarded by the {@link FrameServer}'s lock.
 */
final class FrameHistory {
    /**
     * What a resuming consumer missed: the pool set of the block it resumes after, its blocks to revert (newest
     * first) and the canonical blocks to send; or why it cannot be served.
     */
    record Catchup(Whitelist start, List<BlockFrames> reverts, List<BlockFrames> commits, FeedFrame.ResumeRejected rejected) {
        static Catchup rejected(FeedFrame.ResumeRejected why) {
            return new Catchup(null, List.of(), List.of(), why);
        }
    }

    private final int depth;
    private final TreeMap<Long, BlockFrames> canonical = new TreeMap<>();
    private final Map<Bytes32, BlockFrames> sent = new HashMap<>();

    FrameHistory(int depth) {
        this.depth = depth;
    }

    void committed(BlockFrames b) {
        canonical.put(b.number(), b);
        sent.put(b.hash(), b);
        while (canonical.size() > depth) {
            canonical.pollFirstEntry();
        }
        long oldest = canonical.firstKey();
        sent.values().removeIf(x -> x.number() < oldest);
    }

    void reverted(BlockFrames b) {
        canonical.remove(b.number(), b);
    }

    void clear() {
        canonical.clear();
        sent.clear();
    }

    long oldest() {
        return canonical.isEmpty() ? 0 : canonical.firstKey();
    }

    /** The newest canonical block, or null before any. */
    BlockFrames newest() {
        return canonical.isEmpty() ? null : canonical.lastEntry().getValue();
    }

    boolean isEmpty() {
        return canonical.isEmpty();
    }

    /** The canonical blocks numbered {@code from} and later, or null when the first does not follow {@code parent}. */
    List<BlockFrames> canonicalFrom(long from, Bytes32 parent) {
        List<BlockFrames> out = new ArrayList<>();
        Bytes32 expected = parent;
        for (BlockFrames b : canonical.tailMap(from, true).values()) {
            if (!b.parentHash().equals(expected)) {
                return null;
            }
            out.add(b);
            expected = b.hash();
        }
        return out;
    }

    Catchup after(long number, Bytes32 hash) {
        BlockFrames mine = sent.get(hash);
        if (mine == null || mine.number() != number) {
            boolean old = canonical.isEmpty() || number < canonical.firstKey();
            return Catchup.rejected(new FeedFrame.ResumeRejected(old ? FeedFrame.RejectReason.TOO_OLD : FeedFrame.RejectReason.UNKNOWN_HASH,
                    oldest(), old ? "block " + number + " is older than the feed's history (oldest " + oldest() + "): rescrape"
                            : "block " + number + " " + hash + " is not one the feed sent: rescrape"));
        }
        List<BlockFrames> reverts = new ArrayList<>();
        BlockFrames cur = mine;
        while (canonical.get(cur.number()) != cur) {
            reverts.add(cur);
            BlockFrames parent = sent.get(cur.parentHash());
            if (parent == null) {
                return Catchup.rejected(new FeedFrame.ResumeRejected(FeedFrame.RejectReason.TOO_OLD, oldest(),
                        "the chain of block " + number + " leaves the feed's history: rescrape"));
            }
            cur = parent;
        }
        return new Catchup(mine.pools(), reverts, List.copyOf(canonical.tailMap(cur.number(), false).values()), null);
    }
}
