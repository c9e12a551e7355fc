package io.poolstate.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Time-outs, read-only queries and advisory locks against the machine's Postgres (127.0.0.1:5432, database test). */
class DatabaseIntegrationTest {
    private static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final Database.Migrations NONE = new Database.Migrations("classpath:db/none", "flyway_postgres_test", "postgres-test");

    private String schema;
    private Database db;

    @BeforeEach
    void open() {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        try (Connection c = DriverManager.getConnection(JDBC, "postgres", null)) {
            schema = "db_it_" + Long.toHexString(System.nanoTime());
        } catch (SQLException e) {
            Assumptions.abort("no Postgres at " + JDBC + ": " + e.getMessage());
        }
        db = Database.open(PostgresSettings.of(JDBC, "postgres", null).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(2)), schema, NONE);
    }

    @AfterEach
    void close() throws SQLException {
        if (db != null) {
            db.close();
            try (Connection c = DriverManager.getConnection(JDBC, "postgres", null)) {
                c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    void theServerCancelsAStatementPastTheStatementTimeout() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); var st = c.createStatement()) {
            try (ResultSet r = st.executeQuery("SHOW statement_timeout")) {
                r.next();
                assertThat(r.getString(1)).isEqualTo("2s");
            }
            long t = System.nanoTime();
            assertThatThrownBy(() -> st.execute("SELECT pg_sleep(30)")).isInstanceOf(SQLException.class).hasMessageContaining("statement timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aConfiguredQueryRunsReadOnlyAndWithinItsTimeout() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("CREATE TABLE t (a text)");
            st.execute("INSERT INTO t VALUES ('0x01'), (NULL)");
        }
        assertThat(db.queryReadOnly("SELECT a FROM t ORDER BY a NULLS LAST", Duration.ofSeconds(1))).containsExactly("0x01", null);
        assertThatThrownBy(() -> db.queryReadOnly("DELETE FROM t RETURNING a", Duration.ofSeconds(1))).hasMessageContaining("read-only transaction");
        assertThatThrownBy(() -> db.queryReadOnly("SELECT a FROM t; DROP TABLE t", Duration.ofSeconds(1))).isInstanceOf(SQLException.class);
        long t = System.nanoTime();
        assertThatThrownBy(() -> db.queryReadOnly("SELECT pg_sleep(20)::text", Duration.ofMillis(500))).hasMessageContaining("statement timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(5));
        assertThat(db.queryReadOnly("SELECT count(*)::text FROM t", Duration.ofSeconds(1))).containsExactly("2");
    }

    @Test
    void aSecondHolderIsRefusedWhileTheFirstRuns() throws Exception {
        AdvisoryLock lock = new AdvisoryLock(db.dataSource(), "pg-it:" + schema, Duration.ofMillis(200));
        AtomicBoolean inner = new AtomicBoolean(true);
        assertThat(lock.tryRun(() -> inner.set(new AdvisoryLock(db.dataSource(), "pg-it:" + schema).tryRun(() -> { })))).isTrue();
        assertThat(inner.get()).as("the same lock from another connection while held").isFalse();
        assertThat(new AdvisoryLock(db.dataSource(), "pg-it:" + schema).tryRun(() -> { })).as("free again afterwards").isTrue();
    }

    /** The lock's connection is killed by the server while the work runs: the work is interrupted and the run fails with the reason. */
    @Test
    void aRunWhoseLockIsLostStops() throws Exception {
        AdvisoryLock lock = new AdvisoryLock(db.dataSource(), "pg-it-lost:" + schema, Duration.ofMillis(200));
        CountDownLatch holding = new CountDownLatch(1);
        AtomicBoolean finishedNormally = new AtomicBoolean();
        CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
            try {
                lock.tryRun(() -> {
                    holding.countDown();
                    Thread.sleep(30_000); // a long run; the watcher's interrupt ends it
                    finishedNormally.set(true);
                });
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        try (Connection admin = DriverManager.getConnection(JDBC, "postgres", null); var st = admin.createStatement()) {
            try (ResultSet r = st.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid::bigint = "
                    + (lock.key() >>> 32) + " AND objid::bigint = " + (lock.key() & 0xffffffffL))) {
                assertThat(r.next()).as("the lock is held by a backend").isTrue();
            }
        }
        Throwable t = run.get(10, TimeUnit.SECONDS);
        assertThat(t).isInstanceOf(LockLostException.class).hasMessageContaining("lock=pg-it-lost:" + schema)
                .hasMessageContaining("connection failed");
        assertThat(finishedNormally).isFalse();
        assertThat(new AdvisoryLock(db.dataSource(), "pg-it-lost:" + schema).tryRun(() -> { })).as("another holder can take it").isTrue();
    }
    /**
     * The lock's connection breaks after the watcher's last check (here: the watcher checks once a minute): a run
     * that then succeeds is a lost lock, not a success nor a bare "connection closed"; a run that then fails reports
     * its own failure, the loss attached.
     */
    @Test
    void aLossFoundAtReleaseIsReportedWithoutHidingTheWorksFailure() throws Exception {
        AdvisoryLock lock = new AdvisoryLock(db.dataSource(), "pg-it-release:" + schema, Duration.ofMinutes(1));
        assertThatThrownBy(() -> lock.tryRun(() -> terminate(lock))).isInstanceOf(LockLostException.class)
                .hasMessageContaining("lock=pg-it-release:" + schema).hasMessageContaining("connection failed");
        IllegalStateException own = new IllegalStateException("the work's own failure");
        assertThatThrownBy(() -> lock.tryRun(() -> {
            terminate(lock);
            throw own;
        })).isSameAs(own).satisfies(t -> assertThat(t.getSuppressed()).singleElement().isInstanceOf(LockLostException.class));
        assertThat(lock.tryRun(() -> { })).as("the lock is free again").isTrue();
    }

    private static void terminate(AdvisoryLock lock) throws SQLException {
        try (Connection admin = DriverManager.getConnection(JDBC, "postgres", null); var st = admin.createStatement();
             ResultSet r = st.executeQuery("SELECT pg_terminate_backend(pid, 5000) FROM pg_locks WHERE locktype = 'advisory' AND classid::bigint = "
                     + (lock.key() >>> 32) + " AND objid::bigint = " + (lock.key() & 0xffffffffL))) {
            assertThat(r.next()).as("the lock is held by a backend").isTrue();
        }
    }
}
