package io.poolstate.app.whitelist;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nats.client.Connection;
import io.poolstate.app.MetricsEndpoint;
import io.poolstate.app.config.ChainDefaults;
import io.poolstate.app.config.DurationConverter;
import io.poolstate.app.config.LayeredDefaults;
import io.poolstate.app.config.PerChain;
import io.poolstate.app.options.HttpLimitOptions;
import io.poolstate.app.options.MetricsOptions;
import io.poolstate.app.options.NatsOptions;
import io.poolstate.app.options.NetworkOptions;
import io.poolstate.app.options.PostgresOptions;
import io.poolstate.app.options.RpcOptions;
import io.poolstate.dex.network.NetworkPreset;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.scrape.StorageReads;
import io.poolstate.dex.v4.HookPermission;
import io.poolstate.eth.Address;
import io.poolstate.postgres.Database;
import io.poolstate.whitelist.WhitelistMetrics;
import io.poolstate.whitelist.WhitelistRunner;
import io.poolstate.whitelist.discovery.PoolIndexer;
import io.poolstate.whitelist.filter.LiquidityFilter;
import io.poolstate.whitelist.publish.WhitelistPublisher;
import io.poolstate.whitelist.store.WhitelistStore;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code ./poolstate whitelist [--once]} and {@code ./poolstate whitelist history}. Factories, PoolManager, stables,
 * WETH and Multicall3 come from {@code --network} unless given. One process serves one chain, or every chain the
 * configuration file lists as {@code [[whitelist.chains]]} ({@link PerChain}): one NATS connection, one Postgres
 * pool and one metrics endpoint, and per chain its own node, runner thread, subjects, rows and metric series.
 */
@Command(name = "whitelist", mixinStandardHelpOptions = true, description = {"Pick the pools that matter; publish differential updates to NATS.",
            "Several chains in one process: list them in the configuration file as [[whitelist.chains]] entries (chain, network, rpc-file, ...)."},
        subcommands = WhitelistHistoryCommand.class)
