package io.poolstate.app.feed;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.eth.Address;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.feed.chain.FeedAgent;
import io.poolstate.app.HostPort;
import io.poolstate.app.MetricsEndpoint;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.feed.socket.FrameServer;
import io.poolstate.feed.stream.StreamPublisher;
import io.poolstate.feed.whitelist.WhitelistTracker;
import io.poolstate.nats.NatsSettings;
import io.poolstate.nats.WhitelistSubscription;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The feed's parts wired together: node client, whitelist (file and/or NATS), socket server, follower, metrics. */
public final class FeedService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeedService.class);

    /**
     * Everything the feed needs to start. {@code nats} null: no NATS; {@code pools} null: none from a file;
     * {@code socketMode} the socket file's permissions.
     */
    public record Config(String rpcUrl, Path socket, Set<PosixFilePermission> socketMode, WhitelistMessage pools, NatsSettings nats, String chain,
                         Set<Address> managers, String metricsHost, int metricsPort, int historyBlocks, FrameServer.Limits limits,
                         WhitelistFold.Guard guard, FeedAgent.Settings agent, StreamPublisher.Settings stream, NatsSettings streamNats) {
        /** Without the JetStream block stream. */
        public Config(String rpcUrl, Path socket, Set<PosixFilePermission> socketMode, WhitelistMessage pools, NatsSettings nats, String chain,
                      Set<Address> managers, String metricsHost, int metricsPort, int historyBlocks, FrameServer.Limits limits,
                      WhitelistFold.Guard guard, FeedAgent.Settings agent) {
            this(rpcUrl, socket, socketMode, pools, nats, chain, managers, metricsHost, metricsPort, historyBlocks, limits, guard, agent, null, null);
        }
    }

    private final EthClient eth;
    private final FeedMetrics metrics;
    private final FrameServer server;
    private final FeedAgent agent;
    private final WhitelistSubscription nats;
    private final MetricsEndpoint endpoint;
    private final StreamPublisher stream;

    private FeedService(EthClient eth, FeedMetrics metrics, FrameServer server, FeedAgent agent, WhitelistSubscription nats, MetricsEndpoint endpoint,
                        StreamPublisher stream) {
        this.endpoint = endpoint;
        this.stream = stream;
        this.eth = eth;
        this.metrics = metrics;
        this.server = server;
        this.agent = agent;
        this.nats = nats;
    }

    public static FeedService start(Config c) throws IOException {
        Set<Address> managers = new LinkedHashSet<>(c.managers());
        if (c.pools() != null) {
            c.pools().pools().stream().filter(p -> p.protocol() == Protocol.UNISWAP_V4).map(PoolDescriptor::factory)
                    .filter(java.util.Objects::nonNull).forEach(managers::add);
        }
        EthClient eth = EthClient.open(c.rpcUrl());
        FeedMetrics metrics = new FeedMetrics();
        MetricsEndpoint endpoint = c.metricsPort() < 0 ? null : MetricsEndpoint.start(new HostPort(c.metricsHost(), c.metricsPort()), metrics::scrape);
        WhitelistTracker whitelist = new WhitelistTracker(managers, c.guard());
        if (c.pools() != null) {
            whitelist.offer(c.pools());
        }
        long chainId = eth.chainId();
        FrameServer server = new FrameServer(c.socket(), chainId, c.historyBlocks(), c.limits(), metrics, c.socketMode()).start();
        WhitelistSubscription nats = c.nats() == null ? null
                : new WhitelistSubscription(c.nats(), "whitelist.pools." + c.chain() + ".minimal", whitelist, 16 << 20).chainId(chainId).start();
        StreamPublisher stream = c.stream() == null ? null : new StreamPublisher(c.streamNats(), chainId, c.stream(), metrics).start();
        FeedAgent agent = new FeedAgent(eth, whitelist, server, metrics, c.agent());
        if (stream != null) {
            agent.sink(stream);
            LOG.info("feed publishes to NATS JetStream while it holds the lease: feed={} servers={} subject={} replicas={}", c.stream().feedId(),
                    c.streamNats().redacted(), io.poolstate.protocol.feed.FeedSubjects.blocks(chainId), c.stream().limits().replicas());
        }
        agent.start();
        LOG.info("feed started: chain_id={} rpc={} socket={} whitelist={} pool_managers={} metrics={}", chainId, eth.rpc().endpoint(), c.socket(),
                c.pools() != null ? "file (" + c.pools().poolIds().size() + " pools)" : "", managers,
                endpoint == null ? "off" : endpoint.url());
        if (nats != null) {
            LOG.info("feed whitelist from NATS: servers={} subject={}", c.nats().redacted(), nats.subject());
        }
        return new FeedService(eth, metrics, server, agent, nats, endpoint, stream);
    }

    /** The metrics URL, or null when metrics are off. */
    public String metricsUrl() {
        return endpoint == null ? null : endpoint.url();
    }

    public FeedMetrics metrics() {
        return metrics;
    }

    public Path socket() {
        return server.path();
    }

    /** Whether this feed publishes the JetStream stream now (false without it). */
    public boolean streamActive() {
        return stream != null && stream.active();
    }

    @Override
    public void close() {
        agent.close();
        if (stream != null) {
            stream.close();
        }
        if (nats != null) {
            nats.close();
        }
        server.close();
        if (endpoint != null) {
            endpoint.close();
        }
        eth.close();
        LOG.info("feed stopped: socket={}", server.path());
    }
}
