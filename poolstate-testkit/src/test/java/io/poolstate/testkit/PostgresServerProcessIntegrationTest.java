package io.poolstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A private PostgreSQL: data kept across a fast stop and across a kill, two clusters side by side, nothing left behind. */
class PostgresServerProcessIntegrationTest {
    @Test
    void keepsDataAcrossStopAndKillAndRemovesItsDirectory() throws Exception {
        Path data;
        try (PostgresServerProcess pg = PostgresServerProcess.start()) {
            data = pg.dataDirectory();
            assertThat(pg.port()).isNotEqualTo(5432);
            exec(pg, "CREATE TABLE t (v int)", "INSERT INTO t VALUES (1)");

            pg.stop();
            assertThat(pg.isRunning()).isFalse();
            assertThatThrownBy(() -> connect(pg).close()).isInstanceOf(SQLException.class);
            pg.restart();
            assertThat(values(pg)).containsExactly(1);

            try (Connection held = connect(pg)) {
                exec(pg, "INSERT INTO t VALUES (2)");
                pg.kill();
                assertThat(pg.isRunning()).isFalse();
                assertThatThrownBy(() -> held.createStatement().executeQuery("SELECT 1")).isInstanceOf(SQLException.class);
            }
            assertThatThrownBy(() -> new Socket("127.0.0.1", pg.port()).close()).as("no server process survives a kill").isInstanceOf(java.io.IOException.class);
            pg.restart();
            assertThat(values(pg)).as("committed rows survive the crash").containsExactly(1, 2);
            assertThat(Files.readString(pg.logFile())).contains("database system was interrupted");

            pg.createDatabase("scratch");
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("scratch"), pg.user(), null)) {
                assertThat(c.isValid(2)).isTrue();
            }
        }
        assertThat(data.getParent()).doesNotExist();
    }

    @Test
    void twoClustersAreIndependent() throws Exception {
        try (PostgresServerProcess a = PostgresServerProcess.start(); PostgresServerProcess b = PostgresServerProcess.start()) {
            assertThat(a.port()).isNotEqualTo(b.port());
            exec(a, "CREATE TABLE t (v int)", "INSERT INTO t VALUES (7)");
            exec(b, "CREATE TABLE t (v int)");
            assertThat(values(a)).containsExactly(7);
            assertThat(values(b)).isEmpty();
            a.stop();
            assertThat(values(b)).isEmpty();
        }
    }

    private static Connection connect(PostgresServerProcess pg) throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), null);
    }

    private static void exec(PostgresServerProcess pg, String... sql) throws SQLException {
        try (Connection c = connect(pg); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private static List<Integer> values(PostgresServerProcess pg) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (Connection c = connect(pg); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT v FROM t ORDER BY v")) {
            while (r.next()) {
                out.add(r.getInt(1));
            }
        }
        return out;
    }
}
