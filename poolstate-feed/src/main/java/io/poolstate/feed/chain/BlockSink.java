package io.poolstate.feed.chain;

import io.poolstate.feed.socket.BlockFrames;
import io.poolstate.protocol.feed.FeedFrame;

/**
 * Takes what the follower sends besides the socket (the JetStream stream publisher): each block committed, each
 * block reverted (newest first) and each rescrape, in the follower's order. Called on the follower thread: an
 * implementation hands the work to its own thread and returns at once.
 */
public interface BlockSink {
    void committed(BlockFrames block);

    void reverted(BlockFrames block);

    void rescrape(FeedFrame.Rescrape rescrape);
}
