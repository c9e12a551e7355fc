package io.poolstate.feed.client;

import io.poolstate.eth.Bytes32;
import io.poolstate.protocol.feed.FeedFrame;

/**
 * Where a consumer's feed stream comes from: the feed's Unix socket ({@link FeedClient}) or a JetStream stream of
 * the feed's blocks (in {@code poolstate-nats}). Either way the frames go through one {@link FeedSession} and the
 * listener sees the same things: a Hello, a replacing pool set, then whole blocks and pool-set changes in stream
 * order; a lost transport is resumed after the last block delivered.
 *
 * <p>Threads: a source owns its reading thread and calls the listener on it.
 */
public interface FeedSource extends AutoCloseable {
    /** Starts reading; returns at once. */
    FeedSource start();

    /** The block the source would resume after: the last block delivered, or the parent of a reverted one. */
    FeedFrame.Resume tip();

    /** The id of the feed whose blocks arrive now, when the transport says (the JetStream stream's publisher); null otherwise. */
    default String activeFeed() {
        return null;
    }

    @Override
    void close();

    /** Opens sources of one kind: resuming after (number, hash), 0 for none. */
    interface Factory {
        FeedSource open(long afterNumber, Bytes32 afterHash, FeedClient.Listener listener, FeedClient.Settings settings);

        /** Where it reads from, for logs (no secrets). */
        String describe();
    }

    /** The factory of socket sources on {@code socket}. */
    static Factory socket(java.nio.file.Path socket) {
        return new Factory() {
            @Override
            public FeedSource open(long afterNumber, Bytes32 afterHash, FeedClient.Listener listener, FeedClient.Settings settings) {
                return new FeedClient(socket, afterNumber, afterHash, listener, settings);
            }

            @Override
            public String describe() {
                return "socket " + socket;
            }
        };
    }
}
