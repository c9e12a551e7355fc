package io.poolstate.app.whitelist;

import io.nats.client.Connection;
import io.poolstate.app.MetricsEndpoint;
import io.poolstate.app.options.HttpLimitOptions;
import io.poolstate.app.options.MetricsOptions;
import io.poolstate.app.options.NatsOptions;
import io.poolstate.app.options.NetworkOptions;
import io.poolstate.app.options.PostgresOptions;
import io.poolstate.app.options.RpcOptions;
import io.poolstate.dex.network.NetworkPreset;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.v4.HookPermission;
import io.poolstate.eth.Address;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.postgres.Database;
import io.poolstate.whitelist.WhitelistMetrics;
import io.poolstate.whitelist.WhitelistRunner;
import io.poolstate.whitelist.WhitelistService;
import io.poolstate.whitelist.discovery.PoolIndexer;
import io.poolstate.whitelist.filter.LiquidityFilter;
import io.poolstate.whitelist.publish.WhitelistPublisher;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./poolstate whitelist [--once]} and {@code ./poolstate whitelist history}. Factories, PoolManager, stables,
 * WETH and Multicall3 come from {@code --network} unless given.
 */
@Command(name = "whitelist", mixinStandardHelpOptions = true, description = "Pick the pools that matter; publish differential updates to NATS",
        subcommands = WhitelistHistoryCommand.class)
