package io.poolstate.bench;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.poolstate.devnet.Devnet;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.postgres.Database;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.testkit.LoopbackPorts;
import io.poolstate.testkit.NatsServerProcess;
import io.poolstate.whitelist.WhitelistRunner;
import io.poolstate.whitelist.publish.WhitelistPublisher;
import io.poolstate.whitelist.store.WhitelistStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Set;

/**
 * The whitelist pipeline as the launcher runs it ({@link WhitelistHarness#runner}: token list → discovery from the
 * factories' and the PoolManager's events (a restored devnet has no logs: {@link CreationLogServer} answers
 * {@code eth_getLogs} with the deployment's creation events) → liquidity filter → snapshot in Postgres → {@code full}/diff on NATS) on
 * the saved 10,000-pool devnet ({@link BigDevnet#restore}: restored, never deployed here; 6 positions per pool),
 * with a fresh Postgres database on 127.0.0.1:5432 (user postgres, trust) and a private nats-server (default
 * {@code max_payload}, 1 MiB). Run 1 is the first run (every pool discovered, filtered and published as a
 * {@code full} list); then {@code changed} listed V2 pools are drained below the filter's threshold and run 2
 * publishes the diff; then one of them is refilled and run 3 publishes that. Prints the time of each stage, and the
 * bytes and messages of each published update.
 * Usage: {@code java -Xmx3g -cp benchmarks.jar io.poolstate.bench.WhitelistScaleHarness [pools] [changed]}.
 */
public final class WhitelistScaleHarness {
    private WhitelistScaleHarness() {
    }

    public static void main(String[] args) throws Exception {
        int poolCount = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int changed = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path dir = Files.createTempDirectory("whitelist-scale");
        String database = "wl_scale_" + Long.toHexString(System.currentTimeMillis());
        String chain = "scale" + System.currentTimeMillis();
        long t0 = System.nanoTime();
        try (Devnet devnet = BigDevnet.clockAtHead(BigDevnet.restore(LoopbackPorts.free(), dir.resolve("devnet"), poolCount, 0, 0))) {
            var d = devnet.deployment();
            System.out.printf("devnet: %d pools (%d tokens) restored in %.1f s, head %d (load %s)%n", d.pools().size(), d.tokens().size(),
                    (System.nanoTime() - t0) / 1e9, devnet.eth().blockNumber(), ArenaScaleHarness.load());
            createDatabase(database);
            try (CreationLogServer logs = CreationLogServer.start(d, devnet.eth().blockNumber());
                 EthClient discovery = EthClient.open(logs.url());
                 NatsServerProcess server = NatsServerProcess.start(Files.createDirectories(dir.resolve("nats")));
                 Connection nc = Nats.connect(server.url());
                 Database db = Database.open("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", null, "poolstate", WhitelistStore.MIGRATIONS)) {
                WhitelistRunner runner = WhitelistHarness.runner(devnet, discovery, db, new WhitelistPublisher(nc, chain, d.chainId(), WhitelistPublisher.Settings.DEFAULT),
                        chain, dir);
                WhitelistRunner.Report first = run("run 1 (first run: empty database, no list yet)", runner);

                Set<PoolId> listed = Set.copyOf(first.published().get(0).pools().stream().map(PoolDescriptor::id).toList());
                List<PoolDescriptor> drained = d.pools(Protocol.UNISWAP_V2).stream().filter(p -> listed.contains(p.id())).limit(changed).toList();
                if (drained.isEmpty()) {
                    throw new IllegalStateException("run 1 listed no V2 pool: nothing to drain for a diff run");
                }
                for (PoolDescriptor p : drained) {
                    WhitelistHarness.removeAll(devnet, p);
                }
                System.out.printf("drained %d listed V2 pools (all of the trader's liquidity removed), head %d%n", drained.size(), devnet.eth().blockNumber());
                run("run 2 (diff run: " + drained.size() + " pools drained)", runner);

                WhitelistHarness.refill(devnet, drained.get(0));
                System.out.printf("refilled 1 of them, head %d%n", devnet.eth().blockNumber());
                run("run 3 (diff run: 1 pool refilled)", runner);
            }
        } finally {
            dropDatabase(database);
        }
    }

    private static WhitelistRunner.Report run(String what, WhitelistRunner runner) throws Exception {
        String loadBefore = ArenaScaleHarness.load();
        long t0 = System.nanoTime();
        WhitelistRunner.Report r = runner.runOnce();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: %.2f s (load %s -> %s); %d tokens, %d candidates, %d kept, %d added, %d removed; stages (ms) %s%n", what, seconds, loadBefore,
                ArenaScaleHarness.load(), r.tokens(), r.candidates(), r.kept(), r.added(), r.removed(), r.stageMillis());
        for (int i = 0; i < r.published().size(); i++) {
            WhitelistMessage m = r.published().get(i);
            WhitelistPublisher.Sent s = r.sent().get(i);
            int pools = m.pools().isEmpty() ? m.poolIds().size() : m.pools().size();
            System.out.printf("  %s of %d pools: minimal %,d B in %d message(s) (%.1f B/pool), full %,d B in %d message(s) (%.1f B/pool)%n", m.type(), pools,
                    s.minimalBytes(), s.minimalParts(), s.minimalBytes() / (double) Math.max(1, pools), s.fullBytes(), s.fullParts(),
                    s.fullBytes() / (double) Math.max(1, pools));
        }
        return r;
    }

    private static void createDatabase(String name) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", null)) {
            c.createStatement().execute("CREATE DATABASE " + name);
        }
    }

    private static void dropDatabase(String name) {
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", null)) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + name);
        } catch (Exception e) {
            System.out.printf("could not drop database %s: %s%n", name, e.getMessage());
        }
    }
}
