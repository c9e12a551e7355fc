package io.poolstate.postgres;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to reach Postgres: a JDBC URL, the user and password, and the time-outs every connection gets. The password
 * (given separately, or as a {@code password} parameter or user part of the URL) is never printed: {@link #toString()}
 * and {@link #redactedUrl()} leave it out.
 *
 * @param connectTimeout   opening a TCP connection and logging in; also how long a caller waits for a pooled connection
 * @param socketTimeout    the longest wait for any answer from the server (a half-open connection ends instead of hanging)
 * @param statementTimeout the server cancels any statement running longer ({@code statement_timeout})
 */
public record PostgresSettings(String url, String user, String password, Duration connectTimeout, Duration socketTimeout,
                               Duration statementTimeout) {
    /** Connect 10 s, socket 90 s, statement 60 s. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(90);
    public static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern SECRET_PARAM = Pattern.compile("(?i)([?&][^=&]*(?:password|secret|token)[^=&]*=)[^&]*");

    public PostgresSettings {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("postgres url must be a JDBC URL (jdbc:postgresql://host:port/db): url=" + redact(url));
        }
        for (Duration d : new Duration[] {connectTimeout, socketTimeout, statementTimeout}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("postgres time-outs must be positive: connect=" + connectTimeout + " socket=" + socketTimeout
                        + " statement=" + statementTimeout);
            }
        }
        if (socketTimeout.compareTo(statementTimeout) <= 0) {
            throw new IllegalArgumentException("postgres socket time-out must exceed the statement time-out, or the client gives up first: socket="
                    + socketTimeout + " statement=" + statementTimeout);
        }
    }

    /** {@code url} as {@code user} with {@code password} (may be null) and the default time-outs. */
    public static PostgresSettings of(String url, String user, String password) {
        return new PostgresSettings(url, user, password, CONNECT_TIMEOUT, SOCKET_TIMEOUT, STATEMENT_TIMEOUT);
    }

    /**
     * From the environment: {@code POSTGRES_URL} (JDBC), else {@code POSTGRES_HOST}/{@code PORT}/{@code DB} (defaults
     * 127.0.0.1, 5432, postgres); {@code POSTGRES_USER} (postgres) and {@code POSTGRES_PASSWORD}.
     */
    public static PostgresSettings fromEnvironment() {
        return of(urlFromEnvironment(), env("POSTGRES_USER", "postgres"), System.getenv("POSTGRES_PASSWORD"));
    }

    /** {@code POSTGRES_URL}, else one built from {@code POSTGRES_HOST}, {@code POSTGRES_PORT}, {@code POSTGRES_DB}. */
    public static String urlFromEnvironment() {
        String url = System.getenv("POSTGRES_URL");
        if (url != null && !url.isBlank()) {
            return url;
        }
        return "jdbc:postgresql://" + env("POSTGRES_HOST", "127.0.0.1") + ":" + env("POSTGRES_PORT", "5432") + "/" + env("POSTGRES_DB", "postgres");
    }

    public PostgresSettings withTimeouts(Duration connect, Duration socket, Duration statement) {
        return new PostgresSettings(url, user, password, connect, socket, statement);
    }

    /** The URL without a user part and with the values of password-, secret- and token-like parameters replaced by {@code ***}. */
    public String redactedUrl() {
        return redact(url);
    }

    /** See {@link #redactedUrl()}. */
    public static String redact(String jdbcUrl) {
        if (jdbcUrl == null) {
            return null;
        }
        String out = jdbcUrl;
        int scheme = out.indexOf("//");
        if (scheme >= 0) {
            int end = scheme + 2;
            while (end < out.length() && "/?".indexOf(out.charAt(end)) < 0) {
                end++;
            }
            int at = out.lastIndexOf('@', end - 1);
            if (at > scheme) {
                out = out.substring(0, scheme + 2) + "***@" + out.substring(at + 1);
            }
        }
        Matcher m = SECRET_PARAM.matcher(out);
        return m.replaceAll("$1***");
    }

    /** {@code text} with the password (and any secret URL parameter) replaced by {@code ***}. */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String out = text.replace(url, redactedUrl());
        if (password != null && !password.isEmpty()) {
            out = out.replace(password, "***");
        }
        return out;
    }

    @Override
    public String toString() {
        return redactedUrl() + " as " + user + (password == null ? "" : " (password set)") + " connect_timeout=" + connectTimeout.toSeconds()
                + "s socket_timeout=" + socketTimeout.toSeconds() + "s statement_timeout=" + statementTimeout.toSeconds() + "s";
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }
}
