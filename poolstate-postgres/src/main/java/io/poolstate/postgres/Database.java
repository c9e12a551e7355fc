package io.poolstate.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A Postgres connection pool, migrated with Flyway on open, configured by {@link PostgresSettings} (URL, user,
 * password, connect/socket/statement time-outs). The password is never logged. Each component brings its own
 * {@link Migrations}, so several share one database without sharing a Flyway history.
 */
public final class Database implements AutoCloseable {
    /**
     * A component's schema migrations.
     *
     * @param location Flyway location, e.g. {@code classpath:db/whitelist}
     * @param historyTable Flyway's history table for this component
     * @param poolName the connection pool's name (appears in thread names and metrics)
     */
    public record Migrations(String location, String historyTable, String poolName) {
    }

    private final HikariDataSource pool;
    private final PostgresSettings settings;

    private Database(HikariDataSource pool, PostgresSettings settings) {
        this.pool = pool;
        this.settings = settings;
    }

    /**
     * Opens the pool and migrates; the tables live in {@code schema} (created if missing) when not null. Every
     * connection gets the settings' connect, socket and statement time-outs.
     *
     * @throws IllegalStateException naming the redacted URL and the user (never the password) when Postgres cannot be reached
     */
    public static Database open(PostgresSettings settings, String schema, Migrations migrations) {
        HikariConfig c = new HikariConfig();
        if (schema != null) {
            c.setSchema(schema);
        }
        c.setJdbcUrl(settings.url());
        c.setUsername(settings.user());
        if (settings.password() != null) {
            c.setPassword(settings.password());
        }
        c.setMaximumPoolSize(4);
        c.setPoolName(migrations.poolName());
        c.setConnectionTimeout(settings.connectTimeout().toMillis());
        c.setInitializationFailTimeout(settings.connectTimeout().toMillis());
        // pgjdbc's own time-outs are whole seconds; statement_timeout is set per session through the startup options
        c.addDataSourceProperty("connectTimeout", Math.max(1, settings.connectTimeout().toSeconds()));
        c.addDataSourceProperty("loginTimeout", Math.max(1, settings.connectTimeout().toSeconds()));
        c.addDataSourceProperty("socketTimeout", Math.max(1, settings.socketTimeout().toSeconds()));
        c.addDataSourceProperty("options", "-c statement_timeout=" + settings.statementTimeout().toMillis());
        c.addDataSourceProperty("tcpKeepAlive", true);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(c);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot connect to Postgres at " + settings.redactedUrl() + " as " + settings.user() + ": "
                    + settings.scrub(rootMessage(e)), e);
        }
        // components share a schema, each with its own history table: a schema holding another component's tables
        // is baselined at version 0, so all of this component's migrations still run
        var flyway = Flyway.configure().dataSource(ds).locations(migrations.location()).table(migrations.historyTable())
                .baselineOnMigrate(true).baselineVersion("0");
        if (schema != null) {
            flyway = flyway.schemas(schema).defaultSchema(schema).createSchemas(true);
        }
        try {
            flyway.load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, settings);
    }

    /** {@code jdbcUrl} as {@code user} with {@code password} (may be null) and the default time-outs. */
    public static Database open(String jdbcUrl, String user, String password, String schema, Migrations migrations) {
        return open(PostgresSettings.of(jdbcUrl, user, password), schema, migrations);
    }

    /**
     * Runs {@code sql}, a query someone configured, read-only: in a {@code READ ONLY} transaction that is rolled back,
     * cancelled by the server after {@code timeout}. Returns the first column of every row as text (null stays null).
     *
     * @throws java.sql.SQLException when the query fails, writes, or takes longer than {@code timeout}
     */
    public List<String> queryReadOnly(String sql, Duration timeout) throws java.sql.SQLException {
        try (java.sql.Connection c = pool.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET TRANSACTION READ ONLY");
                st.execute("SET LOCAL statement_timeout = " + Math.max(1, timeout.toMillis()));
                st.setQueryTimeout((int) Math.max(1, timeout.toSeconds() + 1));
                List<String> out = new ArrayList<>();
                try (ResultSet r = st.executeQuery(sql)) {
                    while (r.next()) {
                        out.add(r.getString(1));
                    }
                }
                return out;
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /**
     * Rolls back {@code c} after {@code failure} ended its transaction. When the rollback fails too (the connection
     * broke: the server restarted, say), that is attached to {@code failure} as suppressed, so the caller still
     * throws the failure that says what went wrong rather than a bare "connection is closed".
     */
    public static void rollback(java.sql.Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (java.sql.SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * A failure's reason in one short line with its SQLSTATE: for a batch, the cause of its first failed entry rather
     * than the statement with every parameter.
     */
    public static String reason(java.sql.SQLException e) {
        java.sql.SQLException shown = e instanceof java.sql.BatchUpdateException && e.getNextException() != null ? e.getNextException() : e;
        return shown.getMessage() + (shown.getSQLState() == null ? "" : " (sqlstate " + shown.getSQLState() + ")");
    }

    /** How this database was reached (redacted). */
    public PostgresSettings settings() {
        return settings;
    }

    public DataSource dataSource() {
        return pool;
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    @Override
    public void close() {
        pool.close();
    }
}
