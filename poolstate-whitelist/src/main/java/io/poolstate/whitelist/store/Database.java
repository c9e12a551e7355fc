package io.poolstate.whitelist.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The Postgres connection pool, migrated with Flyway on open. Configured by a JDBC URL or the variables
 * {@code POSTGRES_HOST}, {@code POSTGRES_PORT}, {@code POSTGRES_DB}, {@code POSTGRES_USER}, {@code POSTGRES_PASSWORD}.
 * The password is never logged.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;

    private Database(HikariDataSource pool) {
        this.pool = pool;
    }

    /** From the environment: {@code POSTGRES_URL} (JDBC), else host/port/db/user (defaults 127.0.0.1, 5432, postgres, postgres). */
    public static String urlFromEnvironment() {
        String url = System.getenv("POSTGRES_URL");
        if (url != null && !url.isBlank()) {
            return url;
        }
        return "jdbc:postgresql://" + env("POSTGRES_HOST", "127.0.0.1") + ":" + env("POSTGRES_PORT", "5432") + "/" + env("POSTGRES_DB", "postgres");
    }

    public static Database open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, null);
    }

    /** As {@link #open(String, String, String)}, with the tables in {@code schema} (created if missing) when not null. */
    public static Database open(String jdbcUrl, String user, String password, String schema) {
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
        c.setPoolName("poolstate-whitelist");
        c.setInitializationFailTimeout(10_000);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(c);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot connect to Postgres at " + jdbcUrl + " as " + user + ": " + rootMessage(e), e);
        }
        var flyway = Flyway.configure().dataSource(ds).locations("classpath:db/migration").table("whitelist_schema_history");
        if (schema != null) {
            flyway = flyway.schemas(schema).defaultSchema(schema).createSchemas(true);
        }
        flyway.load().migrate();
        return new Database(ds);
    }

    public static Database fromEnvironment() {
        return open(urlFromEnvironment(), env("POSTGRES_USER", "postgres"), System.getenv("POSTGRES_PASSWORD"));
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
