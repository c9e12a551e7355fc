package io.poolstate.app.demo;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.contract.UniswapArtifacts;
import io.poolstate.devnet.npm.NpmPackages;
import io.poolstate.devnet.whales.WhaleToken;
import io.poolstate.devnet.whales.WhaleTokenSeeder;
import io.poolstate.postgres.Database;
import io.poolstate.whales.WhaleMetrics;
import io.poolstate.whales.WhaleSchedulerAgent;
import io.poolstate.whales.WhaleSettings;
import io.poolstate.whales.WhaleTracker;
import io.poolstate.whales.analysis.Window;
import io.poolstate.whales.report.WhaleHttpServer;
import io.poolstate.whales.report.WhaleReport;
import io.poolstate.whales.store.WhaleStore;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's whale tracker: the devnet's whale token (3,000 holders), transfers between holders riding along
 * with the traffic, snapshots every {@code interval} into the demo schema, and the latest report on request.
 * {@link #transfers()} runs on the traffic thread (it owns the devnet's chain); the tracker on its own thread.
 */
final class DemoWhales implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoWhales.class);
    static final int HOLDERS = 3000;

    private final WhaleTokenSeeder seeder;
    private final WhaleToken token;
    private final Database db;
    private final WhaleStore store;
    private final WhaleSchedulerAgent agent;
    private final WhaleMetrics metrics;
    private final WhaleHttpServer api;
    private int failures;

    private DemoWhales(WhaleTokenSeeder seeder, WhaleToken token, Database db, WhaleStore store, WhaleSchedulerAgent agent, WhaleMetrics metrics,
                       WhaleHttpServer api) {
        this.api = api;
        this.seeder = seeder;
        this.token = token;
        this.db = db;
        this.store = store;
        this.agent = agent;
        this.metrics = metrics;
    }

    static DemoWhales start(Devnet devnet, io.poolstate.postgres.PostgresSettings pg, String schema, Duration interval, long seed) {
        var d = devnet.deployment();
        WhaleTokenSeeder seeder = new WhaleTokenSeeder(devnet.chain(), seed);
        WhaleToken token = seeder.seed(UniswapArtifacts.load(NpmPackages.locate()).mockErc20(), HOLDERS, d.contracts().poolManager());
        devnet.chain().mineEmpty(); // the first snapshot, two blocks behind the head, then sees every mint
        devnet.chain().mineEmpty();
        Database db = Database.open(pg, schema, WhaleStore.MIGRATIONS);
        WhaleSettings settings = new WhaleSettings(token.token(), null, token.deployBlock(), 1000, 500, 3, interval, 2,
                Window.parseList("10m,1h,6h"), Set.of(token.exchange()), true, d.contracts().multicall3());
        WhaleMetrics metrics = new WhaleMetrics();
        WhaleStore store = new WhaleStore(db.dataSource(), settings.assetKey());
        WhaleSchedulerAgent agent = new WhaleSchedulerAgent(new WhaleTracker(devnet.eth(), settings, store, metrics), metrics, interval).start();
        WhaleHttpServer api;
        try {
            api = new WhaleHttpServer("127.0.0.1", 0, store, metrics::scrape, "10m,1h,6h").start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new DemoWhales(seeder, token, db, store, agent, metrics, api);
    }

    /** The whale API's base URL. */
    String apiUrl() {
        return "http://" + api.address().getHostString() + ":" + api.address().getPort() + "/v1/whales";
    }

    /** The tracker's tables (the dashboard reads the score from them). */
    WhaleStore store() {
        return store;
    }

    WhaleToken token() {
        return token;
    }

    /** One block of transfers between holders (traffic thread); a failure is logged and counted, the demo goes on. */
    void transfers() {
        try {
            seeder.transfers(token, 1, 40);
        } catch (RuntimeException e) {
            if (failures++ < 3) {
                LOG.warn("whale transfers skipped for a block: error={}", e.getMessage());
            }
        }
    }

    void printReport(PrintStream out) {
        try {
            new WhaleReport(store, 18).print(out, 3);
        } catch (java.sql.SQLException e) {
            LOG.error("whale report failed: error={}", e.getMessage());
        }
    }

    @Override
    public void close() {
        api.close();
        try {
            agent.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.close();
    }
}
