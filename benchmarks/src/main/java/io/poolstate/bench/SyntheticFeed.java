package io.poolstate.bench;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.eth.Bytes32;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.feed.socket.BlockFrames;
import io.poolstate.feed.socket.FrameServer;
import io.poolstate.feed.whitelist.Whitelist;
import io.poolstate.protocol.feed.FeedFrame;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A feed the harness drives: a feed socket ({@link FrameServer}, 1,000,000 frames of queue per consumer) on which it
 * publishes synthetic blocks — random state-setting events ({@link ArenaHarness#update}) on the pools of one fixed
 * whitelist — one after the other from a block the consumers start at. The node never sees these blocks; an arena
 * consuming them reads pool state from the node only at the first one. Owned by the harness's main thread.
 */
final class SyntheticFeed implements AutoCloseable {
    private final FrameServer server;
    private final Whitelist pools;
    private long number;
    private Bytes32 hash;

    private SyntheticFeed(FrameServer server, Whitelist pools) {
        this.server = server;
        this.pools = pools;
    }

    /** Serves the feed socket at {@code socket} for chain {@code chainId}, every block with the pool set {@code pools}. */
    static SyntheticFeed start(Path socket, long chainId, Whitelist pools, FeedMetrics metrics) throws IOException {
        return new SyntheticFeed(new FrameServer(socket, chainId, 256, new FrameServer.Limits(1_000_000, 2_000), metrics).start(), pools);
    }

    FrameServer server() {
        return server;
    }

    Path path() {
        return server.path();
    }

    /** The newest block built. */
    long number() {
        return number;
    }

    /** Waits for the first consumer, then 300 ms more so that its resume is in before the first block. */
    void awaitConsumer() throws InterruptedException {
        while (server.consumers() == 0) {
            Thread.sleep(5);
        }
        Thread.sleep(300);
    }

    /** Builds the block consumers start at: {@code number} ({@code hash}, parent {@code parent}), no events, the pool set. */
    BlockFrames first(long number, Bytes32 hash, Bytes32 parent) {
        this.number = number;
        this.hash = hash;
        return BlockFrames.of(number, hash, parent, 0, List.of(), pools, null);
    }

    /** Builds the next block: {@code events} random state-setting events on pools drawn from {@code catalog} with {@code r}. */
    BlockFrames next(List<PoolDescriptor> catalog, int events, SplittableRandom r) {
        Bytes32 parent = hash;
        number++;
        hash = ArenaHarness.hash(number);
        List<FeedFrame.PoolUpdate> updates = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            updates.add(ArenaHarness.update(number, i, catalog.get(r.nextInt(catalog.size())), r));
        }
        return BlockFrames.of(number, hash, parent, 0, updates, pools, pools);
    }

    /** Sends a built block to the socket's consumers. */
    void publish(BlockFrames block) {
        server.publishCommit(block);
    }

    @Override
    public void close() {
        server.close();
    }
}
