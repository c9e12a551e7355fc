package io.poolstate.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A Postgres connection pool, migrated with Flyway on open. Configured by a JDBC URL or the variables
 * {@code POSTGRES_URL}, else {@code POSTGRES_HOST}, {@code POSTGRES_PORT}, {@code POSTGRES_DB}, {@code POSTGRES_USER},
 * {@code POSTGRES_PASSWORD}. The password is never logged. Each component brings its own {@link Migrations}, so
 * several share one database without sharing a Flyway history.
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

    private Database(HikariDataSource pool) {
        this.pool = pool;
    }

    /** From the environment: {@code POSTGRES_URL} (JDBC), else host/port/db (defaults 127.0.0.1, 5432, postgres). */
    public static String urlFromEnvironment() {
        String url = System.getenv("POSTGRES_URL");
        if (url != null && !url.isBlank()) {
            return url;
        }
        return "jdbc:postgresql://" + env("POSTGRES_HOST", "127.0.0.1") + ":" + env("POSTGRES_PORT", "5432") + "/" + env("POSTGRES_DB", "postgres");
    }

    /** The user from {@code POSTGRES_USER} (default {@code postgres}). */
    public static String userFromEnvironment() {
        return env("POSTGRES_USER", "postgres");
    }

    /**
     * Opens the pool and migrates; the tables live in {@code schema} (created if missing) when not null.
     *
     * @throws IllegalStateException naming the URL and user (never the password) when Postgres cannot be reached
     */
    public static Database open(String jdbcUrl, String user, String password, String schema, Migrations migrations) {
        HikariConfig c = new HikariConfig();
        if (schema != null) {
            c.setSchema(schema);
        }
        c.setJdbcUrl(jdbcUrl);
        c.setUsername(user);
        if (password != null) {
            c.setPassword(password);
        }
        c.setMaximumPoolSize(4);
        c.setPoolName(migrations.poolName());
        c.setInitializationFailTimeout(10_000);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(c);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot connect to Postgres at " + jdbcUrl + " as " + user + ": " + rootMessage(e), e);
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
        return new Database(ds);
    }

    /** {@code url} or, when null, the environment's URL; user and password from the environment. */
    public static Database open(String urlOrNull, String schema, Migrations migrations) {
        return open(urlOrNull == null ? urlFromEnvironment() : urlOrNull, userFromEnvironment(), System.getenv("POSTGRES_PASSWORD"), schema, migrations);
    }

    public DataSource dataSource() {
        return pool;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
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
