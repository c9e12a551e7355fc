package io.poolstate.feed.client;

import io.poolstate.protocol.feed.FeedFrame;
import java.util.List;

/** One complete block from the feed: its begin frame (revert flag included), its updates in sent order, its end. */
public record FeedBlock(FeedFrame.BeginBlock begin, List<FeedFrame.PoolUpdate> updates, FeedFrame.EndBlock end) {
    public FeedBlock {
        updates = List.copyOf(updates);
    }

    public long number() {
        return begin.blockNumber();
    }

    public boolean isRevert() {
        return begin.isRevert();
    }
}
