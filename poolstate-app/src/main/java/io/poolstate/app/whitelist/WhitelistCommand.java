package io.poolstate.app.whitelist;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.poolstate.app.HostPort;
import io.poolstate.app.MetricsEndpoint;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.v4.HookPermission;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.eth.Address;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.whitelist.WhitelistMetrics;
import io.poolstate.whitelist.WhitelistRunner;
import io.poolstate.whitelist.WhitelistService;
import io.poolstate.whitelist.discovery.PoolIndexer;
import io.poolstate.whitelist.filter.LiquidityFilter;
import io.poolstate.whitelist.publish.WhitelistPublisher;
import io.poolstate.postgres.Database;
import io.poolstate.whitelist.store.WhitelistStore;
import io.poolstate.whitelist.token.MarketListingSource;
import io.poolstate.whitelist.token.TokenListSource;
import io.poolstate.whitelist.token.TokenSource;
import io.poolstate.whitelist.token.TopTransfersSource;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./poolstate whitelist [--once]} and {@code ./poolstate whitelist history}. */
@Command(name = "whitelist", mixinStandardHelpOptions = true, description = "Pick the pools that matter; publish differential updates to NATS",
        subcommands = WhitelistHistoryCommand.class)
public final class WhitelistCommand implements Callable<Integer> {
    @Option(names = "--rpc", defaultValue = "${env:POOLSTATE_RPC}", required = true, description = "Node (http(s), ws(s) or ipc). Env POOLSTATE_RPC.")
    String rpc;

    @Option(names = "--chain", defaultValue = "${env:POOLSTATE_CHAIN:-ethereum}", description = "Chain name in NATS subjects and tables (default: ${DEFAULT-VALUE}).")
    String chain;

    @Option(names = "--once", description = "Run once and exit (default: every --interval).")
    boolean once;

    @Option(names = "--interval", defaultValue = "PT5M", description = "Time between runs, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--nats", defaultValue = "${env:POOLSTATE_NATS_URL:-nats://127.0.0.1:4222}", description = "NATS URL (default: ${DEFAULT-VALUE}).")
    String nats;

    @Option(names = "--postgres", defaultValue = "${env:POSTGRES_URL}", description = "JDBC URL; default from POSTGRES_HOST/PORT/DB/USER/PASSWORD.")
    String postgres;

    @Option(names = "--token-list", description = "Token list file (Uniswap token-list format).")
    Path tokenList;

    @Option(names = "--min-chains", defaultValue = "3", description = "Cross-chain: listed on at least N chains (default: ${DEFAULT-VALUE}).")
    int minChains;

    @Option(names = "--hyperliquid", description = "Hyperliquid info endpoint, e.g. https://api.hyperliquid.xyz/info.")
    URI hyperliquid;

    @Option(names = "--lighter", description = "Lighter order books endpoint, e.g. https://mainnet.zklighter.elliot.ai/api/v1/orderBooks.")
    URI lighter;

    @Option(names = "--top-transfers-blocks", defaultValue = "0", description = "Tokens with the most Transfer logs over the last K blocks; 0 = off.")
    int topTransferBlocks;

    @Option(names = "--top-transfers", defaultValue = "50", description = "How many top-transfer tokens (default: ${DEFAULT-VALUE}).")
    int topTransfers;

    @Option(names = "--base-token", description = "Base token address (WETH, stables): a pool with one whitelisted token and a base qualifies.")
    List<String> baseTokens;

    @Option(names = "--stable", description = "Stablecoin address priced at 1 USD (repeat).", required = true)
    List<String> stables;

    @Option(names = "--v2-factory", description = "V2 factory address (repeat).")
    List<String> v2Factories;

    @Option(names = "--v3-factory", description = "V3 factory address (repeat).")
    List<String> v3Factories;

    @Option(names = "--pool-manager", description = "V4 PoolManager address (repeat).")
    List<String> poolManagers;

    @Option(names = "--start-block", defaultValue = "0", description = "First block indexed for pool discovery (default: ${DEFAULT-VALUE}).")
    long startBlock;

    @Option(names = "--confirmations", defaultValue = "12", description = "Blocks behind the head that discovery indexes up to (default: ${DEFAULT-VALUE}).")
    int confirmations;

    @Option(names = "--min-active-usd", defaultValue = "50000", description = "Stage 1: minimum USD at the active price (default: ${DEFAULT-VALUE}).")
    BigDecimal minActive;

    @Option(names = "--min-depth-usd", defaultValue = "50000", description = "Stage 2: minimum USD to move the price by --depth-percent (default: ${DEFAULT-VALUE}).")
    BigDecimal minDepth;

    @Option(names = "--depth-percent", defaultValue = "2", description = "Price move for depth, percent (default: ${DEFAULT-VALUE}).")
    double depthPercent;

    @Option(names = "--exclude-hook-permission", split = ",", paramLabel = "PERMISSION", description = "Drop V4 pools whose hook has this"
            + " permission (repeat or comma-separate; names as in v4-core Hooks.sol, e.g. beforeSwapReturnDelta,afterSwapReturnDelta)."
            + " Default: keep every pool (hooked pools' state is exact; the arena refuses the quotes a hook could change).")
    List<String> excludeHookPermissions;

