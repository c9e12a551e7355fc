package io.poolstate.bench;

import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.PoolCatalog;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.feed.client.FeedSource;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.feed.socket.BlockFrames;
import io.poolstate.feed.stream.StreamPublisher;
import io.poolstate.feed.whitelist.Whitelist;
import io.poolstate.nats.FeedStreamClient;
import io.poolstate.nats.FeedStreamWriter;
import io.poolstate.nats.NatsSettings;
import io.poolstate.testkit.NatsServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * EndBlock → arena applied through the feed's socket and through its JetStream stream, in one run: one feed (a
 * socket server and a stream publisher holding the lease) hands each synthetic block of V2 Sync events to both at
 * the same instant; two arenas, one on the socket and one on the stream (a 3-node NATS cluster, 3 replicas),
 * apply it; the harness times each until its view shows the block. Usage:
 * {@code java -cp benchmarks.jar io.poolstate.bench.FeedTransportHarness [blocks] [updates per block]}.
 */
public final class FeedTransportHarness {
    private FeedTransportHarness() {
    }

    public static void main(String[] args) throws Exception {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 1500;
        int perBlock = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        Path dir = Files.createTempDirectory("stream-bench");
        List<NatsServerProcess> cluster = NatsServerProcess.startCluster(dir.resolve("nats"), 3);
        String urls = NatsServerProcess.urls(cluster);
        try (Devnet devnet = Devnet.start(29645, dir.resolve("devnet"), new DevnetDeployer.Options(30, 2, 1, false))) {
            Deployment d = devnet.deployment();
            List<PoolDescriptor> v2 = d.pools().stream().filter(p -> p.protocol() == io.poolstate.dex.pool.Protocol.UNISWAP_V2).toList();
            Whitelist all = Whitelist.of(1, v2.stream().map(PoolDescriptor::id).toList());
            FeedMetrics feedMetrics = new FeedMetrics();
            ArenaAgent.Settings settings = ArenaAgent.Settings.DEFAULT.withSelfCheck(0, 0);
            try (SyntheticFeed feed = SyntheticFeed.start(dir.resolve("feed.sock"), d.chainId(), all, feedMetrics);
                 StreamPublisher stream = new StreamPublisher(NatsSettings.of(urls), d.chainId(), new StreamPublisher.Settings("bench-feed",
                         new FeedStreamWriter.Limits(100_000, 1L << 30, 3, Duration.ofMinutes(2)), Duration.ofSeconds(10), 100, 256), feedMetrics).start();
                 FeedStreamClient.Factory nats = FeedStreamClient.factory(NatsSettings.of(urls));
                 ArenaAgent onSocket = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, FeedSource.socket(feed.path()), PoolCatalog.of(v2), settings,
                         new ArenaMetrics()).start();
                 ArenaAgent onStream = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, nats, PoolCatalog.of(v2), settings, new ArenaMetrics())) {
                feed.awaitConsumer(); // the socket arena's resume is in before the first block
                // the first block is the node's head, so both arenas read their pools pinned at a real block; synthetic blocks follow
                BlockHeader head = devnet.eth().latestHeader();
                BlockFrames first = feed.first(head.number(), head.hash(), head.parentHash());
                feed.publish(first);
                stream.committed(first);
                while (!stream.active()) {
                    Thread.sleep(5);
                }
                onStream.start();
                while (onSocket.view().mode() != ArenaMode.LIVE || onStream.view().mode() != ArenaMode.LIVE) {
                    Thread.sleep(5);
                }
                SplittableRandom r = new SplittableRandom(15);
                long[] socket = new long[blocks];
                long[] jetstream = new long[blocks];
                for (int b = 0; b < blocks; b++) {
                    BlockFrames frames = feed.next(v2, perBlock, r);
                    long n = feed.number();
                    long t0 = System.nanoTime();
                    feed.publish(frames);
                    stream.committed(frames);
                    while (socket[b] == 0 || jetstream[b] == 0) {
                        long now = System.nanoTime();
                        if (socket[b] == 0 && onSocket.view().blockNumber() == n) {
                            socket[b] = now - t0;
                        }
                        if (jetstream[b] == 0 && onStream.view().blockNumber() == n) {
                            jetstream[b] = now - t0;
                        }
                        if (now - t0 > 10_000_000_000L) {
                            throw new IllegalStateException("block " + n + " not applied within 10 s: socket arena at " + onSocket.view().blockNumber()
                                    + ", stream arena at " + onStream.view().blockNumber());
                        }
                        Thread.onSpinWait();
                    }
                }
                report("socket", socket);
                report("JetStream (3-node cluster, R3)", jetstream);
            }
        } finally {
            for (NatsServerProcess s : cluster) {
                s.close();
            }
        }
    }

    private static void report(String what, long[] nanos) {
        long[] warm = Arrays.copyOfRange(nanos, nanos.length / 3, nanos.length);
        Arrays.sort(warm);
        System.out.printf("EndBlock handed to the feed -> arena view at the block, via %s: median %.0f us, p90 %.0f us, p99 %.0f us over %d blocks%n", what,
                warm[warm.length / 2] / 1e3, warm[warm.length * 9 / 10] / 1e3, warm[warm.length * 99 / 100] / 1e3, warm.length);
    }
}
