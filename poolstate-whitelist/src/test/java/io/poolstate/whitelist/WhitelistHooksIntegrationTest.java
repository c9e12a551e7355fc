package io.poolstate.whitelist;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.deploy.HookKind;
import io.poolstate.devnet.deploy.HookedPool;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.v4.HookFlags;
import io.poolstate.dex.v4.HookPermission;
import io.poolstate.eth.Address;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.testkit.NatsServerProcess;
import io.poolstate.postgres.Database;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.whitelist.discovery.PoolIndexer;
import io.poolstate.whitelist.filter.LiquidityFilter;
import io.poolstate.whitelist.publish.WhitelistPublisher;
import io.poolstate.whitelist.store.WhitelistStore;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hooked V4 pools through the whitelist: the migration decodes the permissions of pools indexed before it; discovery
 * records each pool's hooks and permissions; by default every hooked pool is kept, its reason naming the hook and
 * whether its quotes are exact; excluding return-delta permissions removes the custom-curve and fee-taking pools with a
 * reason naming the hook and the permission.
 */
class WhitelistHooksIntegrationTest {
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

    @Test
    void recordsHookPermissionsAndExcludesByPermission(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        String schema = "wl_hooks_" + Long.toHexString(System.nanoTime());
        try (var c = DriverManager.getConnection(URL, "postgres", null)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        } catch (java.sql.SQLException e) {
            Assumptions.abort("no Postgres at 127.0.0.1:5432/test: " + e.getMessage());
        }
        // a schema at version 1 holding pools indexed before the permissions were recorded
        Flyway.configure().dataSource(URL, "postgres", null).schemas(schema).defaultSchema(schema).locations("classpath:db/whitelist")
                .table("whitelist_schema_history").target("1").load().migrate();
        try (var c = DriverManager.getConnection(URL, "postgres", null)) {
            c.createStatement().execute("INSERT INTO " + schema + ".discovered_pools (chain, pool_id, protocol, token0, token1, factory, fee,"
                    + " tick_spacing, hooks, created_block) VALUES"
                    + " ('old', '0x" + "11".repeat(32) + "', 'uniswap_v4', '0x01', '0x02', '0x03', 3000, 60, '0x9fbf205924fbd34e446bcdf24a3e7d050e29c088', 1),"
                    + " ('old', '0x" + "22".repeat(32) + "', 'uniswap_v4', '0x01', '0x02', '0x03', 3000, 60, '0x0000000000000000000000000000000000000000', 1),"
                    + " ('old', '0x00000000000000000000000000000000000000c3', 'uniswap_v3', '0x01', '0x02', '0x03', 3000, 60, NULL, 1)");
        }
        Files.createDirectories(dir.resolve("nats"));
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        try (NatsServerProcess nats = NatsServerProcess.start(dir.resolve("nats")); Connection nc = nats.connect();
             Devnet devnet = Devnet.start(port, dir.resolve("devnet"), new DevnetDeployer.Options(12, 4, 1, true));
             Database db = Database.open(URL, "postgres", null, schema, WhitelistStore.MIGRATIONS)) {
            assertThat(permissions(schema, "old")).containsEntry("0x" + "11".repeat(32), "136 beforeSwap,beforeSwapReturnDelta")
                    .containsEntry("0x" + "22".repeat(32), "0 ").containsEntry("0x00000000000000000000000000000000000000c3", "null null");

            Deployment d = devnet.deployment();
            Address usdc = d.tokens().get(1).address();
            Address dai = d.tokens().get(3).address();
            Set<Address> bases = new HashSet<>(d.tokens().stream().map(t -> t.address()).toList());
            bases.add(Address.ZERO);
            PoolIndexer.Factories factories = new PoolIndexer.Factories(List.of(d.contracts().v2Factory()), List.of(d.contracts().v3Factory()),
                    List.of(d.contracts().poolManager()));
            LiquidityFilter.Thresholds thresholds = new LiquidityFilter.Thresholds(new BigDecimal("1000"), new BigDecimal("100"), 2.0);
            Map<Address, BigDecimal> stables = Map.of(usdc, BigDecimal.ONE, dai, BigDecimal.ONE);

            WhitelistRunner.Report r1 = runner(devnet, db, nc, factories, new WhitelistRunner.Config("devnet", stables, bases, Duration.ofDays(1)),
                    thresholds).runOnce();
            Map<String, String> recorded = permissions(schema, "devnet");
            for (HookedPool h : d.hookedPools()) {
                HookFlags f = HookFlags.of(h.hooks());
                assertThat(recorded.get(h.pool().id().toString())).as(h.kind().wireName()).isEqualTo(f.bits() + " " + String.join(",", f.names()));
            }
            d.pools().stream().filter(p -> p.protocol() == io.poolstate.dex.pool.Protocol.UNISWAP_V4 && p.hooks().isZero())
                    .forEach(p -> assertThat(recorded.get(p.id().toString())).isEqualTo("0 "));

            assertThat(r1.published()).singleElement().extracting(WhitelistMessage::type).isEqualTo(UpdateType.FULL);
            Set<PoolId> list1 = new HashSet<>(r1.published().get(0).poolIds());
            Map<HookKind, PoolId> byKind = new HashMap<>();
            d.hookedPools().forEach(h -> byKind.put(h.kind(), h.pool().id()));
            assertThat(list1).as("every hooked pool is kept by default").containsAll(byKind.values());
            WhitelistStore store = new WhitelistStore(db.dataSource(), "devnet");
            Map<PoolId, String> reasons = store.latestPublished().reasons();
            HookedPool curve = d.hookedPools().stream().filter(h -> h.kind() == HookKind.CUSTOM_CURVE).findFirst().orElseThrow();
            assertThat(reasons.get(curve.pool().id())).endsWith("; hook " + curve.hooks() + " [beforeSwap, beforeSwapReturnDelta], quotes refused");
            assertThat(reasons.get(byKind.get(HookKind.DYNAMIC_FEE))).endsWith("[afterInitialize], quotes exact");

            WhitelistRunner.Report r2 = runner(devnet, db, nc, factories, new WhitelistRunner.Config("devnet", stables, bases, Duration.ofDays(1),
                    Set.of(HookPermission.BEFORE_SWAP_RETURNS_DELTA, HookPermission.AFTER_SWAP_RETURNS_DELTA)), thresholds).runOnce();
            assertThat(r2.published()).singleElement().extracting(WhitelistMessage::type).isEqualTo(UpdateType.REMOVE);
            WhitelistMessage remove = r2.published().get(0);
            assertThat(remove.poolIds()).containsExactlyInAnyOrder(byKind.get(HookKind.CUSTOM_CURVE), byKind.get(HookKind.FEE_TAKING));
            Map<PoolId, String[]> changes = store.changes(remove.snapshotId());
            assertThat(changes.get(byKind.get(HookKind.CUSTOM_CURVE))[1]).isEqualTo("hook " + curve.hooks()
                    + " has excluded permission beforeSwapReturnDelta (--exclude-hook-permission)");
            assertThat(changes.get(byKind.get(HookKind.FEE_TAKING))[1]).contains("has excluded permission afterSwapReturnDelta");
            assertThat(store.latestPublished().pools()).containsKeys(byKind.get(HookKind.FEE_OVERRIDE), byKind.get(HookKind.DYNAMIC_FEE));
        }
    }

