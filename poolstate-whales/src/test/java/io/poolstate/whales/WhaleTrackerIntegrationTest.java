package io.poolstate.whales;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.devnet.contract.UniswapArtifacts;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.npm.NpmPackages;
import io.poolstate.devnet.whales.WhaleToken;
import io.poolstate.devnet.whales.WhaleTokenSeeder;
import io.poolstate.eth.Address;
import io.poolstate.eth.Hex;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.JsonRpcClient;
import io.poolstate.eth.rpc.Log;
import io.poolstate.eth.rpc.LogFilter;
import io.poolstate.postgres.Database;
import io.poolstate.whales.analysis.Window;
import io.poolstate.whales.analysis.WindowMetrics;
import io.poolstate.whales.holders.TransferIndexer;
import io.poolstate.whales.report.ScoreChart;
import io.poolstate.whales.report.WhaleReport;
import io.poolstate.whales.snapshot.SnapshotOutcome;
import io.poolstate.whales.store.StoredSnapshot;
import io.poolstate.whales.store.WhaleStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whale tracker on the devnet's whale token (3,200 holders, Pareto balances, transfers between them) with the
 * local Postgres: the top-N list equals a brute-force ranking from the chain, every stored balance equals
 * {@code eth_getBalance}/{@code balanceOf} at the snapshot block, two trackers started together take one
 * snapshot, a failing snapshot is stored as incomplete without balances, and the report's figures equal a
 * recomputation from the stored rows.
 */
class WhaleTrackerIntegrationTest {
    private static final int HOLDERS = 3200;
    private static final int TOP = 1000;
    private static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/test";

