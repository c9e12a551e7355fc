package io.poolstate.app.demo;

import io.nats.client.Connection;
import io.poolstate.nats.NatsSettings;
import io.poolstate.postgres.PostgresSettings;
import io.poolstate.devnet.Devnet;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.eth.Address;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.whitelist.WhitelistMetrics;
import io.poolstate.whitelist.WhitelistRunner;
import io.poolstate.whitelist.WhitelistService;
import io.poolstate.whitelist.discovery.PoolIndexer;
import io.poolstate.whitelist.filter.LiquidityFilter;
import io.poolstate.whitelist.publish.WhitelistPublisher;
import io.poolstate.postgres.Database;
import io.poolstate.whitelist.store.WhitelistStore;
import io.poolstate.whitelist.token.TokenListSource;
import io.poolstate.whitelist.token.TopTransfersSource;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whitelist of the demo: the devnet's tokens (a token list written for it, plus top transfers), its factories,
 * USDC and DAI as the USD anchors, WETH and USDC as bases; a first run before the feed and arena start, then
 * runs on a schedule. Snapshots go to a Postgres schema of their own, emptied at start.
 */
final class DemoWhitelist implements AutoCloseable {
    static final String SCHEMA = "poolstate_demo";

    private final Database db;
    private final Connection nats;
    private final WhitelistService service;
    private final WhitelistStore store;

    private DemoWhitelist(Database db, Connection nats, WhitelistService service, WhitelistStore store) {
        this.store = store;
        this.db = db;
        this.nats = nats;
        this.service = service;
    }

    static DemoWhitelist start(Devnet devnet, Path dir, PostgresSettings pg, NatsSettings natsSettings, String chain, Duration interval) throws Exception {
        var d = devnet.deployment();
        java.util.Properties login = new java.util.Properties();
        login.setProperty("user", pg.user());
        if (pg.password() != null) {
            login.setProperty("password", pg.password());
        }
        login.setProperty("connectTimeout", Long.toString(pg.connectTimeout().toSeconds()));
        try (var c = DriverManager.getConnection(pg.url(), login)) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Postgres is not reachable at " + pg.redactedUrl() + " as " + pg.user() + " (./poolstate demo starts it when installed): "
                    + pg.scrub(e.getMessage()), e);
        }
        Database db = Database.open(pg, SCHEMA, WhitelistStore.MIGRATIONS);
        Connection nc;
        try {
            nc = natsSettings.connect();
        } catch (Exception e) {
            db.close();
            throw new IllegalStateException("NATS is not reachable (./poolstate demo starts it when installed): " + e.getMessage(), e);
        }
        StringBuilder list = new StringBuilder("{\"name\":\"devnet tokens\",\"tokens\":[");
        for (var t : d.tokens()) {
            for (long id : new long[] {1, 10, d.chainId()}) {
                list.append("{\"chainId\":").append(id).append(",\"address\":\"").append(id == d.chainId() ? t.address() : "0x" + "2".repeat(40))
                        .append("\",\"symbol\":\"").append(t.symbol()).append("\",\"decimals\":").append(t.decimals()).append("},");
            }
        }
        list.setLength(list.length() - 1);
        list.append("]}");
        Path tokens = dir.resolve("tokens.json");
        Files.writeString(tokens, list);
        Address usdc = d.tokens().get(1).address();
        Address dai = d.tokens().get(3).address();
        WhitelistStore store = new WhitelistStore(db.dataSource(), chain);
        WhitelistRunner runner = new WhitelistRunner(devnet.eth(),
                List.of(new TokenListSource(tokens, d.chainId(), 2), new TopTransfersSource(devnet.eth(), 100, 10)),
                new PoolIndexer(devnet.eth(), db.dataSource(), chain, new PoolIndexer.Factories(List.of(d.contracts().v2Factory()),
                        List.of(d.contracts().v3Factory()), List.of(d.contracts().poolManager())), 0, 0),
                new LiquidityFilter(new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT),
                        new LiquidityFilter.Thresholds(new BigDecimal("100000"), new BigDecimal("20000"), 2)),
                store, new WhitelistPublisher(nc, chain),
                new WhitelistRunner.Config(chain, Map.of(usdc, BigDecimal.ONE, dai, BigDecimal.ONE), Set.of(d.contracts().weth(), usdc), Duration.ofDays(1)),
                new WhitelistMetrics());
        runner.runOnce();
        WhitelistService service = new WhitelistService(runner, store, nc, chain);
        service.start(interval);
        return new DemoWhitelist(db, nc, service, store);
    }

    /** The whitelist's snapshots and changes (the dashboard reads them). */
    WhitelistStore store() {
        return store;
    }

    @Override
    public void close() {
        service.close();
        NatsSettings.close(nats);
        db.close();
    }
}
