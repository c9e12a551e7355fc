package io.poolstate.bench;

import io.poolstate.protocol.whitelist.WhitelistFold;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.http.ArenaHttpServer;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.traffic.TrafficGenerator;
import io.poolstate.dex.math.TickMath;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Keccak256;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.feed.chain.FeedAgent;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.feed.socket.BlockFrames;
import io.poolstate.feed.socket.FrameServer;
import io.poolstate.feed.whitelist.WhitelistTracker;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.testkit.SyntheticUpdates;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The arena on a 1,000-pool devnet: (1) cold start to live with traffic running; (2) block apply latency for
 * blocks of 200 events (the arena's own timer: decode, apply, snapshot, publish), fed by a harness-controlled
 * socket; (3) API requests per second for {@code /v1/pools/{id}} and {@code /quote}. Usage:
 * {@code java -cp benchmarks.jar io.poolstate.bench.ArenaHarness [pools]}.
 */
public final class ArenaHarness {
    private ArenaHarness() {
    }

    public static void main(String[] args) throws Exception {
        int poolCount = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path dir = Files.createTempDirectory("arena-bench");
        try (Devnet devnet = Devnet.start(29545, dir.resolve("devnet"), new DevnetDeployer.Options(poolCount, 6, 1));
             EthClient ws = EthClient.open(devnet.deployment().wsUrl())) {
            FeedMetrics feedMetrics = new FeedMetrics();
            Deployment d = devnet.deployment();
            coldStart(devnet, ws, feedMetrics, dir);
            applyAndApi(devnet, d, feedMetrics, dir);
        }
    }

    private static void coldStart(Devnet devnet, EthClient ws, FeedMetrics feedMetrics, Path dir) throws Exception {
        Deployment d = devnet.deployment();
        WhitelistTracker whitelist = new WhitelistTracker(Set.of(d.contracts().poolManager()), WhitelistFold.Guard.NONE);
        whitelist.offer(WhitelistMessage.full("devnet", 1, Instant.now(), d.pools()));
        TrafficGenerator traffic = new TrafficGenerator(devnet.chain(), d, new TrafficGenerator.Options(Integer.MAX_VALUE, 3, 20, 0, 1));
        try (FrameServer server = new FrameServer(dir.resolve("feed.sock"), d.chainId(), 256, new FrameServer.Limits(100_000, 2_000), feedMetrics).start();
             FeedAgent feed = new FeedAgent(ws, whitelist, server, feedMetrics, FeedAgent.Settings.DEFAULT).start()) {
            Thread t = Thread.ofPlatform().start(() -> traffic.run((n, txs) -> sleep(200)));
            sleep(1500);
            long t0 = System.nanoTime();
            ArenaMetrics metrics = new ArenaMetrics();
            try (ArenaAgent arena = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, server.path(), io.poolstate.arena.PoolCatalog.of(d.pools()), ArenaAgent.Settings.DEFAULT, metrics).start()) {
                while (arena.view().mode() != ArenaMode.LIVE) {
                    Thread.sleep(5);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                long pinned = arena.view().scrapedAt().values().iterator().next();
                System.out.printf("cold start: %d pools live in %.2f s (scraped at block %d, live at block %d, traffic of 20 txs every 200 ms running)%n",
                        arena.view().pools().size(), seconds, pinned, arena.view().blockNumber());
            }
            traffic.stop();
            t.join();
        }
    }

    private static void applyAndApi(Devnet devnet, Deployment d, FeedMetrics feedMetrics, Path dir) throws Exception {
        ArenaMetrics metrics = new ArenaMetrics();
        ArenaAgent.Settings settings = ArenaAgent.Settings.DEFAULT.withSelfCheck(0, 0);
        io.poolstate.feed.whitelist.Whitelist all = io.poolstate.feed.whitelist.Whitelist.of(1, d.pools().stream().map(PoolDescriptor::id).toList());
        try (SyntheticFeed feed = SyntheticFeed.start(dir.resolve("synthetic.sock"), d.chainId(), all, feedMetrics);
             ArenaAgent arena = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, feed.path(), io.poolstate.arena.PoolCatalog.of(d.pools()), settings, metrics).start()) {
            feed.awaitConsumer();
            BlockHeader head = devnet.eth().latestHeader();
            feed.publish(feed.first(head.number() + 1, hash(head.number() + 1), head.hash()));
            while (arena.view().mode() != ArenaMode.LIVE) {
                Thread.sleep(5);
            }
            SplittableRandom r = new SplittableRandom(5);
            List<PoolDescriptor> pools = d.pools();
            int blocks = 3000;
            long[] endToEnd = new long[blocks];
            for (int b = 0; b < blocks; b++) {
                BlockFrames frames = feed.next(pools, 200, r);
                long n = feed.number();
                long t0 = System.nanoTime();
                feed.publish(frames);
                while (arena.view().blockNumber() != n) {
                    if (System.nanoTime() - t0 > 10_000_000_000L) {
                        throw new IllegalStateException("the arena did not apply synthetic block " + n + " (mode " + arena.view().mode() + ")");
                    }
                    Thread.onSpinWait();
                }
                endToEnd[b] = System.nanoTime() - t0;
            }
            long[] warm = Arrays.copyOfRange(endToEnd, blocks / 3, blocks);
            Arrays.sort(warm);
            var snap = metrics.blockApply.takeSnapshot();
            double p50 = Double.NaN;
            double p99 = Double.NaN;
            for (ValueAtPercentile v : snap.percentileValues()) {
                if (v.percentile() == 0.5) {
                    p50 = v.value(java.util.concurrent.TimeUnit.MICROSECONDS);
                } else if (v.percentile() == 0.99) {
                    p99 = v.value(java.util.concurrent.TimeUnit.MICROSECONDS);
                }
            }
            System.out.printf("block apply (arena timer: look-ups, apply, snapshot, publish; decoded before, on the feed client thread), 200 events over %d pools: median %.0f us, p99 %.0f us over %d blocks%n",
                    pools.size(), p50, p99, blocks);
            System.out.printf("EndBlock sent -> view published (socket and client included): median %.0f us, p99 %.0f us%n",
                    warm[warm.length / 2] / 1e3, warm[warm.length * 99 / 100] / 1e3);

            try (ArenaHttpServer api = new ArenaHttpServer("127.0.0.1", 0, arena::view,
                    v -> new io.poolstate.arena.ChainWatch.Freshness(false, null, v.blockNumber(), v.blockNumber(), 0), metrics).start()) {
                String base = "http://127.0.0.1:" + api.address().getPort();
                List<PoolDescriptor> v3 = d.pools(Protocol.UNISWAP_V3);
                load("GET /v1/pools/{id} (V3 pools with their ticks)", () -> base + "/v1/pools/" + v3.get(r.nextInt(v3.size())).id());
                load("GET /v1/pools/{id}/quote (V3, exact input)", () -> base + "/v1/pools/" + v3.get(r.nextInt(v3.size())).id()
                        + "/quote?zero_for_one=" + r.nextBoolean() + "&amount_in=" + BigInteger.TEN.pow(6 + r.nextInt(12)));
            }
        }
    }

    static void load(String what, java.util.function.Supplier<String> url) throws Exception {
        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 16; c++) {
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        try {
                            HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(URI.create(url.get())).build(), HttpResponse.BodyHandlers.ofByteArray());
                            (res.statusCode() == 200 || res.statusCode() == 422 ? ok : failed).incrementAndGet();
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
        }
        System.out.printf("API %s: %.0f requests/s (16 concurrent clients, 8 s, loopback, HTTP/1.1), %d failed%n", what, ok.get() / 8.0, failed.get());
    }

    static Bytes32 hash(long n) {
        return Bytes32.wrap(Keccak256.hash(("synthetic-" + n).getBytes()));
    }

    /** A state-setting event valid on any state: V2 Sync, V3 Swap or V4 Swap with a consistent price and tick. */
    public static FeedFrame.PoolUpdate update(long block, int i, PoolDescriptor p, SplittableRandom r) {
        int tick = r.nextInt(-50_000, 50_000);
        BigInteger price = TickMath.getSqrtRatioAtTick(tick);
        BigInteger liquidity = BigInteger.valueOf(r.nextLong(1, Long.MAX_VALUE));
        Bytes32 tx = hash(block * 1000 + i);
        return switch (p.protocol()) {
            case UNISWAP_V2 -> SyntheticUpdates.sync(block, i, tx, p, BigInteger.valueOf(r.nextLong(1, Long.MAX_VALUE)),
                    BigInteger.valueOf(r.nextLong(1, Long.MAX_VALUE)));
            case UNISWAP_V3, UNISWAP_V4 -> SyntheticUpdates.swap(block, i, tx, p, price, tick, liquidity);
        };
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
