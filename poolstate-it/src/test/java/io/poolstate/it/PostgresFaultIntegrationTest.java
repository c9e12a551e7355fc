package io.poolstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.devnet.contract.UniswapArtifacts;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.npm.NpmPackages;
import io.poolstate.devnet.whales.WhaleToken;
import io.poolstate.devnet.whales.WhaleTokenSeeder;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.eth.Address;
import io.poolstate.eth.Hex;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.JsonRpcClient;
import io.poolstate.eth.rpc.Log;
import io.poolstate.eth.rpc.LogFilter;
import io.poolstate.postgres.Database;
import io.poolstate.protocol.whitelist.WhitelistAssembler;
import io.poolstate.protocol.whitelist.WhitelistCodec;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.protocol.whitelist.WhitelistFormat;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.protocol.whitelist.WhitelistSubjects;
import io.poolstate.testkit.NatsServerProcess;
import io.poolstate.testkit.PoolstateProcess;
import io.poolstate.testkit.PostgresServerProcess;
import io.poolstate.whales.holders.TransferIndexer;
import io.poolstate.whales.store.WhaleStore;
import io.poolstate.whitelist.store.WhitelistStore;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Postgres restarted under the whitelist and the whale tracker, each run as the launcher's own process against a
 * private PostgreSQL cluster (the machine's server is never touched), a private NATS and a devnet with the real
 * Uniswap contracts. Each fault is placed exactly: the test parks the writer inside its transaction (a table lock
 * held by the test, or a gate trigger waiting on an advisory lock the test holds, both in the private cluster),
 * sees it waiting in {@code pg_stat_activity}, then stops or kills the server and starts it again.
 *
 * <p>After each: no snapshot half written is visible as done (no whitelist snapshot left {@code pending}, no
 * complete whale snapshot missing balances); the run was retried with backoff (services) or ended with a clear
 * error and a non-zero status ({@code --once}); the next run publishes or stores correctly — what NATS carries,
 * folded by {@link WhitelistFold} from the first message on, equals the newest snapshot in Postgres with no
 * message a consumer would misapply, and whale balances equal {@code balanceOf} / {@code eth_getBalance} at the
 * snapshot's block — and that within {@link #SERVICE_RECOVERY_BOUND} (services) or {@link #RECOVERY_BOUND} (the next
 * {@code --once} run) of the server accepting connections again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresFaultIntegrationTest {
    /**
     * A service (whitelist, {@code whales run}) that outlived the fault: from Postgres accepting connections again to
     * the snapshot published or stored by its own retry (the first retry comes after 1 s; without retries the next
     * attempt would come an interval or a slot later: 10 minutes, an hour).
     */
    static final Duration SERVICE_RECOVERY_BOUND = Duration.ofSeconds(15);
    /**
     * A {@code --once} run that failed: from Postgres accepting connections again to the next {@code --once} run (a
     * new JVM, as a supervisor or timer would start it) done.
     */
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(60);
    private static final Duration PARKED_WITHIN = Duration.ofSeconds(90);
    private static final String CHAIN = "devnet";
    private static final long GATE_KEY = 0x706f6f6cL; // the test's advisory lock key, in the private cluster only
    private static final int TOP = 100;

    @TempDir
    static Path dir;
    private Devnet devnet;
    private PostgresServerProcess pg;
    private NatsServerProcess nats;
    private WhaleToken whale;
    private final List<String> report = new ArrayList<>();

    @BeforeAll
    void up() throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        pg = PostgresServerProcess.start();
        assertThat(pg.port()).isNotEqualTo(5432);
        devnet = Devnet.start(port, dir.resolve("devnet"), new DevnetDeployer.Options(12, 4, 7, false));
        Files.createDirectories(dir.resolve("nats"));
        nats = NatsServerProcess.start(dir.resolve("nats"));
        WhaleTokenSeeder seeder = new WhaleTokenSeeder(devnet.chain(), 11);
        whale = seeder.seed(UniswapArtifacts.load(NpmPackages.locate()).mockErc20(), 300, devnet.deployment().contracts().poolManager());
        seeder.transfers(whale, 3, 60);
        devnet.chain().mineEmpty();
        devnet.chain().mineEmpty();
        // the tables exist before any process starts, so the test can place its gates first
        Database.open(pg.jdbcUrl(), pg.user(), null, null, WhitelistStore.MIGRATIONS).close();
    }

    @AfterAll
    void down() {
        System.out.println("postgres fault results (recovery = Postgres accepting connections again -> snapshot published or stored):");
        report.forEach(line -> System.out.println("  " + line));
        for (AutoCloseable c : new AutoCloseable[] {nats, devnet, pg}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.out.println("closing " + c + ": " + e);
                }
            }
        }
    }

    /**
     * The whitelist service publishes its first list and, while that snapshot waits to be marked published, Postgres
     * is stopped and started: the run fails, is retried within seconds, finishes the pending snapshot (the same
     * messages again, which JetStream drops as duplicates) and leaves nothing pending.
     */
    @Test
    @Order(1)
    void whitelistServiceRetriesAfterPostgresStoppedAndStartedWhileASnapshotWaitsToBeMarked() throws Exception {
        try (Connection gate = connect(null); Statement st = gate.createStatement()) {
            st.execute("CREATE FUNCTION test_gate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_advisory_xact_lock(" + GATE_KEY
                    + "); RETURN NEW; END $$");
            st.execute("CREATE TRIGGER test_gate BEFORE UPDATE ON whitelist_snapshots FOR EACH ROW EXECUTE FUNCTION test_gate()");
            st.execute("SELECT pg_advisory_lock(" + GATE_KEY + ")");
            try (PoolstateProcess service = process("whitelist-service", whitelistArgs("--interval", "10m"))) {
                awaitParked("UPDATE whitelist_snapshots");
                long pending = single("SELECT snapshot_id FROM whitelist_snapshots WHERE status = 'pending'");
                assertThat(lastOnStream(WhitelistFormat.MINIMAL)).as("published before it was marked").isEqualTo(pending);

                pg.restart(); // fast shutdown (the parked transaction rolls back, the gate's session ends), then start
                long back = System.nanoTime();
                try (Connection c = connect(null); Statement s = c.createStatement()) {
                    s.execute("DROP TRIGGER test_gate ON whitelist_snapshots");
                }
                Duration recovery = await(() -> count("SELECT count(*) FROM whitelist_snapshots WHERE status = 'pending'") == 0
                        && count("SELECT count(*) FROM whitelist_snapshots WHERE status = 'published'") == 1, back, "the pending snapshot finished");
                assertThat(service.isAlive()).as("the service keeps running").isTrue();
                service.waitForLine("whitelist run failed \\(attempt 1 in a row\\), retrying in \\d+ ms: .*(still pending|advisory lock lost)", Duration.ofSeconds(5));
                service.waitForLine("finished pending snapshot " + pending, Duration.ofSeconds(5));
                int kept = natsEqualsPostgres("Postgres stopped and started (whitelist service)");
                assertThat(count("SELECT snapshot_id FROM whitelist_snapshots WHERE status = 'published'")).isEqualTo(pending);
                report.add(String.format("%-70s recovered in %5.1f s (bound %d s); %d pools, NATS fold = Postgres snapshot %d", "whitelist service: "
                        + "stop+start while a published snapshot waits to be marked", seconds(recovery), SERVICE_RECOVERY_BOUND.toSeconds(), kept, pending));
                assertThat(recovery).isLessThanOrEqualTo(SERVICE_RECOVERY_BOUND);
            }
        }
    }

    /**
     * {@code whitelist --once} while it stores a diff: Postgres killed (SIGKILL to every server process) and started.
     * The run ends non-zero with the reason; crash recovery leaves nothing of the snapshot and NATS never saw it; the
     * next run publishes the diff.
     */
    @Test
    @Order(2)
    void whitelistOnceFailsCleanlyWhenPostgresIsKilledWhileStoringAndTheNextRunPublishes() throws Exception {
        long before = single("SELECT max(snapshot_id) FROM whitelist_snapshots");
        PoolDescriptor drained = keptV2Pool();
        drain(drained);
        try (Connection gate = connect(null); Statement st = gate.createStatement()) {
            gate.setAutoCommit(false);
            st.execute("LOCK TABLE whitelist_snapshot_pools IN SHARE MODE"); // the diff's pool rows wait; its snapshot row is written
            try (PoolstateProcess once = process("whitelist-once", whitelistArgs("--once"))) {
                awaitParked("INSERT INTO whitelist_snapshot_pools");
                pg.kill();
                pg.restart();
                long back = System.nanoTime();
                int exit = once.waitForExit(RECOVERY_BOUND);
                assertThat(exit).as("a failed run exits non-zero").isNotZero();
                assertThat(String.join("\n", once.lines())).containsPattern("(?m)^error: .*(whitelist snapshot not stored, nothing published: .*reason=|advisory lock lost)")
                        .as("the reason is the server's failure, not the closed connection a rollback met").doesNotContain("reason=Connection is closed");
                assertThat(count("SELECT count(*) FROM whitelist_snapshots WHERE snapshot_id > " + before)).as("nothing of the killed run's snapshot").isZero();
                assertThat(lastOnStream(WhitelistFormat.MINIMAL)).as("NATS never saw it").isEqualTo(before);
                try (PoolstateProcess next = process("whitelist-next", whitelistArgs("--once"))) {
                    assertThat(next.waitForExit(RECOVERY_BOUND)).isZero();
                }
                Duration recovery = Duration.ofNanos(System.nanoTime() - back);
                assertThat(count("SELECT count(*) FROM whitelist_snapshots WHERE status = 'pending'")).isZero();
                long diff = single("SELECT max(snapshot_id) FROM whitelist_snapshots");
                assertThat(single("SELECT prev_snapshot_id FROM whitelist_snapshots WHERE snapshot_id = (SELECT min(snapshot_id) FROM whitelist_snapshots"
                        + " WHERE snapshot_id > " + before + ")")).as("the next run continues the last published snapshot").isEqualTo(before);
                assertThat(count("SELECT count(*) FROM whitelist_changes WHERE change = 'remove' AND snapshot_id > " + before + " AND pool_id = '"
                        + drained.id() + "'")).as("the drained pool removed").isEqualTo(1);
                int kept = natsEqualsPostgres("Postgres killed (whitelist --once)");
                report.add(String.format("%-70s recovered in %5.1f s (bound %d s); %d pools, NATS fold = Postgres snapshot %d", "whitelist --once: "
                        + "kill -9 while a diff is stored (exit " + exit + "), next --once publishes", seconds(recovery), RECOVERY_BOUND.toSeconds(), kept, diff));
                assertThat(recovery).isLessThanOrEqualTo(RECOVERY_BOUND);
            }
        }
    }

    /**
     * {@code whales run} while it writes a snapshot: Postgres killed and started. No complete snapshot without its
     * balances is ever visible; the attempt is retried within its slot and the snapshot stored equals the chain.
     */
    @Test
    @Order(3)
    void whaleTrackerRetriesAfterPostgresKilledWhileASnapshotIsWritten() throws Exception {
        String schema = "whales_run";
        Database.open(pg.jdbcUrl(), pg.user(), null, schema, WhaleStore.MIGRATIONS).close();
        try (Connection gate = connect(schema); Statement st = gate.createStatement()) {
            gate.setAutoCommit(false);
            st.execute("LOCK TABLE whale_balances IN SHARE MODE"); // the balances wait; the snapshot row is written, not committed
            try (PoolstateProcess run = process("whales-run", whalesArgs(schema, "run", "--http", "off", "--metrics", "off"))) {
                awaitParked("INSERT INTO whale_balances");
                assertThat(count(schema, "SELECT count(*) FROM whale_snapshots WHERE status = 'complete'")).as("not visible while written").isZero();
                pg.kill();
                pg.restart();
                long back = System.nanoTime();
                assertNoHalfSnapshot(schema);
                Duration recovery = await(() -> count(schema, "SELECT count(*) FROM whale_snapshots WHERE status = 'complete'") == 1, back,
                        "a complete whale snapshot");
                assertThat(run.isAlive()).as("the tracker keeps running").isTrue();
                run.waitForLine("whale snapshot attempt failed: .* attempt=1 retry_in_ms=\\d+ error=.*(whale snapshot not stored|advisory lock lost)",
                        Duration.ofSeconds(5));
                assertNoHalfSnapshot(schema);
                long block = equalsTheChain(schema);
                report.add(String.format("%-70s recovered in %5.1f s (bound %d s); %d balances equal the chain at block %d", "whales run: kill -9 "
                        + "while a snapshot is written, retried in its slot", seconds(recovery), SERVICE_RECOVERY_BOUND.toSeconds(), TOP, block));
                assertThat(recovery).isLessThanOrEqualTo(SERVICE_RECOVERY_BOUND);
            }
        }
    }

    /**
     * {@code whales snapshot --once} while it writes: Postgres stopped and started. The command exits 1 with the
     * reason, nothing is visible as complete, and the next {@code --once} stores a snapshot equal to the chain.
     */
    @Test
    @Order(4)
    void whaleSnapshotOnceExitsNonZeroWhenPostgresStopsWhileWritingAndTheNextOneIsComplete() throws Exception {
        String schema = "whales_once";
        Database.open(pg.jdbcUrl(), pg.user(), null, schema, WhaleStore.MIGRATIONS).close();
        try (Connection gate = connect(schema); Statement st = gate.createStatement()) {
            gate.setAutoCommit(false);
            st.execute("LOCK TABLE whale_balances IN SHARE MODE");
            try (PoolstateProcess once = process("whales-once", whalesArgs(schema, "snapshot", "--once"))) {
                awaitParked("INSERT INTO whale_balances");
                pg.restart();
                long back = System.nanoTime();
                int exit = once.waitForExit(RECOVERY_BOUND);
                assertThat(exit).isEqualTo(1);
                assertThat(String.join("\n", once.lines())).containsPattern("(?m)^error: .*(whale snapshot not stored, its slot stays open: .*reason=|advisory lock lost)")
                        .as("the reason is the server's failure, not the closed connection a rollback met").doesNotContain("reason=Connection is closed");
                assertThat(count(schema, "SELECT count(*) FROM whale_snapshots WHERE status = 'complete'")).isZero();
                assertNoHalfSnapshot(schema);
                try (PoolstateProcess next = process("whales-next", whalesArgs(schema, "snapshot", "--once"))) {
                    assertThat(next.waitForExit(RECOVERY_BOUND)).isZero();
                }
                Duration recovery = Duration.ofNanos(System.nanoTime() - back);
                assertNoHalfSnapshot(schema);
                long block = equalsTheChain(schema);
                report.add(String.format("%-70s recovered in %5.1f s (bound %d s); %d balances equal the chain at block %d", "whales snapshot --once: "
                        + "stop+start while writing (exit " + exit + "), next --once stores", seconds(recovery), RECOVERY_BOUND.toSeconds(), TOP, block));
                assertThat(recovery).isLessThanOrEqualTo(RECOVERY_BOUND);
            }
        }
    }

    // ---- the processes ----

    /** {@code ./poolstate <args>} as a process of its own, as in production (no assertions, its own exit status). */
    private PoolstateProcess process(String name, String... args) {
        return PoolstateProcess.builder(name, dir.resolve(name)).args(args).start();
    }

    private String[] whitelistArgs(String... more) {
        List<String> args = new ArrayList<>(List.of("whitelist", "--network", "devnet", "--devnet-dir", dir.resolve("devnet").toString(), "--chain", CHAIN,
                "--nats", nats.url(), "--postgres", pg.jdbcUrl(), "--postgres-user", pg.user(), "--metrics", "off", "--confirmations", "0",
                "--top-transfers-blocks", "400", "--min-active-usd", "20000", "--min-depth-usd", "5000"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private String[] whalesArgs(String schema, String... command) {
        List<String> args = new ArrayList<>(List.of("whales"));
        args.addAll(List.of(command));
        args.addAll(List.of("--network", "devnet", "--devnet-dir", dir.resolve("devnet").toString(), "--token", whale.token().toString(),
                "--from-block", Long.toString(whale.deployBlock()), "--top", Integer.toString(TOP), "--confirmations", "1", "--interval", "1h",
                "--exclude", whale.exchange().toString(), "--postgres", pg.jdbcUrl(), "--postgres-user", pg.user(), "--schema", schema));
        return args.toArray(String[]::new);
    }

    // ---- Postgres, seen by the test ----

    private Connection connect(String schema) throws SQLException {
        Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), null);
        if (schema != null) {
            c.setSchema(schema);
        }
        return c;
    }

    private long count(String sql) {
        return count(null, sql);
    }

    private long count(String schema, String sql) {
        try (Connection c = connect(schema); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private long single(String sql) {
        try (Connection c = connect(null); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            assertThat(r.next()).as(sql).isTrue();
            long v = r.getLong(1);
            assertThat(r.wasNull()).as(sql).isFalse();
            assertThat(r.next()).as("one row: " + sql).isFalse();
            return v;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Waits until a backend runs a statement starting with {@code statement} and waits for a lock (the test's gate). */
    private void awaitParked(String statement) throws Exception {
        long deadline = System.nanoTime() + PARKED_WITHIN.toNanos();
        try (Connection c = connect(null); PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                + " AND query LIKE ?")) {
            s.setString(1, statement + "%");
            while (true) {
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    if (r.getLong(1) > 0) {
                        return;
                    }
                }
                assertThat(System.nanoTime()).as("a backend parked at: " + statement).isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    /** Polls {@code done} (Postgres may refuse for a moment) until true, at most {@link #SERVICE_RECOVERY_BOUND}; the time since {@code since}. */
    private Duration await(BooleanSupplier done, long since, String what) throws InterruptedException {
        long deadline = since + SERVICE_RECOVERY_BOUND.toNanos();
        while (true) {
            try {
                if (done.getAsBoolean()) {
                    return Duration.ofNanos(System.nanoTime() - since);
                }
            } catch (IllegalStateException e) {
                // the server is still starting or a connection from before the restart is refused: poll on
            }
            assertThat(System.nanoTime()).as(what + " within " + SERVICE_RECOVERY_BOUND.toSeconds() + " s of Postgres' return").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private void assertNoHalfSnapshot(String schema) {
        assertThat(count(schema, "SELECT count(*) FROM whale_snapshots s WHERE s.status = 'complete' AND s.address_count <>"
                + " (SELECT count(*) FROM whale_balances b WHERE b.snapshot_id = s.id)")).as("complete snapshots missing balances").isZero();
        assertThat(count(schema, "SELECT count(*) FROM whale_balances b JOIN whale_snapshots s ON s.id = b.snapshot_id WHERE s.status <> 'complete'"))
                .as("balances of an incomplete snapshot").isZero();
    }

    // ---- the whitelist: NATS against Postgres ----

    /** The newest snapshot id on a subject of the stream (from its message id), 0 when the subject is empty. */
    private long lastOnStream(WhitelistFormat format) throws Exception {
        try (io.nats.client.Connection nc = nats.connect()) {
            MessageInfo last = nc.jetStreamManagement().getLastMessage(WhitelistSubjects.STREAM, new WhitelistSubjects(CHAIN).subject(format));
            return WhitelistSubjects.snapshotOfMessageId(last.getHeaders().getFirst(WhitelistSubjects.MSG_ID_HEADER));
        } catch (JetStreamApiException e) {
            return 0;
        }
    }

    /**
     * Every message on both subjects, from the stream's first on, folded as a consumer folds them: nothing a consumer
     * would misapply (no gap, no held or rejected list), and the result equals the newest snapshot in Postgres (ids on
     * {@code .minimal}, ids and metadata on {@code .full}). Returns the number of pools.
     */
    private int natsEqualsPostgres(String after) throws Exception {
        WhitelistStore.Snapshot db;
        try (Database d = Database.open(pg.jdbcUrl(), pg.user(), null, null, WhitelistStore.MIGRATIONS)) {
            WhitelistStore store = new WhitelistStore(d.dataSource(), CHAIN);
            db = store.latest();
            assertThat(db.status()).isEqualTo("published");
        }
        try (io.nats.client.Connection nc = nats.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            long last = jsm.getStreamInfo(WhitelistSubjects.STREAM).getStreamState().getLastSequence();
            for (WhitelistFormat format : WhitelistFormat.values()) {
                String subject = new WhitelistSubjects(CHAIN).subject(format);
                WhitelistFold fold = new WhitelistFold(WhitelistFold.Guard.DEFAULT, format == WhitelistFormat.FULL);
                WhitelistAssembler parts = new WhitelistAssembler(Long.MAX_VALUE, Duration.ofDays(1));
                Set<Long> seen = new LinkedHashSet<>();
                int duplicates = 0;
                for (long seq = 1; seq <= last; seq++) {
                    MessageInfo m;
                    try {
                        m = jsm.getMessage(WhitelistSubjects.STREAM, seq);
                    } catch (JetStreamApiException e) {
                        continue;
                    }
                    if (!subject.equals(m.getSubject())) {
                        continue;
                    }
                    for (WhitelistAssembler.Result r : parts.accept(WhitelistCodec.readMessage(m.getData(),
                            new WhitelistCodec.Expect(CHAIN, format, Integer.MAX_VALUE)), m.getData().length, 0)) {
                        assertThat(r).as("%s: message %d on %s", after, seq, subject).isInstanceOf(WhitelistAssembler.Result.Complete.class);
                        WhitelistMessage msg = ((WhitelistAssembler.Result.Complete) r).message();
                        WhitelistFold.Outcome o = fold.apply(msg);
                        duplicates += seen.add(msg.snapshotId()) ? 0 : 1;
                        assertThat(o).as("%s: snapshot %d on %s folds", after, msg.snapshotId(), subject)
                                .isInstanceOfAny(WhitelistFold.Outcome.Applied.class, WhitelistFold.Outcome.Duplicate.class);
                    }
                }
                assertThat(fold.snapshotId()).as("%s: the fold of %s ends at Postgres' newest snapshot", after, subject).isEqualTo(db.snapshotId());
                assertThat(fold.state().ids()).as("%s: pools on %s", after, subject).isEqualTo(db.pools().keySet());
                if (format == WhitelistFormat.FULL) {
                    assertThat(fold.state().pools()).as("%s: metadata on %s", after, subject).isEqualTo(db.pools());
                }
                System.out.printf("%s: %s carries snapshots %s (%d stored twice), folded to %d pools = Postgres snapshot %d%n", after, subject, seen,
                        duplicates, fold.state().size(), db.snapshotId());
            }
        }
        return db.pools().size();
    }

    private PoolDescriptor keptV2Pool() throws Exception {
        try (Database d = Database.open(pg.jdbcUrl(), pg.user(), null, null, WhitelistStore.MIGRATIONS)) {
            return new WhitelistStore(d.dataSource(), CHAIN).latestPublished().pools().values().stream().filter(p -> p.protocol() == Protocol.UNISWAP_V2)
                    .findFirst().orElseThrow(() -> new AssertionError("no V2 pool on the whitelist to drain"));
        }
    }

    /** Removes 99.99% of a V2 pair's liquidity (the deployment's trader holds its LP tokens): the next run removes it. */
    private void drain(PoolDescriptor pair) {
        var d = devnet.deployment();
        BigInteger lp = Abi.decode("balanceOf(address)", "(uint256)", devnet.eth().call(pair.id().address(),
                Abi.call("balanceOf(address)", Abi.addr(d.trader())), BlockRef.latest())).get(0);
        devnet.chain().queue("drain " + pair.id(), d.contracts().v2Router(), Abi.call(
                "removeLiquidity(address,address,uint256,uint256,uint256,address,uint256)", Abi.addr(pair.token0().address()),
                Abi.addr(pair.token1().address()), lp.multiply(BigInteger.valueOf(9999)).divide(BigInteger.valueOf(10000)), BigInteger.ZERO,
                BigInteger.ZERO, Abi.addr(d.trader()), Abi.MAX_UINT256), null, 5_000_000);
        assertThat(devnet.chain().mineAll(10)).allMatch(io.poolstate.devnet.chain.DevChain.Mined::success);
    }

    // ---- whales: the stored snapshot against the chain ----

    /**
     * The schema's one complete snapshot against the chain at its block (which has successors): the list is the top
     * {@link #TOP} of every address in the token's Transfer history by {@code balanceOf} (contracts and the exchange
     * left out, ties by address), each balance and ETH balance equal to the node's. Returns the block.
     */
    private long equalsTheChain(String schema) throws Exception {
        long id = count(schema, "SELECT id FROM whale_snapshots WHERE status = 'complete'");
        long block = count(schema, "SELECT block_number FROM whale_snapshots WHERE id = " + id);
        EthClient eth = devnet.eth();
        assertThat(eth.latestHeader().number()).as("the snapshot block has a successor").isGreaterThan(block);
        BlockRef at = BlockRef.number(block);
        Set<Address> seen = new LinkedHashSet<>();
        for (Log l : eth.logs(LogFilter.range(whale.deployBlock(), block, List.of(whale.token())).withTopic0(List.of(TransferIndexer.TRANSFER)))) {
            seen.add(Address.fromWord(l.topics().get(1).toBytes(), 0));
            seen.add(Address.fromWord(l.topics().get(2).toBytes(), 0));
        }
        seen.remove(Address.ZERO);
        List<Address> all = new ArrayList<>(seen);
        List<BigInteger> balances = numbers(eth.rpc().batchResults(all.stream().map(a -> new JsonRpcClient.Call("eth_call", List.of(Map.of(
                "to", whale.token().toString(), "data", Hex.encode(Abi.call("balanceOf(address)", Abi.addr(a)))), at.param()))).toList()));
        var codes = eth.rpc().batchResults(all.stream().map(a -> new JsonRpcClient.Call("eth_getCode", List.of(a.toString(), at.param()))).toList());
        Map<Address, BigInteger> ranked = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            if (Hex.decode(codes.get(i).asText()).length == 0 && !all.get(i).equals(whale.exchange()) && balances.get(i).signum() > 0) {
                ranked.put(all.get(i), balances.get(i));
            }
        }
        List<Address> expected = ranked.entrySet().stream().sorted(Comparator.<Map.Entry<Address, BigInteger>, BigInteger>comparing(Map.Entry::getValue)
                .reversed().thenComparing(e -> e.getKey().toString())).limit(TOP).map(Map.Entry::getKey).toList();
        List<WhaleStore.Balance> stored;
        try (Database d = Database.open(pg.jdbcUrl(), pg.user(), null, schema, WhaleStore.MIGRATIONS)) {
            stored = new WhaleStore(d.dataSource(), whale.token().toString()).balances(id);
        }
        assertThat(stored).extracting(WhaleStore.Balance::address).containsExactlyElementsOf(expected);
        List<BigInteger> ethBalances = numbers(eth.rpc().batchResults(expected.stream().map(a -> new JsonRpcClient.Call("eth_getBalance",
                List.of(a.toString(), at.param()))).toList()));
        for (int i = 0; i < stored.size(); i++) {
            assertThat(stored.get(i).asset()).as("balanceOf %s at block %d", expected.get(i), block).isEqualTo(ranked.get(expected.get(i)));
            assertThat(stored.get(i).eth()).as("eth_getBalance %s at block %d", expected.get(i), block).isEqualTo(ethBalances.get(i));
        }
        return block;
    }

    private static List<BigInteger> numbers(List<com.fasterxml.jackson.databind.JsonNode> nodes) {
        return nodes.stream().map(n -> new BigInteger(n.asText().substring(2), 16)).toList();
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