public final class WhitelistCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(WhitelistCommand.class);

    @Mixin
    NetworkOptions network;

    @Mixin
    RpcOptions rpc;

    @Mixin
    NatsOptions nats;

    @Mixin
    io.poolstate.app.options.NatsReplicaOptions replicas;

    @Mixin
    PostgresOptions postgres;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    HttpLimitOptions httpLimits;

    @Option(names = "--once", description = "Run once and exit (default: every --interval).")
    boolean once;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "5m", description = "Time between runs, e.g. 5m or PT5M (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--token-list", paramLabel = "FILE", description = "Token list file (Uniswap token-list format).")
    Path tokenList;

    @Option(names = "--min-chains", defaultValue = "3", description = "Cross-chain: listed on at least N chains (default: ${DEFAULT-VALUE}).")
    int minChains;

    @Option(names = "--hyperliquid", paramLabel = "URL", description = "Hyperliquid info endpoint, e.g. https://api.hyperliquid.xyz/info.")
    URI hyperliquid;

    @Option(names = "--lighter", paramLabel = "URL", description = "Lighter order books endpoint, e.g. https://mainnet.zklighter.elliot.ai/api/v1/orderBooks.")
    URI lighter;

    @Option(names = "--top-transfers-blocks", defaultValue = "0", description = "Tokens with the most Transfer logs over the last K blocks; 0 = off.")
    int topTransferBlocks;

    @Option(names = "--top-transfers", defaultValue = "50", description = "How many top-transfer tokens (default: ${DEFAULT-VALUE}).")
    int topTransfers;

    @Option(names = "--base-token", split = ",", paramLabel = "ADDRESS",
            description = "Base token (repeat or comma-separate): a pool with one wanted token and a base qualifies (default: the network's WETH; the stables are bases too).")
    List<String> baseTokens;

    @Option(names = "--stable", split = ",", paramLabel = "ADDRESS", description = "Stablecoin priced at 1 USD (repeat or comma-separate; default: the network's).")
    List<String> stables;

    @Option(names = "--v2-factory", split = ",", paramLabel = "ADDRESS", description = "V2 factory (repeat; default: the network's; none = no V2).")
    List<String> v2Factories;

    @Option(names = "--v3-factory", split = ",", paramLabel = "ADDRESS", description = "V3 factory (repeat; default: the network's; none = no V3).")
    List<String> v3Factories;

    @Option(names = "--pool-manager", split = ",", paramLabel = "ADDRESS", description = "V4 PoolManager (repeat; default: the network's; none = no V4).")
    List<String> poolManagers;

    @Option(names = "--multicall", paramLabel = "ADDRESS", description = "Multicall3 (default: the network's).")
    String multicall;

    @Option(names = "--start-block", description = "First block indexed for pool discovery (default: the network's oldest factory, else 0).")
    Long startBlock;

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

    @Option(names = "--retention", paramLabel = "DURATION", defaultValue = "30d", description = "Keep snapshots this long, e.g. 30d (default: ${DEFAULT-VALUE}).")
    Duration retention;

    @Option(names = "--full-every", defaultValue = "100", description = "Publish a full list again once this many snapshots followed the last one (default: ${DEFAULT-VALUE}).")
    int fullEvery;

    @Option(names = "--stream-max-msgs-per-subject", defaultValue = "1000",
            description = "JetStream stream WHITELIST: messages kept per subject; raised when a full list needs more (default: ${DEFAULT-VALUE}).")
    long streamMaxMsgsPerSubject;

    @Option(names = "--stream-max-bytes", defaultValue = "1073741824",
            description = "JetStream stream WHITELIST: bytes kept, all chains, -1 for no limit; raised when a full list needs more (default: ${DEFAULT-VALUE}).")
    long streamMaxBytes;

    @Option(names = "--stream-max-age", paramLabel = "DURATION", defaultValue = "0s",
            description = "JetStream stream WHITELIST: message age limit, e.g. 7d, 0s for none; when set, a full list is republished at half this age (default: ${DEFAULT-VALUE}).")
    Duration streamMaxAge;

    @Option(names = "--duplicate-window", paramLabel = "DURATION", defaultValue = "2m",
            description = "JetStream duplicate window for message ids, e.g. 2m (default: ${DEFAULT-VALUE}).")
    Duration duplicateWindow;

    @Option(names = "--max-message-bytes", defaultValue = "0",
            description = "Largest NATS message published; 0 for the server's max_payload minus 1 KiB for headers (default: ${DEFAULT-VALUE}). Larger lists go out in parts.")
    int maxMessageBytes;

    @Override
    public Integer call() throws Exception {
        httpLimits.install();
        Set<HookPermission> excludedHooks = hookPermissions(excludeHookPermissions);
        WhitelistPublisher.Settings publishing = publisherSettings();
        String chain = network.chain();
        List<Address> stableAddresses = stables == null || stables.isEmpty() ? network.preset().stables().stream().map(Token::address).toList()
                : network.addresses(stables, p -> null);
        if (stableAddresses.isEmpty()) {
            throw new IllegalArgumentException("no stablecoin to price pools in USD: give --stable ADDRESS (network " + network.name() + " lists none)");
        }
        List<Address> bases = network.addresses(baseTokens, p -> p.weth() == null ? null : p.weth().address());
        PoolIndexer.Factories factories = new PoolIndexer.Factories(network.addresses(v2Factories, NetworkPreset::v2Factory),
                network.addresses(v3Factories, NetworkPreset::v3Factory), network.addresses(poolManagers, NetworkPreset::poolManager));
        Address multicallAddress = network.address(multicall, NetworkPreset::multicall3);
        long firstBlock = startBlock != null ? startBlock : network.preset().discoveryStartBlock();
        String rpcUrl = rpc.url(network, false);
        var pg = postgres.settings();
        var natsSettings = nats.settings(NatsOptions.LOCAL);
        WhitelistMetrics registry = new WhitelistMetrics();
        try (EthClient eth = EthClient.open(rpcUrl);
             Database db = Database.open(pg, null, WhitelistStore.MIGRATIONS);
             Connection nc = natsSettings.connect()) {
            long chainId = eth.chainId();
            network.checkChainId(chainId);
            List<TokenSource> sources = new ArrayList<>();
            Map<String, Address> bySymbol = new HashMap<>();
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
            stableAddresses.forEach(s -> stable.put(s, BigDecimal.ONE));
            Set<Address> allBases = new LinkedHashSet<>(stable.keySet());
            allBases.addAll(bases);
            LOG.info("whitelist starting: network={} chain={} chain_id={} rpc={} postgres={} nats={} v2_factories={} v3_factories={} pool_managers={} "
                    + "stables={} bases={} start_block={} sources={}", network.name(), chain, chainId, eth.rpc().endpoint(), pg.redactedUrl(), natsSettings.redacted(),
                    factories.v2(), factories.v3(), factories.poolManagers(), stable.keySet(), allBases, firstBlock, sources.size());
            WhitelistStore store = new WhitelistStore(db.dataSource(), chain);
            WhitelistRunner runner = new WhitelistRunner(eth, sources,
                    new PoolIndexer(eth, db.dataSource(), chain, factories, firstBlock, confirmations),
                    new LiquidityFilter(new PoolScraper(eth, multicallAddress, ScrapeSettings.DEFAULT),
                            new LiquidityFilter.Thresholds(minActive, minDepth, depthPercent)),
                    store, new WhitelistPublisher(nc, chain, publishing, replicas.replicas()), new WhitelistRunner.Config(chain, stable, allBases, retention, excludedHooks),
                    registry);
            if (once) {
                WhitelistRunner.Report r = runner.runOnce();
                System.out.printf("whitelist: ran=%s tokens=%d candidates=%d kept=%d added=%d removed=%d messages=%d%n", r.ran(), r.tokens(),
                        r.candidates(), r.kept(), r.added(), r.removed(), r.published().size());
                return 0;
            }
            MetricsEndpoint endpoint = MetricsEndpoint.start(metrics.endpoint("127.0.0.1:9465"), registry::scrape);
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

    /** @throws IllegalArgumentException naming the option out of range */
    private WhitelistPublisher.Settings publisherSettings() {
        return new WhitelistPublisher.Settings(fullEvery, streamMaxMsgsPerSubject, streamMaxBytes, streamMaxAge, duplicateWindow, maxMessageBytes);
    }
}
