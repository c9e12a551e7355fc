package io.poolstate.app.demo;

import io.poolstate.app.HostPort;
import io.poolstate.app.config.EnvVar;
import io.poolstate.app.options.HttpLimitOptions;
import io.poolstate.app.options.NatsOptions;
import io.poolstate.app.options.PostgresOptions;
import io.poolstate.nats.NatsSettings;
import io.poolstate.postgres.PostgresSettings;
import io.poolstate.app.Home;
import io.poolstate.app.arena.ArenaDashboard;
import io.poolstate.app.arena.ArenaService;
import io.poolstate.app.feed.FeedService;
import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.PoolCatalog;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.chain.DevChain;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.traffic.TrafficGenerator;
import io.poolstate.feed.chain.FeedAgent;
import io.poolstate.feed.client.FeedClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The system on a local chain, in one JVM: a devnet with live traffic (reorgs included), the feed following it
 * over WebSocket with the devnet's pools as its whitelist, and a feed consumer printing every pool event it
 * receives. Ctrl-C stops traffic, consumer, feed and Anvil.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Everything on a local chain: devnet, live traffic, feed, events")
public final class DemoCommand implements Callable<Integer> {
    @EnvVar("POOLSTATE_DEVNET_PORT")
    @Option(names = "--port", defaultValue = "8545", description = "Devnet port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--pools", defaultValue = "30", description = "Pools on the devnet (default: ${DEFAULT-VALUE}).")
    int pools;

    @Option(names = "--txs-per-block", defaultValue = "6", description = "Transactions per block (default: ${DEFAULT-VALUE}).")
    int txsPerBlock;

    @Option(names = "--block-time", defaultValue = "1000", description = "Milliseconds between blocks (default: ${DEFAULT-VALUE}).")
    long blockTimeMs;

    @Option(names = "--reorg-every", defaultValue = "20", description = "Blocks between reorgs, 0 = none (default: ${DEFAULT-VALUE}).")
    int reorgEvery;

    @Option(names = "--blocks", defaultValue = "0", description = "Stop after this many blocks; 0 = run until Ctrl-C (default: ${DEFAULT-VALUE}).")
    int blocks;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for deployment and traffic (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--hooked-pools", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Add hooked V4 pools (v4-core test hooks) to the devnet; --no-hooked-pools for plain pools only (default: ${DEFAULT-VALUE}).")
    boolean hookedPools;

    @Option(names = "--events", description = "Print every pool event the feed sends.")
    boolean events;

    @Option(names = "--http", defaultValue = "127.0.0.1:8080", description = "Arena API address; port 0 picks a free one (default: ${DEFAULT-VALUE}).")
    String http;

    @Option(names = "--stream", defaultValue = "127.0.0.1:0",
            description = "Arena push stream address (WebSocket and Server-Sent Events at /v1/stream); port 0 picks a free one (default: ${DEFAULT-VALUE}).")
    String stream;

    @Mixin
    NatsOptions nats;

    @Mixin
    PostgresOptions postgres;

    @Mixin
    HttpLimitOptions httpLimits;

    @Option(names = "--whitelist-interval", defaultValue = "PT15S", description = "Time between whitelist runs (default: ${DEFAULT-VALUE}).")
    Duration whitelistInterval;

    @Option(names = "--whale-interval", defaultValue = "20s", description = "Time between whale snapshots, e.g. 20s, 1m (default: ${DEFAULT-VALUE}).")
    String whaleInterval;

