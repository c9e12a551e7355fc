package io.poolstate.feed.socket;

import io.poolstate.eth.Bytes32;
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
    /** What to send a resuming consumer, or why not. */
    record Catchup(List<byte[]> frames, FeedFrame.ResumeRejected rejected) {
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

    long newest() {
        return canonical.isEmpty() ? 0 : canonical.lastKey();
    }

    /** Commit frames of the canonical blocks numbered {@code from} and later, or null when the first does not follow {@code parent}. */
    List<byte[]> canonicalFrom(long from, Bytes32 parent) {
        List<byte[]> frames = new ArrayList<>();
        Bytes32 expected = parent;
        for (BlockFrames b : canonical.tailMap(from, true).values()) {
            if (!b.parentHash().equals(expected)) {
                return null;
            }
            frames.addAll(b.commit());
            expected = b.hash();
        }
        return frames;
    }

    boolean isEmpty() {
        return canonical.isEmpty();
    }

    Catchup after(long number, Bytes32 hash) {
        BlockFrames mine = sent.get(hash);
        if (mine == null || mine.number() != number) {
            boolean old = canonical.isEmpty() || number < canonical.firstKey();
            return new Catchup(List.of(), new FeedFrame.ResumeRejected(old ? FeedFrame.RejectReason.TOO_OLD : FeedFrame.RejectReason.UNKNOWN_HASH,
                    oldest(), old ? "block " + number + " is older than the feed's history (oldest " + oldest() + "): rescrape"
                            : "block " + number + " " + hash + " is not one the feed sent: rescrape"));
        }
        List<byte[]> frames = new ArrayList<>();
        BlockFrames cur = mine;
        while (canonical.get(cur.number()) != cur) {
            frames.addAll(cur.revert());
            BlockFrames parent = sent.get(cur.parentHash());
            if (parent == null) {
                return new Catchup(List.of(), new FeedFrame.ResumeRejected(FeedFrame.RejectReason.TOO_OLD, oldest(),
                        "the chain of block " + number + " leaves the feed's history: rescrape"));
            }
            cur = parent;
        }
        for (BlockFrames b : canonical.tailMap(cur.number(), false).values()) {
            frames.addAll(b.commit());
        }
        return new Catchup(frames, null);
    }
}
