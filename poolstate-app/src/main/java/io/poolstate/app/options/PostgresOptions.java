package io.poolstate.app.options;

import io.poolstate.app.config.DurationConverter;
import io.poolstate.app.config.EnvVar;
import io.poolstate.app.logging.SecretMask;
import io.poolstate.postgres.PostgresSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --postgres} and its user, password and time-outs. The password comes from {@code POSTGRES_PASSWORD} or a
 * file ({@code --postgres-password-file}, e.g. a container secret), never from a flag, and is never printed.
 */
public final class PostgresOptions {
    @EnvVar("POSTGRES_URL")
    @Option(names = "--postgres", paramLabel = "JDBC_URL", description = "JDBC URL (default: from POSTGRES_HOST/PORT/DB, else "
            + "jdbc:postgresql://127.0.0.1:5432/postgres; env POSTGRES_URL).")
    String url;

    @EnvVar("POSTGRES_USER")
    @Option(names = "--postgres-user", paramLabel = "USER", defaultValue = "postgres", description = "User (default: ${DEFAULT-VALUE}; env POSTGRES_USER).")
    String user;

    @EnvVar("POSTGRES_PASSWORD_FILE")
    @Option(names = "--postgres-password-file", paramLabel = "FILE", description = "File holding the password (default: env POSTGRES_PASSWORD).")
    Path passwordFile;

    @Option(names = "--postgres-connect-timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Connecting and logging in; also the wait for a pooled connection (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--postgres-socket-timeout", paramLabel = "DURATION", defaultValue = "90s", converter = DurationConverter.class,
            description = "Longest wait for any answer from the server (default: ${DEFAULT-VALUE}).")
    Duration socketTimeout;

    @Option(names = "--postgres-statement-timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "The server cancels statements running longer (default: ${DEFAULT-VALUE}).")
    Duration statementTimeout;

    /** The connection settings. */
    public PostgresSettings settings() throws IOException {
        String password = System.getenv("POSTGRES_PASSWORD");
        if (passwordFile != null) {
            password = Files.readString(passwordFile).strip();
        }
        String u = url != null && !url.isBlank() ? url.trim() : PostgresSettings.urlFromEnvironment();
        SecretMask.register(password);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)[?&][^=&]*(?:password|secret|token)[^=&]*=([^&]*)").matcher(u);
        while (m.find()) {
            SecretMask.register(m.group(1));
        }
        return new PostgresSettings(u, user, password == null || password.isEmpty() ? null : password, connectTimeout, socketTimeout, statementTimeout);
    }
}
