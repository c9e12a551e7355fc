package io.poolstate.app.arena;

import io.poolstate.app.Home;
import io.poolstate.app.HostPort;
import io.poolstate.app.config.EnvVar;
import io.poolstate.app.options.ConfirmationOptions;
import io.poolstate.app.options.HttpLimitOptions;
import io.poolstate.app.options.NatsOptions;
import io.poolstate.feed.client.FeedSource;
import io.poolstate.nats.FeedStreamClient;
import io.poolstate.nats.NatsSettings;
import io.poolstate.app.options.NetworkOptions;
import io.poolstate.app.options.PostgresOptions;
import io.poolstate.postgres.Database;
import io.poolstate.whales.store.WhaleStore;
import io.poolstate.whitelist.store.WhitelistStore;
import java.util.ArrayList;
import java.util.List;
import io.poolstate.app.options.RpcOptions;
import io.poolstate.dex.network.NetworkPreset;
import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.WriterIdle;
import io.poolstate.arena.PoolCatalog;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.scrape.StorageReads;
import io.poolstate.eth.Address;
import io.poolstate.protocol.whitelist.PoolsFile;
import io.poolstate.arena.ChainWatch;
import io.poolstate.protocol.whitelist.WhitelistFold;
import java.time.Duration;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./poolstate arena}: exact in-memory pool state from the feed, served over HTTP. */
@Command(name = "arena", mixinStandardHelpOptions = true, description = "Exact pool state from the feed; HTTP API with state and quotes")
public final class ArenaCommand implements Callable<Integer> {
    @Mixin
    NetworkOptions network;

    @Mixin
    RpcOptions rpc;

    @Mixin
    NatsOptions nats;

    @Mixin
    HttpLimitOptions httpLimits;

    @Mixin
    PostgresOptions postgres;

    @Mixin
    ConfirmationOptions confirmation;

    @Option(names = "--dashboard-history", description = "The dashboard (/dashboard) shows the whitelist's changes with their reasons, read from --postgres.")
    boolean dashboardHistory;

    @Option(names = "--dashboard-whale-token", paramLabel = "TOKEN",
            description = "The dashboard shows the whale tracker's score for this asset (address, symbol or ETH), read from --postgres.")
    String dashboardWhaleToken;

    @Option(names = "--dashboard-whale-schema", description = "Schema of the whale tables (default: the connection's).")
    String dashboardWhaleSchema;

    @Option(names = "--dashboard-whale-windows", defaultValue = "1h,24h,7d", description = "Windows of the whale score chart (default: ${DEFAULT-VALUE}).")
    String dashboardWhaleWindows;

    @EnvVar("POOLSTATE_FEED_SOCKET")
    @Option(names = "--feed-socket", paramLabel = "PATH", description = "The feed's Unix socket (default: $POOLSTATE_HOME/feed.sock; env POOLSTATE_FEED_SOCKET).")
    Path feedSocket;

    @EnvVar("POOLSTATE_ARENA_FEED")
    @Option(names = "--feed", paramLabel = "URL", description = "Read the feed's blocks from its JetStream stream instead of the socket: "
            + "nats://host:port[,nats://host:port…] (authentication and TLS as for --nats; env POOLSTATE_ARENA_FEED).")
    String feedUrl;

    @Option(names = "--pools", description = "Pools to serve from a file: a whitelist 'full' message in the full format (V4 pools name their PoolManager in 'factory'). Default: NATS.")
    Path pools;

    @EnvVar("POOLSTATE_ARENA_HTTP")
    @Option(names = "--http", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "API and /metrics address (default: ${DEFAULT-VALUE}; env POOLSTATE_ARENA_HTTP).")
    String httpAddress;

    @EnvVar("POOLSTATE_ARENA_MMAP")
    @Option(names = "--mmap", paramLabel = "FILE",
            description = "Also write the served state into this memory-mapped arena file after each block, for readers in other processes (docs/ARENA_FILE.md; env POOLSTATE_ARENA_MMAP).")
    Path mmap;

    @EnvVar("POOLSTATE_ARENA_STREAM")
    @Option(names = "--stream", paramLabel = "HOST:PORT",
            description = "Push stream address: ws://HOST:PORT/v1/stream (WebSocket) and Server-Sent Events at the same URL; 0 as port picks a free one (default: off; env POOLSTATE_ARENA_STREAM).")
    String streamAddress;

    @Option(names = "--stream-queue", defaultValue = "1024",
            description = "Messages queued per stream subscriber; a subscriber whose queue is full is dropped as too slow (default: ${DEFAULT-VALUE}).")
    int streamQueue;

    @Option(names = "--multicall", paramLabel = "ADDRESS", description = "Multicall3 (default: the network's).")
    String multicall;

