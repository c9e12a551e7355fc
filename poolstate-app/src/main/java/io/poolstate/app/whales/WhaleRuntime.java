package io.poolstate.app.whales;

import io.poolstate.app.options.NetworkOptions;
import io.poolstate.app.options.PostgresOptions;
import io.poolstate.app.options.RpcOptions;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.postgres.Database;
import io.poolstate.whales.WhaleMetrics;
import io.poolstate.whales.WhaleSettings;
import io.poolstate.whales.WhaleTracker;
import io.poolstate.whales.store.WhaleStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A node client (the tracker's own, so its traffic counts are the snapshots'), the database and a tracker for one asset, closed together. */
final class WhaleRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WhaleRuntime.class);

    final EthClient eth;
    final Database db;
    final WhaleMetrics metrics = new WhaleMetrics();
    final WhaleTracker tracker;
    final WhaleSettings settings;

    WhaleRuntime(WhaleOptions o, NetworkOptions network, RpcOptions rpc, PostgresOptions postgres) throws Exception {
        if (o.holdersQuery == null) {
            o.settings(network, null); // option errors before any connection
        }
        String url = rpc.url(network, false);
        var pg = postgres.settings();
        this.eth = EthClient.open(url);
        WhaleSettings s;
        try {
            this.db = Database.open(pg, o.schema, WhaleStore.MIGRATIONS);
        } catch (RuntimeException e) {
            eth.close();
            throw e;
        }
        try {
            s = o.settings(network, o.holdersQuery == null ? null : o.queryAddresses(db));
            long chainId = eth.chainId();
            network.checkChainId(chainId);
            LOG.info("whale tracker: network={} chain_id={} rpc={} postgres={} asset={} multicall={}", network.name(), chainId, eth.rpc().endpoint(),
                    pg.redactedUrl(), s.assetKey(), s.multicall());
        } catch (Exception e) {
            close();
            throw e;
        }
        this.settings = s;
        this.tracker = new WhaleTracker(eth, s, new WhaleStore(db.dataSource(), s.assetKey()), metrics);
    }

    @Override
    public void close() {
        db.close();
        eth.close();
    }
}
