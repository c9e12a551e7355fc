package io.poolstate.arena;

import io.poolstate.feed.client.FeedBlock;
import io.poolstate.feed.client.PoolSetChange;
import io.poolstate.protocol.feed.FeedFrame;

/** What the feed client hands the arena's writer, in stream order: the arena's typed inbox entries. */
sealed interface FeedEvent {
    /** A new connection: the feed's head (number and hash) and chain. */
    record Connected(FeedFrame.Hello hello) implements FeedEvent {
    }

    /** The forwarded pools change here. */
    record PoolSetChanged(PoolSetChange change) implements FeedEvent {
    }

    /** A whole block, committed or reverted, with its updates read for the writer ({@link DecodedUpdates}). */
    record Block(FeedBlock block, DecodedUpdates updates) implements FeedEvent {
    }

    /** The feed cannot give this state the blocks it needs (deep reorg, refused resume). */
    record Rescrape(String reason) implements FeedEvent {
    }
}