    @EnvVar("POOLSTATE_V4_QUOTER")
    @Option(names = "--v4-quoter", paramLabel = "ADDRESS",
            description = "v4-periphery V4Quoter: quotes with simulate=node are its answer at the served block (eth_call); checked at start (default: none; env POOLSTATE_V4_QUOTER).")
    String v4Quoter;

    @Option(names = "--quote-simulate-node", description = "Quotes of V4 pools whose hook can change a swap's amounts are answered by --v4-quoter (\"source\": \"node\") instead of 422.")
    boolean quoteSimulateNode;

    @Option(names = "--journal-blocks", defaultValue = "256", description = "Blocks that can be reverted without a rescrape (default: ${DEFAULT-VALUE}).")
    int journalBlocks;

    @Option(names = "--buffer-blocks", defaultValue = "10000", description = "Feed blocks buffered during start-up before it restarts (default: ${DEFAULT-VALUE}).")
    int bufferBlocks;

    @Option(names = "--self-check-every", defaultValue = "100", description = "Compare a sample of pools with the chain every N blocks; 0 = off (default: ${DEFAULT-VALUE}).")
    int selfCheckEvery;

    @EnvVar("POOLSTATE_ARENA_CHECKPOINT")
    @Option(names = "--checkpoint", description = "Checkpoint file: written every --checkpoint-every blocks and on shutdown, loaded on start.")
    Path checkpoint;

    @Option(names = "--checkpoint-every", defaultValue = "100", description = "Blocks between checkpoints (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--pinned-batch-pools", defaultValue = "0", description = "Start-up scrape: pools per pinned block, each batch at the newest feed block; 0 = all at one block (default: ${DEFAULT-VALUE}).")
    int pinnedBatchPools;

    @Option(names = "--scrape-batch", defaultValue = "500", description = "Calls per Multicall3 batch when scraping (default: ${DEFAULT-VALUE}).")
    int scrapeBatch;

    @Option(names = "--scrape-concurrency", defaultValue = "2", description = "Scrape requests in flight; measured on a local node with two cores,"
            + " a node with more may take more (default: ${DEFAULT-VALUE}).")
    int scrapeConcurrency;

    @Option(names = "--storage-reads", paramLabel = "auto|lens|calls", defaultValue = "auto",
            description = "How the scrape reads pool storage: lens (an eth_call state override places a small storage-reading program at V3 pools and the"
                    + " V4 PoolManager; a tick bitmap in one call), calls (the contracts' getters and extsload, one call per bitmap word), auto (probe the"
                    + " node once, log the choice; default: ${DEFAULT-VALUE}).")
    String storageReads;

    @Option(names = "--lens-gas", defaultValue = "50000000", description = "Gas limit of each storage-lens eth_call, at most the node's call gas cap"
            + " (reads are packed to 80%% of it; default: ${DEFAULT-VALUE}).")
    long lensGas;

    @Option(names = "--stale-blocks", defaultValue = "3", description = "Served state is stale when the chain is more than N blocks ahead of it and it has not advanced for --stale-seconds (default: ${DEFAULT-VALUE}).")
    int staleBlocks;

    @Option(names = "--stale-seconds", defaultValue = "30", description = "See --stale-blocks (default: ${DEFAULT-VALUE}).")
    int staleSeconds;

    @Option(names = "--feed-read-deadline", defaultValue = "15", description = "Socket feed: seconds without a frame (the feed sends heartbeats every 5 s) before the connection is dropped and resumed. NATS stream: a quiet session looks at the stream every second, or this often when shorter, to notice a stalled consumer (default: ${DEFAULT-VALUE}).")
    int feedReadDeadline;

    @Option(names = "--writer-idle", defaultValue = "park", description = "How the writer thread waits for the feed's next block: park (sleeps: no CPU"
            + " while the chain is quiet) or spin (never sleeps: one core kept awake; after a wait, 20-30 %% less CPU per block at 10,000 pools in"
            + " docs/BENCHMARKS.md; for a machine with a core to give to it; default: ${DEFAULT-VALUE}).")
    String writerIdle;

    @Option(names = "--warm-up-blocks", defaultValue = "" + ArenaAgent.Settings.DEFAULT_WARM_UP_BLOCKS, description = "Synthetic blocks of 200"
            + " updates run through the block path once per process on a thread of their own, on pools of their own, so that the JIT has compiled"
            + " the path before the feed's blocks need it fast; it starts once the arena is live and takes 4-7 s of one core at the default"
            + " (0: none; at most " + ArenaAgent.Settings.MAX_WARM_UP_BLOCKS + "; default: ${DEFAULT-VALUE}).")
    int warmUpBlocks;

    @Option(names = "--whitelist-max-shrink", defaultValue = "50", description = "A published list that removes more than this percent of the pools at once is held, not applied (default: ${DEFAULT-VALUE}).")
    int maxShrink;

