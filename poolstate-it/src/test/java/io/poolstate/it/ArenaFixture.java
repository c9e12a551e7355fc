package io.poolstate.it;

import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.chain.DevChain;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.traffic.TrafficGenerator;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.feed.chain.FeedAgent;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.feed.socket.FrameServer;
import io.poolstate.feed.whitelist.WhitelistTracker;
import io.poolstate.nats.NatsSettings;
import io.poolstate.nats.WhitelistSubscription;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * A devnet with a feed on it and traffic on a thread of its own that runs freely or one block per
 * {@link #step()}: the test then sees a chain that stands still while it compares.
 */
final class ArenaFixture implements AutoCloseable {
    final Devnet devnet;
    final Deployment d;
    final Path socket;
    private final EthClient ws;
    private final FeedMetrics feedMetrics = new FeedMetrics();
    FrameServer server;
    FeedAgent feed;
    private final Thread traffic;
    private final TrafficGenerator generator;
    private volatile boolean free = true;
    private final Semaphore permits = new Semaphore(0);
    private final SynchronousQueue<Long> mined = new SynchronousQueue<>();
    private final String natsUrl;
    private WhitelistSubscription subscription;
    WhitelistTracker whitelist;

    ArenaFixture(Devnet devnet, Path socket, long seed, int reorgEvery) throws Exception {
        this(devnet, socket, seed, reorgEvery, null);
    }

    /** {@code natsUrl}: the feed follows {@code whitelist.pools.devnet.minimal} there; null: it forwards every devnet pool. */
    ArenaFixture(Devnet devnet, Path socket, long seed, int reorgEvery, String natsUrl) throws Exception {
        this.natsUrl = natsUrl;
        this.devnet = devnet;
        this.d = devnet.deployment();
        this.socket = socket;
        this.ws = EthClient.open(d.wsUrl());
        startFeed();
        generator = new TrafficGenerator(devnet.chain(), d, new TrafficGenerator.Options(Integer.MAX_VALUE, seed, 8, reorgEvery, 3));
        traffic = Thread.ofPlatform().name("traffic").daemon().start(() -> generator.run(new TrafficGenerator.Listener() {
            @Override
            public void onBlock(long number, List<DevChain.Mined> txs) {
                try {
                    if (free) {
                        Thread.sleep(40);
                    } else {
                        mined.put(number);
                        permits.acquire();
                    }
                } catch (InterruptedException e) {
                    generator.stop();
                }
            }
        }));
    }

    void startFeed() throws Exception {
        whitelist = new WhitelistTracker(Set.of(d.contracts().poolManager()), WhitelistFold.Guard.DEFAULT);
        if (natsUrl == null) {
            whitelist.offer(WhitelistMessage.full("devnet", 1, Instant.now(), d.pools()));
        } else {
            subscription = new WhitelistSubscription(NatsSettings.of(natsUrl), "whitelist.pools.devnet.minimal", whitelist, 1 << 24).start();
        }
        server = new FrameServer(socket, d.chainId(), 256, new FrameServer.Limits(100_000, 2_000), feedMetrics).start();
        feed = new FeedAgent(ws, whitelist, server, feedMetrics, new FeedAgent.Settings(256, Duration.ofSeconds(2), Duration.ofMillis(100))).start();
    }

    void stopFeed() {
        feed.close();
        server.close();
        if (subscription != null) {
            subscription.close();
        }
    }

    /** The newest block the feed has sent to its consumers. */
    long lastSentBlock() {
        return feedMetrics.lastSentBlock.get();
    }

    /** From now on traffic mines one block per {@link #step()}. */
    void stepwise() throws InterruptedException {
        free = false;
        mined.poll(10, TimeUnit.SECONDS); // the block in flight when switching
    }

    /** Traffic runs freely again (until the next {@link #stepwise()}). */
    void resume() {
        free = true;
        permits.release();
    }

    /** Lets traffic mine the next block and returns its number once it is mined (the chain then stands still). */
    long step() throws InterruptedException {
        permits.release();
        Long n = mined.poll(30, TimeUnit.SECONDS);
        if (n == null) {
            throw new AssertionError("traffic did not mine a block within 30 s");
        }
        return n;
    }

    @Override
    public void close() {
        generator.stop();
        free = true;
        permits.release(1000);
        traffic.interrupt();
        stopFeed();
        ws.close();
    }
}