    @Override
    public Integer call() throws Exception {
        httpLimits.install();
        NatsSettings natsSettings = nats.settings(NatsOptions.LOCAL);
        PostgresSettings pg = postgres.settings();
        Path dir = Home.dir().resolve("demo");
        Devnet devnet = Devnet.start(port, dir, new DevnetDeployer.Options(pools, 8, seed, hookedPools));
        var d = devnet.deployment();
        String chain = "demo" + System.currentTimeMillis(); // subjects of this run only, on a NATS that may be shared
        DemoWhitelist whitelist;
        DemoWhales whales;
        FeedService feed;
        try {
            whitelist = DemoWhitelist.start(devnet, dir, pg, natsSettings, chain, whitelistInterval);
            whales = DemoWhales.start(devnet, pg, DemoWhitelist.SCHEMA, io.poolstate.whales.analysis.Window.parse(whaleInterval).length(), seed);
            feed = FeedService.start(new FeedService.Config(d.wsUrl(), dir.resolve("feed.sock"),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"), null, natsSettings, chain,
                    Set.of(d.contracts().poolManager()), "127.0.0.1", 0, 256, io.poolstate.feed.socket.FrameServer.Limits.DEFAULT,
                    io.poolstate.protocol.whitelist.WhitelistFold.Guard.DEFAULT, new FeedAgent.Settings(256, Duration.ofSeconds(5), Duration.ofMillis(200), true)));
        } catch (Exception e) {
            devnet.close();
            throw e;
        }
        FeedPrinter printer = new FeedPrinter(d, System.out, events);
        FeedClient client = new FeedClient(feed.socket(), 0, null, printer, FeedClient.Settings.DEFAULT).start();
        HostPort api = HostPort.parse("--http", http);
        HostPort streamAt = HostPort.parse("--stream", stream);
        ArenaService arena = ArenaService.start(new ArenaService.Config(io.poolstate.feed.client.FeedSource.socket(feed.socket()), d.httpUrl(),
                PoolCatalog.fromNats(io.poolstate.protocol.whitelist.WhitelistFold.Guard.DEFAULT), natsSettings, chain, d.contracts().multicall3(), api.host(),
                api.port(), ArenaAgent.Settings.DEFAULT, io.poolstate.arena.ChainWatch.Settings.DEFAULT, d.contracts().v4Quoter(), false,
                new ArenaDashboard.Sources(whitelist.store(), whales.store(), "10m,1h,6h")).withArenaFile(dir.resolve("arena.mmap")),
                new ArenaService.StreamConfig(streamAt.host(), streamAt.port(), 1024, 4 * ArenaAgent.Settings.DEFAULT.journalDepth() + 64));
        TrafficGenerator traffic = new TrafficGenerator(devnet.chain(), d,
                new TrafficGenerator.Options(blocks > 0 ? blocks : Integer.MAX_VALUE, seed, txsPerBlock, reorgEvery, 3));
        CountDownLatch done = new CountDownLatch(1);
        AtomicBoolean signalled = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            signalled.set(true);
            traffic.stop();
            awaitQuietly(done);
            arena.close();
            whales.close();
            whitelist.close();
            stopAll(client, feed, devnet);
            System.out.println("demo stopped: traffic, whitelist, whale tracker, arena, feed, consumer and Anvil are down");
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        System.out.printf("demo: devnet on %s with %d pools (%d of them V4 pools with hooks: %s); deployment in %s%n", d.httpUrl(), d.pools().size(),
                d.hookedPools().size(), d.hookedPools().stream().map(h -> h.kind().wireName()).toList(), dir);
        System.out.printf("demo: whitelist on NATS whitelist.pools.%s.{minimal,full} every %s, snapshots in Postgres schema %s%n", chain,
                whitelistInterval, DemoWhitelist.SCHEMA);
        System.out.printf("demo: whale tracker on token %s (%d holders), snapshots every %s in schema %s; API at %s (chart: %s/chart.svg);"
                + " ./poolstate whales report --token %s --schema %s%n", whales.token().token(), DemoWhales.HOLDERS, whaleInterval, DemoWhitelist.SCHEMA,
                whales.apiUrl(), whales.apiUrl(), whales.token().token(), DemoWhitelist.SCHEMA);
        System.out.printf("demo: feed on %s, metrics at %s%n", feed.socket(), feed.metricsUrl());
        System.out.printf("demo: arena file (memory-mapped, docs/ARENA_FILE.md) at %s; from another process: python3 poolstate-mmap/src/main/python/arena_file.py %s%n",
                dir.resolve("arena.mmap"), dir.resolve("arena.mmap"));
        System.out.printf("demo: dashboard at http://%s:%d/dashboard%n", arena.apiAddress().getHostString(), arena.apiAddress().getPort());
        System.out.printf("demo: arena API at http://%s:%d/v1/status (also /v1/pools, /v1/pools/{id}, /v1/pools/{id}/quote?zero_for_one=true&amount_in=N)%n",
                arena.apiAddress().getHostString(), arena.apiAddress().getPort());
        System.out.printf("demo: arena push stream at ws://%s:%d/v1/stream (Server-Sent Events at http://%s:%d/v1/stream; ?pools=ID,… or ?tokens=ADDRESS,…);"
                + " state at a recent block with /v1/pools/{id}?block=N%n", arena.streamAddress().getHostString(), arena.streamAddress().getPort(),
                arena.streamAddress().getHostString(), arena.streamAddress().getPort());
        System.out.printf("demo: hooked pools carry hooks, hook_permissions and quote_support in /v1/pools; quotes of refused ones answer 422,"
                + " or V4Quoter %s's answer with &simulate=node%n", d.contracts().v4Quoter());
        System.out.println("demo: " + (events ? "streaming decoded pool events from the feed" : "feed blocks and the arena's pool states follow")
                + "; Ctrl-C to stop");
        TrafficGenerator.Report report;
        try {
            report = traffic.run(new TrafficGenerator.Listener() {
                int n;

                @Override
                public void onBlock(long number, List<DevChain.Mined> txs) {
                    whales.transfers();
                    sleep(blockTimeMs);
                    if (++n % 5 == 0 && arena.view().mode() == io.poolstate.arena.ArenaMode.LIVE) {
                        ArenaTable.print(arena.view(), System.out, 12);
                    }
                    if (n % 30 == 0) {
                        whales.printReport(System.out);
                    }
                }
            });
        } finally {
            done.countDown();
        }
        if (signalled.get()) {
            return 0; // the shutdown hook stops everything and says so
        }
        Thread.sleep(500);
        System.out.printf("demo: %d blocks, %d txs (%d reverted), %d reorgs; consumer printed %d events, %d reverted blocks, %d undecodable%n",
                report.blocks(), report.transactions(), report.reverted(), report.reorgs(), printer.events(), printer.reverts(), printer.undecodable());
        ArenaTable.print(arena.view(), System.out, 12);
        whales.printReport(System.out);
        Runtime.getRuntime().removeShutdownHook(hook);
        arena.close();
        whales.close();
        whitelist.close();
        stopAll(client, feed, devnet);
        return 0;
    }

    private static void stopAll(FeedClient client, FeedService feed, Devnet devnet) {
        client.close();
        feed.close();
        devnet.close();
    }

    private static void awaitQuietly(CountDownLatch l) {
        try {
            l.await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