    @Test
    void snapshotsEqualTheChain(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        String schema = "whales_test_" + Long.toHexString(System.nanoTime());
        try (var c = DriverManager.getConnection(JDBC, "postgres", null)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        } catch (java.sql.SQLException e) {
            Assumptions.abort("no Postgres at 127.0.0.1:5432/test: " + e.getMessage());
        }
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), new DevnetDeployer.Options(3, 1, 5));
             Database db1 = Database.open(JDBC, "postgres", null, schema, WhaleStore.MIGRATIONS);
             Database db2 = Database.open(JDBC, "postgres", null, schema, WhaleStore.MIGRATIONS)) {
            EthClient eth = devnet.eth();
            WhaleTokenSeeder seeder = new WhaleTokenSeeder(devnet.chain(), 42);
            WhaleToken w = seeder.seed(UniswapArtifacts.load(NpmPackages.locate()).mockErc20(), HOLDERS, devnet.deployment().contracts().poolManager());
            seeder.transfers(w, 15, 150);
            devnet.chain().mineEmpty();
            devnet.chain().mineEmpty();

            WhaleSettings settings = new WhaleSettings(w.token(), null, w.deployBlock(), TOP, 500, 3, Duration.ofHours(1), 2,
                    Window.parseList("1m,1h,24h"), Set.of(w.exchange()), true, Multicall3.CANONICAL);
            String asset = settings.assetKey();
            WhaleMetrics metrics = new WhaleMetrics();
            WhaleTracker a = new WhaleTracker(eth, settings, new WhaleStore(db1.dataSource(), asset), metrics);
            WhaleTracker b = new WhaleTracker(eth, settings, new WhaleStore(db2.dataSource(), asset), new WhaleMetrics());
            Instant t0 = Instant.parse("2026-01-01T10:00:00Z");

            // a failing attempt: balances read through an address without code; stored as incomplete, no balances
            WhaleSettings broken = new WhaleSettings(w.token(), null, w.deployBlock(), TOP, 500, 2, Duration.ofHours(1), 2,
                    Window.parseList("1m,1h"), Set.of(w.exchange()), true, w.exchange());
            SnapshotOutcome failed = new WhaleTracker(eth, broken, new WhaleStore(db1.dataSource(), asset), metrics).snapshot(t0);
            assertThat(failed).isInstanceOf(SnapshotOutcome.Failed.class);
            long failedId = ((SnapshotOutcome.Failed) failed).snapshotId();
            assertThat(count(schema, "SELECT count(*) FROM whale_balances WHERE snapshot_id = " + failedId)).isZero();
            assertThat(count(schema, "SELECT count(*) FROM whale_snapshots WHERE status = 'incomplete'")).isEqualTo(1);
            assertThat(((SnapshotOutcome.Failed) failed).reason()).contains("no Multicall3 at multicall=" + w.exchange());

            // two trackers (two connection pools, as two processes) started together: one snapshot
            List<SnapshotOutcome> outcomes = together(a, b, t0);
            assertThat(outcomes).filteredOn(o -> o instanceof SnapshotOutcome.Taken).hasSize(1);
            assertThat(outcomes).filteredOn(o -> o instanceof SnapshotOutcome.LockHeld).hasSize(1);
            assertThat(count(schema, "SELECT count(*) FROM whale_snapshots")).isEqualTo(1); // the incomplete row was replaced
            StoredSnapshot s1 = taken(outcomes);
            assertThat(b.snapshot(t0.plusSeconds(600))).isEqualTo(new SnapshotOutcome.SlotDone(t0, s1.id())); // same slot, later
            verifyAgainstChain(eth, w, settings, new WhaleStore(db1.dataSource(), asset), s1);

            // more traffic, two more slots
            seeder.transfers(w, 10, 150);
            devnet.chain().mineEmpty();
            devnet.chain().mineEmpty();
            var sentBefore = eth.rpc().traffic();
            StoredSnapshot s2 = taken(List.of(a.snapshot(t0.plus(Duration.ofHours(1)))));
            var sent = eth.rpc().traffic().minus(sentBefore);
            assertThat(s2.rpcCalls()).as("every JSON-RPC call sent: head, headers, logs, code checks, multicalls").isEqualTo(sent.calls())
                    .isGreaterThan(TOP);
            assertThat(s2.rpcRequests()).as("the HTTP requests they went out in").isEqualTo(sent.requests()).isPositive().isLessThan(s2.rpcCalls());
            verifyAgainstChain(eth, w, settings, a.store(), s2);
            seeder.transfers(w, 10, 150);
            devnet.chain().mineEmpty();
            devnet.chain().mineEmpty();
            StoredSnapshot s3 = taken(List.of(b.snapshot(t0.plus(Duration.ofHours(2)))));
            verifyAgainstChain(eth, w, settings, a.store(), s3);

            // report figures equal a recomputation from the stored rows
            List<WindowMetrics> m3 = a.store().metrics(s3.id());
            assertThat(m3).extracting(m -> m.window().name()).containsExactly("1m", "1h", "24h");
            // one clock, the slots: the previous hourly slot is exactly 1h back, whatever the block times (here seconds apart)
            assertThat(m3.get(0).baselineSnapshotId()).isEqualTo(s2.id());
            assertThat(m3.get(0).spanSeconds()).isEqualTo(3600);
            assertThat(m3.get(1).baselineSnapshotId()).isEqualTo(s2.id());
            assertThat(m3.get(1).spanSeconds()).isEqualTo(3600);
            assertThat(m3.get(2).baselineSnapshotId()).isEqualTo(s1.id()); // history shorter than 24h: the oldest, its span stated
            assertThat(m3.get(2).spanSeconds()).isEqualTo(7200);
            for (WindowMetrics m : m3) {
                recompute(schema, s3.id(), m);
            }
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            new WhaleReport(a.store(), 18).print(new PrintStream(text, true, StandardCharsets.UTF_8), 5);
            String report = text.toString(StandardCharsets.UTF_8);
            System.out.println(report);
            WhaleReport units = new WhaleReport(a.store(), 18);
            for (WindowMetrics m : m3) {
                assertThat(report).contains(units.units(m.groupHoldings()), units.units(m.netChange()), m.score().toPlainString());
            }
            assertThat(report).contains("snapshot=" + s3.id(), "block=" + s3.blockNumber());
            long entries = count(schema, "SELECT count(*) FROM whale_list_changes WHERE snapshot_id = " + s3.id() + " AND change = 'enter'");
            long exits = count(schema, "SELECT count(*) FROM whale_list_changes WHERE snapshot_id = " + s3.id() + " AND change = 'exit'");
            assertThat(report).contains("entries=" + entries + " exits=" + exits);
            assertThat(entries).isEqualTo(exits); // the list keeps its size
            Path svg = dir.resolve("score.svg");
            Path png = dir.resolve("score.png");
            for (Path p : List.of(svg, png)) {
                new ScoreChart().add("1m", a.store().scoreHistory("1m", 100)).add("1h", a.store().scoreHistory("1h", 100)).write(p);
            }
            assertThat(Files.readString(svg)).contains("<polyline");
            assertThat(Files.readAllBytes(png)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
            try (var api = new io.poolstate.whales.report.WhaleHttpServer("127.0.0.1", 0, a.store(), metrics::scrape, "1m,1h").start()) {
                String base = "http://127.0.0.1:" + api.address().getPort();
                var http = java.net.http.HttpClient.newHttpClient();
                var latest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(get(http, base + "/v1/whales", 200));
                assertThat(latest.get("snapshot").get("id").asLong()).isEqualTo(s3.id());
                for (int i = 0; i < m3.size(); i++) {
                    var row = latest.get("windows").get(i);
                    assertThat(row.get("window").asText()).isEqualTo(m3.get(i).window().name());
                    assertThat(new BigInteger(row.get("net_change").asText())).isEqualTo(m3.get(i).netChange());
                    assertThat(row.get("score").decimalValue()).isEqualByComparingTo(m3.get(i).score());
                }
                var top = new com.fasterxml.jackson.databind.ObjectMapper().readTree(get(http, base + "/v1/whales/top?limit=3", 200));
                List<WhaleStore.Balance> stored = a.store().balances(s3.id());
                for (int i = 0; i < 3; i++) {
                    assertThat(top.get("whales").get(i).get("address").asText()).isEqualTo(stored.get(i).address().toString());
                    assertThat(new BigInteger(top.get("whales").get(i).get("asset_balance").asText())).isEqualTo(stored.get(i).asset());
                }
                assertThat(get(http, base + "/v1/whales/top?limit=zero", 400)).contains("limit is not a number");
                assertThat(get(http, base + "/v1/whales/snapshots", 200)).contains("\"status\":\"complete\"").doesNotContain("incomplete"); // replaced
                assertThat(get(http, base + "/v1/whales/chart.svg", 200)).contains("<polyline");
            }
            assertThat(metrics.scrape()).contains("poolstate_whales_snapshot_duration", "poolstate_whales_snapshots_total{outcome=\"incomplete\"}");
        }
    }

    private static String get(java.net.http.HttpClient http, String url, int status) throws Exception {
        var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + " " + r.body()).isEqualTo(status);
        return r.body();
    }

    private static List<SnapshotOutcome> together(WhaleTracker a, WhaleTracker b, Instant at) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Future<SnapshotOutcome> fa = pool.submit(() -> {
                go.await();
                return a.snapshot(at);
            });
            Future<SnapshotOutcome> fb = pool.submit(() -> {
                go.await();
                return b.snapshot(at);
            });
            go.countDown();
            return List.of(fa.get(), fb.get());
        } finally {
            pool.shutdownNow();
        }
    }

    private static StoredSnapshot taken(List<SnapshotOutcome> outcomes) {
        return outcomes.stream().filter(o -> o instanceof SnapshotOutcome.Taken).map(o -> ((SnapshotOutcome.Taken) o).snapshot()).findFirst()
                .orElseThrow(() -> new AssertionError("no snapshot taken: " + outcomes));
    }

    /** Brute force: every address in the token's Transfer logs, its balance and code at the block, ranked. */
    private static void verifyAgainstChain(EthClient eth, WhaleToken w, WhaleSettings s, WhaleStore store, StoredSnapshot snap) {
        BlockRef at = BlockRef.number(snap.blockNumber());
        assertThat(eth.header(snap.blockNumber()).hash().toString()).isEqualTo(snap.blockHash());
        Set<Address> seen = new LinkedHashSet<>();
        for (Log l : eth.logs(LogFilter.range(w.deployBlock(), snap.blockNumber(), List.of(w.token())).withTopic0(List.of(TransferIndexer.TRANSFER)))) {
            seen.add(Address.fromWord(l.topics().get(1).toBytes(), 0));
            seen.add(Address.fromWord(l.topics().get(2).toBytes(), 0));
        }
        seen.remove(Address.ZERO);
        List<Address> all = new ArrayList<>(seen);
        List<BigInteger> tokenBal = batch(eth, all, a -> new JsonRpcClient.Call("eth_call", List.of(Map.of("to", w.token().toString(),
                "data", Hex.encode(Abi.call("balanceOf(address)", Abi.addr(a)))), at.param())));
        List<JsonRpcClient.Call> codeCalls = all.stream().map(a -> new JsonRpcClient.Call("eth_getCode", List.of(a.toString(), at.param()))).toList();
        var codes = eth.rpc().batchResults(codeCalls);
        Map<Address, BigInteger> ranked = new HashMap<>();
        int contracts = 0;
        for (int i = 0; i < all.size(); i++) {
            boolean code = Hex.decode(codes.get(i).asText()).length > 0;
            contracts += code ? 1 : 0;
            if (!code && !s.excluded().contains(all.get(i)) && tokenBal.get(i).signum() > 0) {
                ranked.put(all.get(i), tokenBal.get(i));
            }
        }
        assertThat(contracts).isGreaterThanOrEqualTo(1); // the contract holder was seen and left out
        assertThat(all.size()).isGreaterThanOrEqualTo(HOLDERS);
        List<Address> expected = ranked.entrySet().stream()
                .sorted(Comparator.<Map.Entry<Address, BigInteger>, BigInteger>comparing(Map.Entry::getValue).reversed()
                        .thenComparing(e -> e.getKey().toString()))
                .limit(TOP).map(Map.Entry::getKey).toList();
        List<WhaleStore.Balance> stored;
        try {
            stored = store.balances(snap.id());
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        assertThat(stored).extracting(WhaleStore.Balance::address).containsExactlyElementsOf(expected);
        assertThat(stored).extracting(WhaleStore.Balance::address).doesNotContain(w.exchange(), w.contractHolder());
        List<Address> list = stored.stream().map(WhaleStore.Balance::address).toList();
        List<BigInteger> ethBal = batch(eth, list, a -> new JsonRpcClient.Call("eth_getBalance", List.of(a.toString(), at.param())));
        for (int i = 0; i < stored.size(); i++) {
            assertThat(stored.get(i).asset()).as("balanceOf %s", list.get(i)).isEqualTo(ranked.get(list.get(i)));
            assertThat(stored.get(i).eth()).as("eth_getBalance %s", list.get(i)).isEqualTo(ethBal.get(i));
        }
    }

    private static List<BigInteger> batch(EthClient eth, List<Address> addresses, java.util.function.Function<Address, JsonRpcClient.Call> call) {
        return eth.rpc().batchResults(addresses.stream().map(call).toList()).stream().map(n -> new BigInteger(n.asText().substring(2), 16)).toList();
    }

    /** The metrics of one window recomputed with SQL from whale_balances, and the score from its definition. */
    private static void recompute(String schema, long snapshotId, WindowMetrics m) throws Exception {
        long base = m.baselineSnapshotId();
        try (Connection c = DriverManager.getConnection(JDBC, "postgres", null)) {
            c.setSchema(schema);
            String sql = "SELECT (SELECT sum(asset_balance) FROM whale_balances WHERE snapshot_id = ?), "
                    + "(SELECT sum(asset_balance) FROM whale_balances WHERE snapshot_id = ?), "
                    + "count(*) FILTER (WHERE n.asset_balance > o.asset_balance), count(*) FILTER (WHERE n.asset_balance < o.asset_balance), "
                    + "count(*) FILTER (WHERE n.asset_balance = o.asset_balance), coalesce(sum(n.asset_balance - o.asset_balance), 0), "
                    + "coalesce(sum(o.asset_balance), 0), count(*) "
                    + "FROM whale_balances n JOIN whale_balances o ON o.address = n.address AND o.snapshot_id = ? WHERE n.snapshot_id = ?";
            try (var p = c.prepareStatement(sql)) {
                p.setLong(1, snapshotId);
                p.setLong(2, base);
                p.setLong(3, base);
                p.setLong(4, snapshotId);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    BigInteger group = r.getBigDecimal(1).toBigIntegerExact();
                    BigInteger baseHold = r.getBigDecimal(2).toBigIntegerExact();
                    int acc = r.getInt(3);
                    int dist = r.getInt(4);
                    int same = r.getInt(5);
                    BigInteger commonNet = r.getBigDecimal(6).toBigIntegerExact();
                    BigInteger commonBase = r.getBigDecimal(7).toBigIntegerExact();
                    int common = r.getInt(8);
                    assertThat(m.groupHoldings()).isEqualTo(group);
                    assertThat(m.baselineHoldings()).isEqualTo(baseHold);
                    assertThat(m.netChange()).isEqualTo(group.subtract(baseHold));
                    assertThat(m.commonNetChange()).isEqualTo(commonNet);
                    assertThat(new int[] {m.accumulating(), m.distributing(), m.unchanged()}).containsExactly(acc, dist, same);
                    assertThat(m.entries()).isEqualTo(TOP - common);
                    assertThat(m.exits()).isEqualTo(TOP - common);
                    MathContext mc = MathContext.DECIMAL128;
                    BigDecimal breadth = BigDecimal.valueOf(acc - dist).divide(BigDecimal.valueOf(common), mc);
                    BigDecimal depth = BigDecimal.TEN.multiply(new BigDecimal(commonNet)).divide(new BigDecimal(commonBase), mc)
                            .max(BigDecimal.ONE.negate()).min(BigDecimal.ONE);
                    assertThat(m.score()).isEqualByComparingTo(breadth.add(depth).multiply(BigDecimal.valueOf(50)).setScale(2, RoundingMode.HALF_EVEN));
                    System.out.printf("window %s: acc=%d dist=%d same=%d entries=%d net=%s score=%s%n", m.window().name(), acc, dist, same, m.entries(),
                            m.netChange(), m.score());
                }
            }
        }
    }

    private static long count(String schema, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(JDBC, "postgres", null)) {
            c.setSchema(schema);
            try (ResultSet r = c.createStatement().executeQuery(sql)) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
