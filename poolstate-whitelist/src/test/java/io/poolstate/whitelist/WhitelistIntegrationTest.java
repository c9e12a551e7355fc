package io.poolstate.whitelist;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.nats.client.Connection;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.eth.Address;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.nats.NatsSettings;
import io.poolstate.nats.WhitelistSink;
import io.poolstate.nats.WhitelistSubscription;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.testkit.NatsServerProcess;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.whitelist.discovery.PoolIndexer;
import io.poolstate.whitelist.filter.LiquidityFilter;
import io.poolstate.whitelist.publish.WhitelistPublisher;
import io.poolstate.postgres.Database;
import io.poolstate.whitelist.store.WhitelistStore;
import io.poolstate.whitelist.token.MarketListingSource;
import io.poolstate.whitelist.token.TokenListSource;
import io.poolstate.whitelist.token.TokenSource;
import io.poolstate.whitelist.token.TopTransfersSource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whitelist on the devnet with the local Postgres and a NATS server of its own: a full list first; pools
 * that cross the thresholds either way become add and remove updates with reasons; a restarted process
 * publishes a diff; a late consumer ends with exactly the stored list; a crash between store and publish is
 * finished on the next run; two runs never overlap; bad source data is skipped with a reason.
 */
class WhitelistIntegrationTest {
    @Test
    void publishesDiffsBackedByPostgres(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        String schema = "wl_test_" + Long.toHexString(System.nanoTime());
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        } catch (java.sql.SQLException e) {
            Assumptions.abort("no Postgres at 127.0.0.1:5432/test: " + e.getMessage());
        }
        Files.createDirectories(dir.resolve("nats"));
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        HttpServer venues = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        try (NatsServerProcess nats = NatsServerProcess.start(dir.resolve("nats")); Connection nc = nats.connect();
             Devnet devnet = Devnet.start(port, dir.resolve("devnet"), DevnetDeployer.Options.defaults());
             Database db = Database.open("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null, schema, WhitelistStore.MIGRATIONS)) {
            var d = devnet.deployment();
            Address weth = d.contracts().weth();
            Address usdc = d.tokens().get(1).address();
            Address dai = d.tokens().get(3).address();
            // recorded venue answers: one good market, one unknown symbol, one malformed entry; the other venue is down
            venues.createContext("/info", ex -> reply(ex, 200, "{\"universe\":[{\"name\":\"WBTC\",\"szDecimals\":5},{\"name\":\"NOPE\"},{\"bad\":1}]}"));
            venues.createContext("/api/v1/orderBooks", ex -> reply(ex, 500, "{\"error\":\"maintenance\"}"));
            venues.start();
            String base = "http://127.0.0.1:" + venues.getAddress().getPort();
            Path list = writeTokenList(dir, d);
            TokenListSource tokenList = new TokenListSource(list, d.chainId(), 3);
            List<TokenSource> sources = List.of(tokenList,
                    new MarketListingSource(MarketListingSource.Venue.HYPERLIQUID, URI.create(base + "/info"), tokenList.addressesBySymbol()),
                    new MarketListingSource(MarketListingSource.Venue.LIGHTER, URI.create(base + "/api/v1/orderBooks"), tokenList.addressesBySymbol()),
                    new TopTransfersSource(devnet.eth(), 50, 3));
            PoolIndexer.Factories factories = new PoolIndexer.Factories(List.of(d.contracts().v2Factory()), List.of(d.contracts().v3Factory()),
                    List.of(d.contracts().poolManager()));
            WhitelistRunner.Config config = new WhitelistRunner.Config("devnet", Map.of(usdc, BigDecimal.ONE, dai, BigDecimal.ONE), Set.of(weth, usdc),
                    Duration.ofDays(30));
            LiquidityFilter.Thresholds thresholds = new LiquidityFilter.Thresholds(new BigDecimal("20000"), new BigDecimal("5000"), 2.0);

            // one V2 pool starts nearly empty (it will cross up later), another will be drained (it will cross down)
            List<PoolDescriptor> v2 = d.pools(Protocol.UNISWAP_V2).stream().filter(p -> Set.of(weth, usdc, dai).contains(p.token0().address())
                    || Set.of(weth, usdc, dai).contains(p.token1().address())).toList();
            PoolDescriptor up = v2.get(0);
            PoolDescriptor down = v2.get(1);
            drain(devnet, up);

            WhitelistMetrics metrics = new WhitelistMetrics();
            WhitelistRunner first = runner(devnet, db, nc, sources, factories, config, thresholds, metrics);
            WhitelistRunner.Report r1 = first.runOnce();
            assertThat(r1.published()).singleElement().extracting(WhitelistMessage::type).isEqualTo(UpdateType.FULL);
            Set<PoolId> list1 = new HashSet<>(r1.published().get(0).poolIds());
            assertThat(list1).doesNotContain(up.id()).contains(down.id());
            System.out.println("whitelist run 1: tokens=" + r1.tokens() + " candidates=" + r1.candidates() + " kept=" + r1.kept()
                    + " full bytes=" + r1.sent().get(0).fullBytes());

            fill(devnet, up);
            drain(devnet, down);
            WhitelistRunner restarted = runner(devnet, db, nc, sources, factories, config, thresholds, metrics); // a new process
            WhitelistRunner.Report r2 = restarted.runOnce();
            assertThat(r2.published()).extracting(WhitelistMessage::type).containsExactly(UpdateType.ADD, UpdateType.REMOVE);
            WhitelistMessage add = r2.published().get(0);
            WhitelistMessage remove = r2.published().get(1);
            assertThat(add.poolIds()).contains(up.id());
            assertThat(remove.poolIds()).contains(down.id());
            assertThat(add.prevSnapshotId()).isEqualTo(r1.published().get(0).snapshotId());
            assertThat(remove.prevSnapshotId()).isEqualTo(add.snapshotId());
            WhitelistStore store = new WhitelistStore(db.dataSource(), "devnet");
            assertThat(store.changes(add.snapshotId()).get(up.id())[1]).contains("depth 2%");
            assertThat(store.changes(remove.snapshotId()).get(down.id())[1]).startsWith("stage ");
            System.out.println("whitelist run 2: add " + add.poolIds().size() + " (" + r2.sent().get(0).minimalBytes() + " bytes minimal, "
                    + r2.sent().get(0).fullBytes() + " full), remove " + remove.poolIds().size() + " (" + r2.sent().get(1).minimalBytes() + " bytes minimal)");

            // a process killed after storing a snapshot and before publishing it: what it left is a pending snapshot
            fill(devnet, down);
            WhitelistStore.Snapshot last = store.latestPublished();
            Map<PoolId, PoolDescriptor> withDown = new java.util.LinkedHashMap<>(last.pools());
            PoolDescriptor downWithMeta = r1.published().get(0).pools().stream().filter(p -> p.id().equals(down.id())).findFirst().orElseThrow();
            withDown.put(down.id(), downWithMeta);
            Map<PoolId, String> reasons = new java.util.LinkedHashMap<>(last.reasons());
            reasons.put(down.id(), "refilled");
            long pendingId = last.snapshotId() + 1;
            store.storePending(pendingId, last.snapshotId(), "add", withDown, reasons, Map.of(down.id(), "refilled"), Map.of());
            assertThat(store.latest().status()).isEqualTo("pending");
            WhitelistRunner.Report r3 = runner(devnet, db, nc, sources, factories, config, thresholds, metrics).runOnce();
            assertThat(store.latestPublished().snapshotId()).isGreaterThanOrEqualTo(pendingId);
            assertThat(store.latest().status()).isEqualTo("published");
            assertThat(r3.published()).allMatch(m -> m.type() != UpdateType.FULL);

            // a consumer that starts late ends with exactly the stored list
            WhitelistFold fold = new WhitelistFold(WhitelistFold.Guard.NONE, false);
            WhitelistSink sink = new WhitelistSink() {
                @Override
                public void resynced(List<WhitelistMessage> fromLatestFull) {
                    synchronized (fold) {
                        fold.resync(fromLatestFull);
                    }
                }

                @Override
                public void live(WhitelistMessage message) {
                    synchronized (fold) {
                        fold.apply(message);
                    }
                }

                @Override
                public boolean needsResync() {
                    synchronized (fold) {
                        return fold.needsResync();
                    }
                }

                @Override
                public void malformed(String subject, String reason) {
                    throw new AssertionError("the publisher wrote a message its consumers cannot read: " + reason);
                }
            };
            try (WhitelistSubscription late = new WhitelistSubscription(NatsSettings.of(nats.url()), "whitelist.pools.devnet.minimal", sink, 1 << 22).start()) {
                long expected = store.latestPublished().snapshotId();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() < deadline) {
                    synchronized (fold) {
                        if (fold.snapshotId() == expected) {
                            break;
                        }
                    }
                    Thread.sleep(50);
                }
                Set<PoolId> got;
                synchronized (fold) {
                    got = new HashSet<>(fold.state().ids());
                }
                assertThat(got).isEqualTo(store.latestPublished().pools().keySet());
            }

            // two runs never overlap: while one holds the lock, another does not run
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = Thread.ofVirtual().start(() -> {
                try {
                    store.withRunLock(() -> {
                        holding.countDown();
                        release.await();
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            holding.await();
            assertThat(runner(devnet, db, nc, sources, factories, config, thresholds, metrics).runOnce().ran()).isFalse();
            release.countDown();
            holder.join();
            assertThat(metrics.scrape()).contains("poolstate_whitelist_source_failures_total{source=\"lighter\"} ").contains("source=\"hyperliquid\"");
        } finally {
            venues.stop(0);
        }
    }

    private static WhitelistRunner runner(Devnet devnet, Database db, Connection nc, List<TokenSource> sources, PoolIndexer.Factories factories,
                                          WhitelistRunner.Config config, LiquidityFilter.Thresholds thresholds, WhitelistMetrics metrics) {
        return new WhitelistRunner(devnet.eth(), sources, new PoolIndexer(devnet.eth(), db.dataSource(), "devnet", factories, 0, 0),
                new LiquidityFilter(new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT), thresholds),
                new WhitelistStore(db.dataSource(), "devnet"), new WhitelistPublisher(nc, "devnet"), config, metrics);
    }

    /** Removes 99.99% of a V2 pair's liquidity. */
    private static void drain(Devnet devnet, PoolDescriptor pair) {
        var d = devnet.deployment();
        BigInteger lp = Abi.decode("balanceOf(address)", "(uint256)", devnet.eth().call(pair.id().address(),
                Abi.call("balanceOf(address)", Abi.addr(d.trader())), BlockRef.latest())).get(0);
        devnet.chain().queue("drain " + pair.id(), d.contracts().v2Router(), Abi.call(
                "removeLiquidity(address,address,uint256,uint256,uint256,address,uint256)", Abi.addr(pair.token0().address()),
                Abi.addr(pair.token1().address()), lp.multiply(BigInteger.valueOf(9999)).divide(BigInteger.valueOf(10000)), BigInteger.ZERO,
                BigInteger.ZERO, Abi.addr(d.trader()), Abi.MAX_UINT256), null, 5_000_000);
        devnet.chain().mineAll(10);
    }

    /** Adds liquidity worth 50,000 times what the pair holds (five times what a drained pair had). */
    private static void fill(Devnet devnet, PoolDescriptor pair) {
        var d = devnet.deployment();
        List<BigInteger> reserves = new ArrayList<>();
        var t = Abi.decode("getReserves()", "(uint112,uint112,uint32)", devnet.eth().call(pair.id().address(), Abi.call("getReserves()"), BlockRef.latest()));
        reserves.add(t.get(0));
        reserves.add(t.get(1));
        devnet.chain().queue("fill " + pair.id(), d.contracts().v2Router(), Abi.call(
                "addLiquidity(address,address,uint256,uint256,uint256,uint256,address,uint256)", Abi.addr(pair.token0().address()),
                Abi.addr(pair.token1().address()), reserves.get(0).multiply(BigInteger.valueOf(50_000)), reserves.get(1).multiply(BigInteger.valueOf(50_000)),
                BigInteger.ZERO, BigInteger.ZERO, Abi.addr(d.trader()), Abi.MAX_UINT256), null, 5_000_000);
        devnet.chain().mineAll(10);
    }

    /** A token list with the devnet's tokens listed on several chains (and one malformed entry). */
    private static Path writeTokenList(Path dir, io.poolstate.devnet.deploy.Deployment d) throws Exception {
        StringBuilder sb = new StringBuilder("{\"name\":\"devnet test list\",\"tokens\":[");
        for (var t : d.tokens()) {
            for (long chain : new long[] {1, 10, 137, d.chainId()}) {
                sb.append("{\"chainId\":").append(chain).append(",\"address\":\"").append(chain == d.chainId() ? t.address()
                        : "0x" + "1".repeat(40)).append("\",\"symbol\":\"").append(t.symbol()).append("\",\"decimals\":").append(t.decimals()).append("},");
            }
        }
        sb.append("{\"chainId\":1,\"address\":\"0xnothex\",\"symbol\":\"BAD\",\"decimals\":18}]}");
        Path p = dir.resolve("tokens.json");
        Files.writeString(p, sb.toString());
        return p;
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws java.io.IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }
}