public final class WhitelistCommand implements Callable<Integer>, PerChain {
    private static final Logger LOG = LoggerFactory.getLogger(WhitelistCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    NetworkOptions network;

    @Mixin
    RpcOptions rpc;

    @Mixin
    NatsOptions nats;

    @Mixin
    io.poolstate.app.options.NatsReplicaOptions replicas;

    @Mixin
    io.poolstate.app.options.NatsStreamOptions stream;

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

    @Option(names = "--storage-reads", paramLabel = "auto|lens|calls", defaultValue = "auto",
            description = "How the liquidity filter reads V3 pool storage: lens (an eth_call state override places a small storage-reading program at the"
                    + " pool), calls (the pool's getters), auto (probe the node once, log the choice; default: ${DEFAULT-VALUE}).")
    String storageReads;

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

    @Option(names = "--stream-max-age", paramLabel = "DURATION", defaultValue = "0s",
            description = "JetStream stream WHITELIST: message age limit, e.g. 7d, 0s for none; when set, a full list is republished at half this age (default: ${DEFAULT-VALUE}).")
    Duration streamMaxAge;

    @Option(names = "--max-message-bytes", defaultValue = "0",
            description = "Largest NATS message published; 0 for the server's max_payload minus 1 KiB for headers (default: ${DEFAULT-VALUE}). Larger lists go out in parts.")
    int maxMessageBytes;

    @Override
    public Integer call() throws Exception {
        httpLimits.install();
        List<ChainWhitelist.Plan> plans = plans();
        List<String> names = plans.stream().map(ChainWhitelist.Plan::chain).toList();
        var pg = postgres.settings();
        var natsSettings = nats.settings(NatsOptions.LOCAL);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Database db = Database.open(pg, null, WhitelistStore.MIGRATIONS);
             Connection nc = natsSettings.connect()) {
            LOG.info("whitelist process: chains={} postgres={} nats={}", names, pg.redactedUrl(), natsSettings.redacted());
            if (once) {
                return runOnce(plans, db, nc, registry);
            }
            List<ChainWhitelist> chains = new ArrayList<>();
            for (ChainWhitelist.Plan p : plans) {
                chains.add(new ChainWhitelist(p, db, nc, new WhitelistMetrics(registry, p.chain())));
            }
            // a chain whose node or database cannot be reached now is started by its own thread once they answer;
            // a configuration error (the node on another chain than the preset or than the name's rows) ends the process
            for (ChainWhitelist c : chains) {
                c.startOrRetry();
            }
            MetricsEndpoint endpoint = MetricsEndpoint.start(metrics.endpoint("127.0.0.1:9465"), registry::scrape);
            if (endpoint != null) {
                System.out.println("whitelist: metrics at " + endpoint.url());
            }
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                chains.forEach(ChainWhitelist::close);
                if (endpoint != null) {
                    endpoint.close();
                }
                stop.countDown();
            }, "whitelist-shutdown"));
            stop.await();
            return 0;
        }
    }

    /** One run per chain, one after another; a chain that fails is reported and the others still run. Exit 1 when any failed. */
    private static int runOnce(List<ChainWhitelist.Plan> plans, Database db, Connection nc, PrometheusMeterRegistry registry) {
        int failed = 0;
        for (ChainWhitelist.Plan p : plans) {
            try (ChainWhitelist c = new ChainWhitelist(p, db, nc, new WhitelistMetrics(registry, p.chain()))) {
                WhitelistRunner.Report r = c.runOnce();
                System.out.printf("whitelist: %sran=%s tokens=%d candidates=%d kept=%d added=%d removed=%d messages=%d%n",
                        plans.size() > 1 ? "chain=" + p.chain() + " " : "", r.ran(), r.tokens(), r.candidates(), r.kept(), r.added(), r.removed(),
                        r.published().size());
            } catch (Exception e) {
                if (plans.size() == 1) {
                    throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
                }
                failed++;
                System.err.println("error: chain=" + p.chain() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
        return failed == 0 ? 0 : 1;
    }

    /**
     * Every chain this process serves, resolved without I/O.
     *
     * @throws IllegalArgumentException for a wrong option, or two chains with one name
     */
    List<ChainWhitelist.Plan> plans() {
        List<ChainWhitelist.Plan> plans = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (WhitelistCommand c : chainCommands()) {
            ChainWhitelist.Plan p = c.plan();
            if (!names.add(p.chain())) {
                throw new IllegalArgumentException("two chains of [[whitelist.chains]] are named " + p.chain() + ": give each its own chain = \"NAME\""
                        + " (the name keys its NATS subjects and Postgres rows)");
            }
            plans.add(p);
        }
        return plans;
    }

    /**
     * The command as configured for each chain: itself when the configuration file lists no {@code [[whitelist.chains]]};
     * else, per entry, this command's own flags parsed again with the entry's keys over the environment and the file.
     *
     * @throws IllegalArgumentException when a flag is also set by an entry, or a process-wide option is set per chain
     */
    private List<WhitelistCommand> chainCommands() {
        if (spec == null || !(spec.defaultValueProvider() instanceof LayeredDefaults layered)) {
            return List.of(this);
        }
        List<String> path = LayeredDefaults.commandPath(spec);
        List<Map<String, String>> entries = layered.file().tableList(String.join(".", path) + "." + PerChain.KEY);
        if (entries.isEmpty()) {
            return List.of(this);
        }
        ParseResult parsed = spec.commandLine().getParseResult();
        List<String> args = new ArrayList<>();
        for (OptionSpec o : parsed.matchedOptions()) {
            String key = LayeredDefaults.key(o);
            for (Map<String, String> entry : entries) {
                if (entry.containsKey(key)) {
                    throw new IllegalArgumentException("--" + key + " is given as a flag and in [[whitelist.chains]] (chain " + entry.getOrDefault("chain",
                            entry.getOrDefault("network", "?")) + "): give it in one place");
                }
            }
            if (o.arity().max() == 0) {
                if (Boolean.TRUE.equals(o.getValue())) {
                    args.add(o.longestName()); // the whitelist's flags (--once, --nats-tls) are all off unless given
                }
            } else {
                for (String v : o.originalStringValues()) {
                    args.add(o.longestName());
                    args.add(v);
                }
            }
        }
        List<WhitelistCommand> out = new ArrayList<>();
        for (Map<String, String> entry : entries) {
            for (String k : entry.keySet()) {
                if (PROCESS_WIDE.stream().anyMatch(k::startsWith)) {
                    throw new IllegalArgumentException("[[whitelist.chains]] entry sets " + k + ", which holds for the whole process (one NATS connection,"
                            + " one Postgres pool, one metrics endpoint): set it once, under [whitelist] or at the top");
                }
            }
            WhitelistCommand c = new WhitelistCommand();
            CommandLine cl = new CommandLine(c);
            cl.registerConverter(Duration.class, new DurationConverter());
            cl.setDefaultValueProvider(new ChainDefaults(entry, layered, path));
            cl.parseArgs(args.toArray(String[]::new));
            out.add(c);
        }
        return out;
    }

    /** Options one process has once, whatever the number of chains. */
    private static final List<String> PROCESS_WIDE = List.of("nats", "postgres", "metrics", "http-", "once");

    /**
     * This chain's settings, resolved without any I/O (preset addresses, token sources, thresholds, publication).
     *
     * @throws IllegalArgumentException naming the option that is wrong
     */
    private ChainWhitelist.Plan plan() {
        Set<HookPermission> excludedHooks = hookPermissions(excludeHookPermissions);
        WhitelistPublisher.Settings publishing = publisherSettings();
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
        Map<Address, BigDecimal> stable = new LinkedHashMap<>();
        stableAddresses.forEach(a -> stable.put(a, BigDecimal.ONE));
        Set<Address> allBases = new LinkedHashSet<>(stable.keySet());
        allBases.addAll(bases);
        ChainWhitelist.Sources sources = new ChainWhitelist.Sources(tokenList, minChains, hyperliquid, lighter, topTransferBlocks, topTransfers);
        return new ChainWhitelist.Plan(network.chain(), network, rpc.url(network, false), sources, factories, multicallAddress, firstBlock, confirmations,
                new LiquidityFilter.Thresholds(minActive, minDepth, depthPercent), stable, allBases, retention, excludedHooks, publishing, interval, replicas.replicas(),
                StorageReads.parse(storageReads));
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
        return new WhitelistPublisher.Settings(fullEvery, streamMaxMsgsPerSubject, stream.maxBytes(), streamMaxAge, stream.duplicateWindow(), maxMessageBytes);
    }
}
