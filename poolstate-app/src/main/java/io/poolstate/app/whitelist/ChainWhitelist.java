package io.poolstate.app.whitelist;

import io.nats.client.Connection;
import io.poolstate.app.options.NetworkOptions;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.scrape.StorageReads;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chain's whitelist inside a whitelist process that may serve several: its own node connection, runner and
 * service (scheduler thread {@code whitelist-runner-<chain>}), its subjects {@code whitelist.pools.<chain>.*}, its
 * rows (keyed by the chain's name, the name bound to the node's chain id) and its metric series
 * ({@code chain="<name>"}). The process's NATS connection and Postgres pool are shared. A chain whose node (or the
 * database) does not answer at start-up is started by its own thread ({@code whitelist-start-<chain>}) once they
 * do, retrying with backoff from 1 s to 1 min; the other chains run meanwhile. A node on another chain than the
 * preset's, or than the one the chain's name is bound to, is a configuration error: refused, never retried.
 */
final class ChainWhitelist implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChainWhitelist.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofMinutes(1);

    /** The token sources of one chain (files and URLs, not yet opened). */
    record Sources(Path tokenList, int minChains, URI hyperliquid, URI lighter, int topTransferBlocks, int topTransfers) {
    }

    /** One chain's settings, resolved from its options without any I/O. */
    record Plan(String chain, NetworkOptions network, String rpcUrl, Sources sources, PoolIndexer.Factories factories, Address multicall, long startBlock,
                int confirmations, LiquidityFilter.Thresholds thresholds, Map<Address, BigDecimal> stables, Set<Address> bases, Duration retention,
                Set<HookPermission> excludedHooks, WhitelistPublisher.Settings publishing, Duration interval, int replicas, StorageReads storageReads) {
    }

    /** A configuration error found on the node or in Postgres: retrying cannot help. */
    static final class ChainConfigException extends IllegalArgumentException {
        ChainConfigException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Plan plan;
    private final Database db;
    private final Connection nats;
    private final WhitelistMetrics metrics;
    private final Object lock = new Object();
    private EthClient eth;
    private WhitelistRunner runner;
    private WhitelistService service;
    private Thread starter;
    private boolean closed;

    ChainWhitelist(Plan plan, Database db, Connection nats, WhitelistMetrics metrics) {
        this.plan = plan;
        this.db = db;
        this.nats = nats;
        this.metrics = metrics;
    }

    String chain() {
        return plan.chain();
    }

    /** Opens the chain and runs its whitelist once (for {@code --once}); errors propagate. */
    WhitelistRunner.Report runOnce() throws Exception {
        open();
        return runner.runOnce();
    }

    /**
     * Opens the chain and starts its service now, or — when its node or the database does not answer — on a thread
     * of its own once they do.
     *
     * @throws ChainConfigException when the node is on another chain than configured
     */
    void startOrRetry() {
        try {
            open();
            start();
        } catch (ChainConfigException e) {
            throw e;
        } catch (Exception e) {
            metrics.runFailures.increment();
            LOG.error("whitelist chain not started, retrying in {}: chain={} reason={}", FIRST_RETRY, plan.chain(), reason(e));
            closeClient();
            synchronized (lock) {
                starter = Thread.ofPlatform().name("whitelist-start-" + plan.chain()).daemon().start(this::retry);
            }
        }
    }

    private void retry() {
        Duration wait = FIRST_RETRY;
        while (true) {
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
                if (closed) {
                    return;
                }
            }
            try {
                open();
                start();
                return;
            } catch (Exception e) {
                closeClient();
                wait = wait.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait.multipliedBy(2);
                metrics.runFailures.increment();
                LOG.error("whitelist chain not started, retrying in {}: chain={} reason={}", wait, plan.chain(), reason(e));
            }
        }
    }

    private void open() throws Exception {
        EthClient client = EthClient.open(plan.rpcUrl());
        synchronized (lock) {
            eth = client;
        }
        long chainId = client.chainId();
        try {
            plan.network().checkChainId(chainId);
        } catch (IllegalArgumentException e) {
            throw new ChainConfigException("chain " + plan.chain() + ": " + e.getMessage(), e);
        }
        WhitelistStore store = new WhitelistStore(db.dataSource(), plan.chain());
        try {
            store.bindChainId(chainId);
        } catch (IllegalStateException e) {
            throw new ChainConfigException(e.getMessage(), e);
        }
        List<TokenSource> sources = new ArrayList<>();
        Map<String, Address> bySymbol = new HashMap<>();
        Sources s = plan.sources();
        if (s.tokenList() != null) {
            TokenListSource list = new TokenListSource(s.tokenList(), chainId, s.minChains());
            sources.add(list);
            bySymbol.putAll(list.addressesBySymbol());
        }
        if (s.hyperliquid() != null) {
            sources.add(new MarketListingSource(MarketListingSource.Venue.HYPERLIQUID, s.hyperliquid(), bySymbol));
        }
        if (s.lighter() != null) {
            sources.add(new MarketListingSource(MarketListingSource.Venue.LIGHTER, s.lighter(), bySymbol));
        }
        if (s.topTransferBlocks() > 0) {
            sources.add(new TopTransfersSource(client, s.topTransferBlocks(), s.topTransfers()));
        }
        LOG.info("whitelist starting: network={} chain={} chain_id={} rpc={} v2_factories={} v3_factories={} pool_managers={} stables={} bases={}"
                + " start_block={} sources={}", plan.network().name(), plan.chain(), chainId, client.rpc().endpoint(), plan.factories().v2(),
                plan.factories().v3(), plan.factories().poolManagers(), plan.stables().keySet(), plan.bases(), plan.startBlock(), sources.size());
        runner = new WhitelistRunner(client, sources,
                new PoolIndexer(client, db.dataSource(), plan.chain(), plan.factories(), plan.startBlock(), plan.confirmations()),
                new LiquidityFilter(new PoolScraper(client, plan.multicall(), ScrapeSettings.DEFAULT.withStorageReads(plan.storageReads())),
                        plan.thresholds()),
                store, new WhitelistPublisher(nats, plan.chain(), chainId, plan.publishing(), plan.replicas()),
                new WhitelistRunner.Config(plan.chain(), plan.stables(), plan.bases(), plan.retention(), plan.excludedHooks()), metrics);
    }

    private void start() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            service = new WhitelistService(runner, new WhitelistStore(db.dataSource(), plan.chain()), nats, plan.chain()).start(plan.interval());
        }
    }

    private void closeClient() {
        synchronized (lock) {
            if (eth != null) {
                eth.close();
                eth = null;
            }
        }
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    @Override
    public void close() {
        Thread t;
        synchronized (lock) {
            closed = true;
            t = starter;
            if (service != null) {
                service.close();
            }
        }
        if (t != null) {
            t.interrupt();
        }
        closeClient();
    }
}
