package io.poolstate.bench;

import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.PoolCatalog;
import io.poolstate.arena.stream.StreamHub;
import io.poolstate.client.ArenaStream;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.eth.Address;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.feed.socket.BlockFrames;
import io.poolstate.http.push.PushServer;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Push stream latency: EndBlock sent by a harness-controlled feed socket → the block's message received and applied
 * by a stream client ({@link ArenaStream}, JDK WebSocket) — the arena's apply and publish, the stream's encoding and
 * the WebSocket included. Two subscribers (every pool; the pools of one token), each block {@code events} random
 * state-setting events; then the same with a third subscriber that never reads (dropped when its queue fills). In the
 * same loop, EndBlock → the arena's view published, so the stream's own share is the difference.
 * Usage: {@code java -cp benchmarks.jar io.poolstate.bench.StreamHarness [pools] [blocks] [events]}.
 */
public final class StreamHarness {
    private StreamHarness() {
    }

    public static void main(String[] args) throws Exception {
        int poolCount = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int events = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Path dir = Files.createTempDirectory("stream-bench");
        try (Devnet devnet = Devnet.start(29547, dir.resolve("devnet"), new DevnetDeployer.Options(poolCount, 6, 1))) {
            Deployment d = devnet.deployment();
            ArenaMetrics metrics = new ArenaMetrics();
            io.poolstate.feed.whitelist.Whitelist all = io.poolstate.feed.whitelist.Whitelist.of(1, d.pools().stream().map(PoolDescriptor::id).toList());
            StreamHub hub = new StreamHub(metrics, 1024).start();
            ArenaAgent.Settings defaults = ArenaAgent.Settings.DEFAULT;
            // no heartbeats on the harness's socket: trust it through a long start-up read on a loaded machine
            ArenaAgent.Settings settings = new ArenaAgent.Settings(defaults.bufferBlocks(), defaults.journalDepth(), defaults.scrape(), 0, 0, null, defaults.checkpointEvery(), 0,
                    java.time.Duration.ofMinutes(10), defaults.metadataWait(), defaults.writerIdle(), defaults.warmUpBlocks());
            ArenaAgent arena = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, dir.resolve("synthetic.sock"), PoolCatalog.of(d.pools()), settings, metrics)
                    .listen(hub);
            try (SyntheticFeed feed = SyntheticFeed.start(dir.resolve("synthetic.sock"), d.chainId(), all, new FeedMetrics());
                 ArenaAgent started = arena.start();
                 PushServer push = PushServer.start("127.0.0.1", 0, "/v1/stream", hub, PushServer.Settings.DEFAULT.withQueue(256).withSendBuffer(65536))) {
                feed.awaitConsumer();
                BlockHeader head = devnet.eth().latestHeader();
                feed.publish(feed.first(head.number() + 1, ArenaHarness.hash(head.number() + 1), head.hash()));
                while (arena.view().mode() != ArenaMode.LIVE) {
                    Thread.sleep(5);
                }
                URI url = URI.create("ws://127.0.0.1:" + push.address().getPort() + "/v1/stream");
                ConcurrentMap<Long, Long> gotAll = new ConcurrentHashMap<>();
                ConcurrentMap<Long, Long> gotToken = new ConcurrentHashMap<>();
                Address token = d.pools().get(0).token0().address();
                long tokenPools = d.pools().stream().filter(p -> p.token0().address().equals(token) || p.token1().address().equals(token)).count();
                try (ArenaStream a = new ArenaStream(url, ArenaStream.Subscription.ALL, (m, s) -> gotAll.put(s.blockNumber(), System.nanoTime())).start();
                     ArenaStream t = new ArenaStream(url, new ArenaStream.Subscription(List.of(), List.of(token)),
                             (m, s) -> gotToken.put(s.blockNumber(), System.nanoTime())).start()) {
                    while (a.state() == null || t.state() == null) {
                        Thread.sleep(5);
                    }
                    SplittableRandom r = new SplittableRandom(5);
                    System.out.printf("stream latency, EndBlock sent -> message applied by the client; %d pools, %d events per block, %d blocks (first third"
                            + " not counted); subscribers: every pool, and the %d pools of one token%n", d.pools().size(), events, blocks, tokenPools);
                    run("two subscribers", blocks, events, d, feed, r, gotAll, gotToken, arena);
                    try (Socket stuck = stuck(push.address().getPort())) {
                        run("two subscribers and one that stopped reading", blocks, events, d, feed, r, gotAll, gotToken, arena);
                        System.out.printf("  the subscriber that stopped reading: dropped=%d (queue 256 messages, send buffer 64 KiB)%n",
                                (long) metrics.streamDropped.count());
                    }
                }
            } finally {
                hub.close();
            }
        }
    }

    private static void run(String what, int blocks, int events, Deployment d, SyntheticFeed feed, SplittableRandom r, ConcurrentMap<Long, Long> gotAll,
                            ConcurrentMap<Long, Long> gotToken, ArenaAgent arena) throws Exception {
        long[] latView = new long[blocks];
        long[] latAll = new long[blocks];
        long[] latToken = new long[blocks];
        for (int b = 0; b < blocks; b++) {
            BlockFrames frames = feed.next(d.pools(), events, r);
            long block = feed.number();
            long t0 = System.nanoTime();
            feed.publish(frames);
            while (arena.view().blockNumber() != block) {
                if (System.nanoTime() - t0 > 10_000_000_000L) {
                    throw new IllegalStateException("the arena did not apply block " + block);
                }
                Thread.onSpinWait();
            }
            latView[b] = System.nanoTime() - t0;
            while (!gotAll.containsKey(block) || !gotToken.containsKey(block)) {
                if (System.nanoTime() - t0 > 10_000_000_000L) {
                    throw new IllegalStateException("the stream did not deliver block " + block);
                }
                Thread.onSpinWait();
            }
            latAll[b] = gotAll.remove(block) - t0;
            latToken[b] = gotToken.remove(block) - t0;
        }
        report(what + ", the arena's view published (no stream)", latView);
        report(what + ", every pool", latAll);
        report(what + ", one token", latToken);
    }

    private static void report(String what, long[] lat) {
        long[] warm = Arrays.copyOfRange(lat, lat.length / 3, lat.length);
        Arrays.sort(warm);
        System.out.printf("  %s: median %.0f us, p99 %.0f us, max %.0f us%n", what, warm[warm.length / 2] / 1e3, warm[warm.length * 99 / 100] / 1e3,
                warm[warm.length - 1] / 1e3);
    }

    private static Socket stuck(int port) throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        s.getOutputStream().write(("GET /v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return s;
    }
}
