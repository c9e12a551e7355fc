package io.poolstate.app.arena;

import io.poolstate.app.HostPort;
import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.PoolCatalog;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.eth.Address;
import io.poolstate.protocol.whitelist.PoolsFile;
import io.poolstate.arena.ChainWatch;
import io.poolstate.protocol.whitelist.WhitelistFold;
import java.time.Duration;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./poolstate arena}: exact in-memory pool state from the feed, served over HTTP. */
@Command(name = "arena", mixinStandardHelpOptions = true, description = "Exact pool state from the feed; HTTP API with state and quotes")
public final class ArenaCommand implements Callable<Integer> {
    @Option(names = "--feed-socket", defaultValue = "${env:POOLSTATE_FEED_SOCKET}", required = true, description = "The feed's Unix socket. Env POOLSTATE_FEED_SOCKET.")
    Path feedSocket;

    @Option(names = "--rpc", defaultValue = "${env:POOLSTATE_RPC}", required = true, description = "Node for the pinned-block scrape (eth_call). Env POOLSTATE_RPC.")
    String rpc;

    @Option(names = "--pools", description = "Pools to serve from a file: a whitelist 'full' message in the full format (V4 pools name their PoolManager in 'factory'). Default: NATS.")
    Path pools;

    @Option(names = "--nats", defaultValue = "${env:POOLSTATE_NATS_URL:-nats://127.0.0.1:4222}", description = "NATS URL for whitelist.pools.<chain>.full when no --pools (default: ${DEFAULT-VALUE}).")
    String nats;

    @Option(names = "--chain", defaultValue = "${env:POOLSTATE_CHAIN:-ethereum}", description = "Chain name in NATS subjects (default: ${DEFAULT-VALUE}).")
    String chain;

    @Option(names = "--http", defaultValue = "${env:POOLSTATE_ARENA_HTTP:-127.0.0.1:8080}", description = "API address HOST:PORT (default: ${DEFAULT-VALUE}).")
    String httpAddress;

    @Option(names = "--multicall", defaultValue = "0xcA11bde05977b3631167028862bE2a173976CA11", description = "Multicall3 address (default: the canonical one).")
    String multicall;

    @Option(names = "--v4-quoter", defaultValue = "${env:POOLSTATE_V4_QUOTER}", description = "v4-periphery V4Quoter address: quotes with simulate=node are its answer at the served block (eth_call); checked at start. Env POOLSTATE_V4_QUOTER. Default: none.")
    String v4Quoter;

    @Option(names = "--quote-simulate-node", description = "Quotes of V4 pools whose hook can change a swap's amounts are answered by --v4-quoter (\"source\": \"node\") instead of 422.")
    boolean quoteSimulateNode;

    @Option(names = "--journal-blocks", defaultValue = "256", description = "Blocks that can be reverted without a rescrape (default: ${DEFAULT-VALUE}).")
    int journalBlocks;

    @Option(names = "--buffer-blocks", defaultValue = "10000", description = "Feed blocks buffered during start-up before it restarts (default: ${DEFAULT-VALUE}).")
    int bufferBlocks;

    @Option(names = "--self-check-every", defaultValue = "100", description = "Compare a sample of pools with the chain every N blocks; 0 = off (default: ${DEFAULT-VALUE}).")
    int selfCheckEvery;

    @Option(names = "--checkpoint", defaultValue = "${env:POOLSTATE_ARENA_CHECKPOINT}", description = "Checkpoint file: written every --checkpoint-every blocks and on shutdown, loaded on start.")
    Path checkpoint;

    @Option(names = "--checkpoint-every", defaultValue = "100", description = "Blocks between checkpoints (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--pinned-batch-pools", defaultValue = "0", description = "Start-up scrape: pools per pinned block, each batch at the newest feed block; 0 = all at one block (default: ${DEFAULT-VALUE}).")
    int pinnedBatchPools;

    @Option(names = "--scrape-batch", defaultValue = "500", description = "Calls per Multicall3 batch when scraping (default: ${DEFAULT-VALUE}).")
    int scrapeBatch;

    @Option(names = "--scrape-concurrency", defaultValue = "4", description = "Scrape requests in flight (default: ${DEFAULT-VALUE}).")
    int scrapeConcurrency;

    @Option(names = "--stale-blocks", defaultValue = "3", description = "Served state is stale when the chain is more than N blocks ahead of it and it has not advanced for --stale-seconds (default: ${DEFAULT-VALUE}).")
    int staleBlocks;

    @Option(names = "--stale-seconds", defaultValue = "30", description = "See --stale-blocks (default: ${DEFAULT-VALUE}).")
    int staleSeconds;

    @Option(names = "--feed-read-deadline", defaultValue = "15", description = "Seconds without a frame (the feed sends heartbeats every 5 s) before the connection is dropped and resumed (default: ${DEFAULT-VALUE}).")
    int feedReadDeadline;

    @Option(names = "--whitelist-max-shrink", defaultValue = "50", description = "A published list that removes more than this percent of the pools at once is held, not applied (default: ${DEFAULT-VALUE}).")
    int maxShrink;

    @Option(names = "--whitelist-allow-empty", description = "Apply an empty published list (default: held and alerted).")
    boolean allowEmpty;

    @Override
    public Integer call() throws Exception {
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
        ArenaAgent.Settings settings = new ArenaAgent.Settings(bufferBlocks, journalBlocks,
                new ScrapeSettings(scrapeBatch, 2, scrapeConcurrency, 1000), selfCheckEvery, 5, checkpoint, checkpointEvery, pinnedBatchPools,
                Duration.ofSeconds(feedReadDeadline), ArenaAgent.Settings.DEFAULT.metadataWait());
        ArenaService service = ArenaService.start(new ArenaService.Config(feedSocket, rpc, catalog, pools == null ? nats : null, chain,
                Address.of(multicall), api.host(), api.port(), settings,
                new ChainWatch.Settings(staleBlocks, Duration.ofSeconds(staleSeconds), ChainWatch.Settings.DEFAULT.pollInterval()),
                v4Quoter == null || v4Quoter.isBlank() ? null : Address.of(v4Quoter), quoteSimulateNode));
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stop.countDown();
        }, "arena-shutdown"));
        stop.await();
        return 0;
    }
}
