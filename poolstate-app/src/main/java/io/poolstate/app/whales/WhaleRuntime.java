package io.poolstate.app.whales;

import io.poolstate.eth.rpc.EthClient;
import io.poolstate.postgres.Database;
import io.poolstate.whales.WhaleMetrics;
import io.poolstate.whales.WhaleSettings;
import io.poolstate.whales.WhaleTracker;
import io.poolstate.whales.store.WhaleStore;

/** A node client, the database and a tracker for one asset, closed together. */
final class WhaleRuntime implements AutoCloseable {
    final EthClient eth;
    final Database db;
    final WhaleMetrics metrics = new WhaleMetrics();
    final WhaleTracker tracker;
    final WhaleSettings settings;

    WhaleRuntime(WhaleOptions o) throws Exception {
        if (o.holdersQuery == null) {
            o.settings(); // option errors before any connection
        }
        this.eth = EthClient.open(o.rpc);
        WhaleSettings s;
        try {
            this.db = Database.open(o.postgres, o.schema, WhaleStore.MIGRATIONS);
        } catch (RuntimeException e) {
            eth.close();
            throw e;
        }
        try {
            s = o.settings(o.holdersQuery == null ? null : WhaleOptions.queryAddresses(db.dataSource(), o.holdersQuery));
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
