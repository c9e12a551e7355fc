package io.poolstate.app.arena;

import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaView;
import io.poolstate.arena.PoolCatalog;
import io.poolstate.feed.whitelist.NatsWhitelistAgent;
import io.poolstate.arena.http.ArenaHttpServer;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.eth.Address;
import io.poolstate.eth.rpc.EthClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The arena's parts wired together: node client, the agent on the feed socket, the HTTP API. */
public final class ArenaService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArenaService.class);

    /** What the arena needs to start; {@code httpPort} 0 picks a free port. */
    public record Config(Path feedSocket, String rpcUrl, PoolCatalog catalog, String natsUrl, String chain, Address multicall, String httpHost,
                         int httpPort, ArenaAgent.Settings settings) {
        /** A fixed list of pools, no NATS. */
        public Config(Path feedSocket, String rpcUrl, List<PoolDescriptor> pools, Address multicall, String httpHost, int httpPort,
                      ArenaAgent.Settings settings) {
            this(feedSocket, rpcUrl, PoolCatalog.of(pools), null, null, multicall, httpHost, httpPort, settings);
        }
    }

    private final EthClient eth;
    private final ArenaAgent agent;
    private final ArenaHttpServer http;

    private final NatsWhitelistAgent nats;

    private ArenaService(EthClient eth, ArenaAgent agent, ArenaHttpServer http, NatsWhitelistAgent nats) {
        this.eth = eth;
        this.agent = agent;
        this.http = http;
        this.nats = nats;
    }

    public static ArenaService start(Config c) throws IOException {
        if (c.natsUrl() == null && c.catalog().current().isEmpty()) {
            throw new IllegalArgumentException("the arena has no pools to serve");
        }
        EthClient eth = EthClient.open(c.rpcUrl());
        ArenaMetrics metrics = new ArenaMetrics();
        NatsWhitelistAgent nats = c.natsUrl() == null ? null : new NatsWhitelistAgent(c.natsUrl(), "whitelist.pools." + c.chain() + ".full",
                c.catalog(), () -> LOG.debug("malformed whitelist message skipped"), 64 << 20).start();
        ArenaAgent agent = new ArenaAgent(eth, c.multicall(), c.feedSocket(), c.catalog(), c.settings(), metrics).start();
        ArenaHttpServer http = new ArenaHttpServer(c.httpHost(), c.httpPort(), agent::view, metrics).start();
        LOG.info("arena started: pools={} feed={} rpc={} api=http://{}:{}", nats == null ? Integer.toString(c.catalog().current().size())
                : "from NATS " + nats.subject(), c.feedSocket(), c.rpcUrl(), http.address().getHostString(), http.address().getPort());
        return new ArenaService(eth, agent, http, nats);
    }

    public ArenaView view() {
        return agent.view();
    }

    public InetSocketAddress apiAddress() {
        return http.address();
    }

    @Override
    public void close() {
        http.close();
        if (nats != null) {
            nats.close();
        }
        agent.close();
        eth.close();
        LOG.info("arena stopped");
    }
}