    @Option(names = "--whitelist-allow-empty", description = "Apply an empty published list (default: held and alerted).")
    boolean allowEmpty;

    /** The stream settings, or null when --stream is not given; messages kept for resumes: four per journal block. */
    private ArenaService.StreamConfig stream() {
        if (streamAddress == null || streamAddress.isBlank()) {
            return null;
        }
        if (streamQueue < 1) {
            throw new IllegalArgumentException("--stream-queue must be at least 1: value=" + streamQueue);
        }
        HostPort s = HostPort.parse("--stream", streamAddress);
        return new ArenaService.StreamConfig(s.host(), s.port(), streamQueue, 4 * journalBlocks + 64);
    }

    /** The socket ({@code --feed-socket}), or the JetStream stream ({@code --feed nats://…}). */
    private FeedSource.Factory feedSource() throws java.io.IOException {
        if (feedUrl == null || feedUrl.isBlank()) {
            return FeedSource.socket(feedSocket != null ? feedSocket : Home.dir().resolve("feed.sock"));
        }
        if (feedSocket != null) {
            throw new IllegalArgumentException("give --feed (the JetStream stream) or --feed-socket, not both: feed=" + NatsSettings.redact(feedUrl));
        }
        for (String s : feedUrl.split(",")) {
            if (!s.trim().startsWith("nats://") && !s.trim().startsWith("tls://")) {
                throw new IllegalArgumentException("--feed takes nats:// or tls:// URLs (the socket is --feed-socket): url=" + NatsSettings.redact(s.trim()));
            }
        }
        return FeedStreamClient.factory(nats.settings(NatsOptions.LOCAL).withServers(feedUrl.trim()));
    }

    @Override
    public Integer call() throws Exception {
        httpLimits.install();
        StorageReads reads = StorageReads.parse(storageReads); // option values checked before anything connects
        WriterIdle idle = WriterIdle.parse(writerIdle);
        PoolCatalog catalog;
        if (pools != null) {
            var list = PoolsFile.read(pools);
            if (list.pools().isEmpty()) {
                throw new IllegalArgumentException("pools file " + pools + " lists ids only; the arena needs the full format (tokens, fee, tick spacing)");
            }
            catalog = PoolCatalog.of(list.pools());
        } else {
            catalog = PoolCatalog.fromNats(new WhitelistFold.Guard(allowEmpty, maxShrink, WhitelistFold.Guard.DEFAULT.minPools()));
        }
        HostPort api = HostPort.parse("--http", httpAddress);
        Address multicallAddress = network.address(multicall, NetworkPreset::multicall3);
        String rpcUrl = rpc.url(network, false);
        network.checkNode(rpcUrl);
        ArenaAgent.Settings settings = new ArenaAgent.Settings(bufferBlocks, journalBlocks,
                new ScrapeSettings(scrapeBatch, 2, scrapeConcurrency, 1000, reads, lensGas), selfCheckEvery, 5, checkpoint, checkpointEvery, pinnedBatchPools,
                Duration.ofSeconds(feedReadDeadline), ArenaAgent.Settings.DEFAULT.metadataWait(), idle, warmUpBlocks);
        List<Database> databases = new ArrayList<>();
        ArenaDashboard.Sources sources = ArenaDashboard.Sources.NONE;
        if (dashboardHistory || dashboardWhaleToken != null) {
            var pg = postgres.settings();
            WhitelistStore whitelist = null;
            WhaleStore whales = null;
            if (dashboardHistory) {
                Database db = Database.open(pg, null, WhitelistStore.MIGRATIONS);
                databases.add(db);
                whitelist = new WhitelistStore(db.dataSource(), network.chain());
            }
            if (dashboardWhaleToken != null) {
                Database db = Database.open(pg, dashboardWhaleSchema, WhaleStore.MIGRATIONS);
                databases.add(db);
                whales = new WhaleStore(db.dataSource(), dashboardWhaleToken.equalsIgnoreCase("ETH") ? "ETH" : network.token(dashboardWhaleToken).toString());
            }
            sources = new ArenaDashboard.Sources(whitelist, whales, dashboardWhaleWindows);
        }
        ArenaService service = ArenaService.start(new ArenaService.Config(feedSource(), rpcUrl,
                catalog, pools == null ? nats.settings(NatsOptions.LOCAL) : null, network.chain(), multicallAddress, api.host(), api.port(), settings,
                new ChainWatch.Settings(staleBlocks, Duration.ofSeconds(staleSeconds), ChainWatch.Settings.DEFAULT.pollInterval(), confirmation.confirmation()),
                v4Quoter == null || v4Quoter.isBlank() ? null : Address.of(v4Quoter), quoteSimulateNode, sources, mmap), stream());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            databases.forEach(Database::close);
            stop.countDown();
        }, "arena-shutdown"));
        stop.await();
        return 0;
    }
}
