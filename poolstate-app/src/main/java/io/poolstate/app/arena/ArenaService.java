package io.poolstate.app.arena;

import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaView;
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
    public record Config(Path feedSocket, String rpcUrl, List<PoolDescriptor> pools, Address multicall, String httpHost, int httpPort,
                         ArenaAgent.Settings settings) {
    }

    private final EthClient eth;
    private final ArenaAgent agent;
    private final ArenaHttpServer http;

    private ArenaService(EthClient eth, ArenaAgent agent, ArenaHttpServer http) {
        this.eth = eth;
        this.agent = agent;
        this.http = http;
    }

    public static ArenaService start(Config c) throws IOException {
        if (c.pools().isEmpty()) {
            throw new IllegalArgumentException("the arena has no pools to serve");
        }
        EthClient eth = EthClient.open(c.rpcUrl());
        ArenaMetrics metrics = new ArenaMetrics();
        ArenaAgent agent = new ArenaAgent(eth, c.multicall(), c.feedSocket(), c.pools(), c.settings(), metrics).start();
        ArenaHttpServer http = new ArenaHttpServer(c.httpHost(), c.httpPort(), agent::view, metrics).start();
        LOG.info("arena started: pools={} feed={} rpc={} api=http://{}:{}", c.pools().size(), c.feedSocket(), c.rpcUrl(),
                http.address().getHostString(), http.address().getPort());
        return new ArenaService(eth, agent, http);
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
        agent.close();
        eth.close();
        LOG.info("arena stopped");
    }
}
