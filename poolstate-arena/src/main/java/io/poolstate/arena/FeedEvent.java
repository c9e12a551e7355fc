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

    /** A whole block, committed or reverted, with its updates read for the writer ({@link DecodedUpdates#read}). */
    record Block(FeedBlock block, DecodedUpdates updates) implements FeedEvent {
        public Block {
            if (updates.blockNumber() != block.number() || updates.size() != block.updates().size()) {
                throw new IllegalArgumentException("decoded updates do not match the block's: block=" + block.number() + " updates="
                        + block.updates().size() + " decoded_block=" + updates.blockNumber() + " decoded=" + updates.size());
            }
        }

        /** {@code block}, its updates read on the calling thread. */
        Block(FeedBlock block) {
            this(block, DecodedUpdates.read(block));
        }
    }

    /** The feed cannot give this state the blocks it needs (deep reorg, refused resume). */
    record Rescrape(String reason) implements FeedEvent {
    }
}
