package io.poolstate.app.arena;

import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaView;
import io.poolstate.arena.ChainWatch;
import io.poolstate.arena.PoolCatalog;
import io.poolstate.arena.http.ArenaHttpServer;
import io.poolstate.arena.http.QuoteSimulation;
import io.poolstate.arena.stream.StreamHub;
import io.poolstate.http.push.PushServer;
import io.poolstate.eth.Address;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.feed.client.FeedSource;
import io.poolstate.nats.NatsSettings;
import io.poolstate.nats.WhitelistSubscription;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The arena's parts wired together: node client, the catalog (file or NATS), the agent on the feed socket, the chain watch, the HTTP API. */
public final class ArenaService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArenaService.class);

    /**
     * What the arena needs to start; {@code nats} null: the catalog is fixed; {@code httpPort} 0 picks a free port;
     * {@code v4Quoter} null: no node quotes; {@code quoteSimulateNode}: quotes of pools whose hook can change a swap's
     * amounts are answered by the V4Quoter instead of 422 (needs {@code v4Quoter}); {@code dashboard} null: the
     * dashboard shows the arena's own figures only; {@code arenaFile} null: no memory-mapped arena file.
     */
    public record Config(FeedSource.Factory feed, String rpcUrl, PoolCatalog catalog, NatsSettings nats, String chain, Address multicall, String httpHost,
                         int httpPort, ArenaAgent.Settings settings, ChainWatch.Settings stale, Address v4Quoter, boolean quoteSimulateNode,
                         ArenaDashboard.Sources dashboard, Path arenaFile) {
        public Config {
            if (quoteSimulateNode && v4Quoter == null) {
                throw new IllegalArgumentException("--quote-simulate-node needs --v4-quoter ADDRESS (the node's V4Quoter answers the quotes)");
            }
        }

        /** Without an arena file. */
        public Config(FeedSource.Factory feed, String rpcUrl, PoolCatalog catalog, NatsSettings nats, String chain, Address multicall, String httpHost,
                      int httpPort, ArenaAgent.Settings settings, ChainWatch.Settings stale, Address v4Quoter, boolean quoteSimulateNode,
                      ArenaDashboard.Sources dashboard) {
            this(feed, rpcUrl, catalog, nats, chain, multicall, httpHost, httpPort, settings, stale, v4Quoter, quoteSimulateNode, dashboard, null);
        }

        /** The same configuration writing the memory-mapped arena file at {@code file}. */
        public Config withArenaFile(Path file) {
            return new Config(feed, rpcUrl, catalog, nats, chain, multicall, httpHost, httpPort, settings, stale, v4Quoter, quoteSimulateNode,
                    dashboard, file);
        }
    }

    /**
     * The push stream ({@code /v1/stream}, WebSocket and Server-Sent Events) on its own {@code host:port} (0: a free
     * port); {@code queueMessages}: a subscriber's queue, full = dropped as too slow; {@code keepMessages}: messages kept
     * for resumes.
     */
    public record StreamConfig(String host, int port, int queueMessages, int keepMessages) {
    }

    private final EthClient eth;
    private final ArenaAgent agent;
    private PushServer stream;
    private StreamHub hub;
    private final ArenaHttpServer http;
    private final WhitelistSubscription nats;
    private final ChainWatch watch;
    private final ArenaMetrics metrics;
    private final FeedSource.Factory feed;

    private ArenaService(EthClient eth, ArenaAgent agent, ArenaHttpServer http, WhitelistSubscription nats, ChainWatch watch, ArenaMetrics metrics,
                         FeedSource.Factory feed) {
        this.feed = feed;
        this.eth = eth;
        this.agent = agent;
        this.http = http;
        this.nats = nats;
        this.watch = watch;
        this.metrics = metrics;
    }

    public static ArenaService start(Config c) throws IOException {
        return start(c, null);
    }

    /** As {@link #start(Config)}, with the push stream when {@code streamConfig} is not null. */
    public static ArenaService start(Config c, StreamConfig streamConfig) throws IOException {
        if (c.nats() == null && c.catalog().size() == 0) {
            throw new IllegalArgumentException("the arena has no pool metadata: give --pools FILE or --nats URL");
        }
        EthClient eth = EthClient.open(c.rpcUrl());
        QuoteSimulation simulation;
        try {
            simulation = c.v4Quoter() == null ? QuoteSimulation.OFF : QuoteSimulation.verified(eth, c.v4Quoter(), c.quoteSimulateNode());
        } catch (RuntimeException e) {
            eth.close();
            throw new IllegalArgumentException("--v4-quoter " + c.v4Quoter() + ": " + e.getMessage(), e);
        }
        ArenaMetrics metrics = new ArenaMetrics();
        metrics.catalog(c.catalog());
        WhitelistSubscription nats = c.nats() == null ? null
                : new WhitelistSubscription(c.nats(), "whitelist.pools." + c.chain() + ".full", c.catalog(), 64 << 20).chainId(eth.chainId()).start();
        ChainWatch watch = new ChainWatch(eth, c.stale()).start();
        ArenaAgent agent = new ArenaAgent(eth, c.multicall(), c.feed(), c.catalog(), c.settings(), metrics);
        if (c.arenaFile() != null) {
            try {
                agent.arenaFile(c.arenaFile());
            } catch (IOException e) {
                watch.close();
                if (nats != null) {
                    nats.close();
                }
                eth.close();
                throw new IllegalArgumentException("--mmap " + c.arenaFile() + ": cannot create the arena file: " + e.getMessage(), e);
            }
        }
        StreamHub hub = null;
        PushServer stream = null;
        if (streamConfig != null) {
            hub = new StreamHub(metrics, streamConfig.keepMessages()).start();
            agent.listen(hub);
            stream = PushServer.start(streamConfig.host(), streamConfig.port(), "/v1/stream", hub,
                    PushServer.Settings.DEFAULT.withQueue(streamConfig.queueMessages()));
            LOG.info("arena stream: ws://{}:{}/v1/stream (and Server-Sent Events there) queue={} messages", stream.address().getHostString(),
                    stream.address().getPort(), streamConfig.queueMessages());
        }
        agent.start();
        ArenaHttpServer http = new ArenaHttpServer(c.httpHost(), c.httpPort(), agent::view, v -> {
            ChainWatch.Freshness f = watch.freshness(v.blockNumber(), agent.lastAdvanceNanos());
            metrics.stale.set(f.stale() ? 1 : 0);
            return f;
        }, metrics, simulation).chain(c.chain()).confirmation(c.stale().confirmation().describe()).pages(new ArenaDashboard(c.chain(), agent::view, () -> watch.freshness(agent.view().blockNumber(),
                agent.lastAdvanceNanos()), metrics, c.dashboard() == null ? ArenaDashboard.Sources.NONE : c.dashboard())).history(agent.history()).feed(agent.feedSource(), agent::activeFeed).start();
        LOG.info("arena started: chain={} chain_id={} metadata={} feed={} rpc={} api=http://{}:{} mmap={} v4_quoter={}", c.chain(), eth.chainId(),
                nats == null ? c.catalog().size() + " pools from a file"
                : "from NATS " + nats.subject(), c.feed().describe(), eth.rpc().endpoint(), http.address().getHostString(), http.address().getPort(),
                c.arenaFile() == null ? "none" : c.arenaFile(), simulation.enabled() ? simulation.quoter().quoter() + " (PoolManager " + simulation.poolManager() + ", refused pools "
                        + (simulation.refusedOnNode() ? "quoted by it" : "answer 422 unless simulate=node") + ")" : "none");
        ArenaService service = new ArenaService(eth, agent, http, nats, watch, metrics, c.feed());
        service.stream = stream;
        service.hub = hub;
        return service;
    }

    /** The push stream's address, or null when it is off. */
    public InetSocketAddress streamAddress() {
        return stream == null ? null : stream.address();
    }

    public ArenaView view() {
        return agent.view();
    }

    /** Whether the served state is stale now. */
    public ChainWatch.Freshness freshness() {
        return watch.freshness(agent.view().blockNumber(), agent.lastAdvanceNanos());
    }

    public InetSocketAddress apiAddress() {
        return http.address();
    }

    public ArenaMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        http.close();
        if (stream != null) {
            stream.close();
            hub.close();
        }
        if (nats != null) {
            nats.close();
        }
        agent.close();
        if (feed instanceof AutoCloseable a) {
            try {
                a.close();
            } catch (Exception e) {
                LOG.debug("closing the feed source failed: {}", e.getMessage());
            }
        }
        watch.close();
        eth.close();
        LOG.info("arena stopped");
    }
}