    @Option(names = "--retention", defaultValue = "P30D", description = "Keep snapshots this long, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration retention;

    @Option(names = "--metrics", defaultValue = "${env:POOLSTATE_WHITELIST_METRICS:-127.0.0.1:9465}", description = "Prometheus HOST:PORT, or off (default: ${DEFAULT-VALUE}).")
    String metrics;

    @Option(names = "--full-every", defaultValue = "100", description = "Publish a full list again once this many snapshots followed the last one (default: ${DEFAULT-VALUE}).")
    int fullEvery;

    @Option(names = "--stream-max-msgs-per-subject", defaultValue = "1000",
            description = "JetStream stream WHITELIST: messages kept per subject; raised when a full list needs more (default: ${DEFAULT-VALUE}).")
    long streamMaxMsgsPerSubject;

    @Option(names = "--stream-max-bytes", defaultValue = "1073741824",
            description = "JetStream stream WHITELIST: bytes kept, all chains, -1 for no limit; raised when a full list needs more (default: ${DEFAULT-VALUE}).")
    long streamMaxBytes;

    @Option(names = "--stream-max-age", defaultValue = "PT0S",
            description = "JetStream stream WHITELIST: message age limit, ISO-8601, PT0S for none; when set, a full list is republished at half this age (default: ${DEFAULT-VALUE}).")
    Duration streamMaxAge;

    @Option(names = "--duplicate-window", defaultValue = "PT2M", description = "JetStream duplicate window for message ids, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration duplicateWindow;

    @Option(names = "--max-message-bytes", defaultValue = "0",
            description = "Largest NATS message published; 0 for the server's max_payload minus 1 KiB for headers (default: ${DEFAULT-VALUE}). Larger lists go out in parts.")
    int maxMessageBytes;

    @Override
    public Integer call() throws Exception {
        Set<HookPermission> excludedHooks = hookPermissions(excludeHookPermissions);
        WhitelistPublisher.Settings publishing = publisherSettings();
        WhitelistMetrics registry = new WhitelistMetrics();
        try (EthClient eth = EthClient.open(rpc);
             Database db = Database.open(postgres, null, WhitelistStore.MIGRATIONS);
             Connection nc = connectNats()) {
            List<TokenSource> sources = new ArrayList<>();
            Map<String, Address> bySymbol = new HashMap<>();
            long chainId = eth.chainId();
            if (tokenList != null) {
                TokenListSource list = new TokenListSource(tokenList, chainId, minChains);
                sources.add(list);
                bySymbol.putAll(list.addressesBySymbol());
            }
            if (hyperliquid != null) {
                sources.add(new MarketListingSource(MarketListingSource.Venue.HYPERLIQUID, hyperliquid, bySymbol));
            }
            if (lighter != null) {
                sources.add(new MarketListingSource(MarketListingSource.Venue.LIGHTER, lighter, bySymbol));
            }
            if (topTransferBlocks > 0) {
                sources.add(new TopTransfersSource(eth, topTransferBlocks, topTransfers));
            }
            Map<Address, BigDecimal> stable = new HashMap<>();
            stables.forEach(s -> stable.put(Address.of(s), BigDecimal.ONE));
            Set<Address> bases = new LinkedHashSet<>(stable.keySet());
            if (baseTokens != null) {
                baseTokens.forEach(b -> bases.add(Address.of(b)));
            }
            WhitelistStore store = new WhitelistStore(db.dataSource(), chain);
            WhitelistRunner runner = new WhitelistRunner(eth, sources,
                    new PoolIndexer(eth, db.dataSource(), chain, new PoolIndexer.Factories(addresses(v2Factories), addresses(v3Factories),
                            addresses(poolManagers)), startBlock, confirmations),
                    new LiquidityFilter(new PoolScraper(eth, Multicall3.CANONICAL, ScrapeSettings.DEFAULT),
                            new LiquidityFilter.Thresholds(minActive, minDepth, depthPercent)),
                    store, new WhitelistPublisher(nc, chain), new WhitelistRunner.Config(chain, stable, bases, retention, excludedHooks),
                    registry);
            if (once) {
                WhitelistRunner.Report r = runner.runOnce();
                System.out.printf("whitelist: ran=%s tokens=%d candidates=%d kept=%d added=%d removed=%d messages=%d%n", r.ran(), r.tokens(),
                        r.candidates(), r.kept(), r.added(), r.removed(), r.published().size());
                return 0;
            }
            MetricsEndpoint endpoint = MetricsEndpoint.start(HostPort.parseOrOff("--metrics", metrics), registry::scrape);
            if (endpoint != null) {
                System.out.println("whitelist: metrics at " + endpoint.url());
            }
            CountDownLatch stop = new CountDownLatch(1);
            WhitelistService service = new WhitelistService(runner, store, nc, chain).start(interval);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.close();
                if (endpoint != null) {
                    endpoint.close();
                }
                stop.countDown();
            }, "whitelist-shutdown"));
            stop.await();
            return 0;
        }
    }

    /** @throws IllegalArgumentException naming the value and the valid names */
    static Set<HookPermission> hookPermissions(List<String> names) {
        Set<HookPermission> out = EnumSet.noneOf(HookPermission.class);
        if (names != null) {
            names.stream().filter(n -> !n.isBlank()).forEach(n -> out.add(HookPermission.parse(n)));
        }
        return out;
    }

    /** The one NATS connection of the command. */
    private Connection connectNats() throws Exception {
        return Nats.connect(new Options.Builder().server(nats).maxReconnects(-1).build());
    }

    /** @throws IllegalArgumentException naming the option out of range */
    private WhitelistPublisher.Settings publisherSettings() {
        return new WhitelistPublisher.Settings(fullEvery, streamMaxMsgsPerSubject, streamMaxBytes, streamMaxAge, duplicateWindow, maxMessageBytes);
    }

    private static List<Address> addresses(List<String> values) {
        return values == null ? List.of() : values.stream().map(Address::of).toList();
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