    private static WhitelistRunner runner(Devnet devnet, Database db, Connection nc, PoolIndexer.Factories factories, WhitelistRunner.Config config,
                                          LiquidityFilter.Thresholds thresholds) {
        return new WhitelistRunner(devnet.eth(), List.of(), new PoolIndexer(devnet.eth(), db.dataSource(), "devnet", factories, 0, 0),
                new LiquidityFilter(new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT), thresholds),
                new WhitelistStore(db.dataSource(), "devnet"), new WhitelistPublisher(nc, "devnet"), config, new WhitelistMetrics());
    }

    /** pool id -> "hook_flags hook_permissions(comma-joined)" for a chain's discovered V4 pools (and V2/V3 as "null null"). */
    private static Map<String, String> permissions(String schema, String chain) throws Exception {
        Map<String, String> out = new HashMap<>();
        try (var c = DriverManager.getConnection(URL, "postgres", null);
             var s = c.prepareStatement("SELECT pool_id, hook_flags, hook_permissions FROM " + schema + ".discovered_pools WHERE chain = ?")) {
            s.setString(1, chain);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Object flags = r.getObject(2);
                    java.sql.Array perms = r.getArray(3);
                    out.put(r.getString(1), flags + " " + (perms == null ? "null" : String.join(",", Arrays.asList((String[]) perms.getArray()))));
                }
            }
        }
        return out;
    }
}
