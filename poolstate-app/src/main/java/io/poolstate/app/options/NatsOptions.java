package io.poolstate.app.options;

import io.poolstate.app.config.EnvVar;
import io.poolstate.app.logging.SecretMask;
import io.poolstate.nats.NatsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --nats} and how to authenticate and encrypt: a credentials file, an nkey seed file, a token or a user and
 * password, and TLS. Secrets come from the environment or files, never from flags, and are never printed.
 */
public final class NatsOptions {
    /** Where a local NATS listens. */
    public static final String LOCAL = "nats://127.0.0.1:4222";

    @EnvVar("POOLSTATE_NATS_URL")
    @Option(names = "--nats", paramLabel = "URL", description = "NATS server URL(s), comma-separated; nats:// or tls:// (default: " + LOCAL
            + "; env POOLSTATE_NATS_URL).")
    String url;

    @EnvVar("POOLSTATE_NATS_CREDS")
    @Option(names = "--nats-creds", paramLabel = "FILE", description = "NATS credentials file (JWT and nkey, .creds; env POOLSTATE_NATS_CREDS).")
    Path creds;

    @EnvVar("POOLSTATE_NATS_NKEY")
    @Option(names = "--nats-nkey", paramLabel = "FILE", description = "NATS nkey seed file (env POOLSTATE_NATS_NKEY).")
    Path nkey;

    @EnvVar("POOLSTATE_NATS_TOKEN_FILE")
    @Option(names = "--nats-token-file", paramLabel = "FILE", description = "File holding a NATS token (default: env POOLSTATE_NATS_TOKEN).")
    Path tokenFile;

    @EnvVar("POOLSTATE_NATS_USER")
    @Option(names = "--nats-user", paramLabel = "USER", description = "NATS user; the password from --nats-password-file or env POOLSTATE_NATS_PASSWORD.")
    String user;

    @EnvVar("POOLSTATE_NATS_PASSWORD_FILE")
    @Option(names = "--nats-password-file", paramLabel = "FILE", description = "File holding the NATS user's password.")
    Path passwordFile;

    @Option(names = "--nats-tls", description = "Require TLS to NATS (implied by tls:// URLs and the --nats-tls-* files).")
    boolean tls;

    @EnvVar("POOLSTATE_NATS_TLS_CA")
    @Option(names = "--nats-tls-ca", paramLabel = "FILE", description = "CA certificate(s) to trust for NATS (PEM; default: the JDK's).")
    Path tlsCa;

    @EnvVar("POOLSTATE_NATS_TLS_CERT")
    @Option(names = "--nats-tls-cert", paramLabel = "FILE", description = "Client certificate for mutual TLS (PEM).")
    Path tlsCert;

    @EnvVar("POOLSTATE_NATS_TLS_KEY")
    @Option(names = "--nats-tls-key", paramLabel = "FILE", description = "Client key for mutual TLS (PEM, PKCS#8).")
    Path tlsKey;

    /** Whether {@code --nats} (or its variable or config key) was given. */
    public boolean given() {
        return url != null && !url.isBlank();
    }

    /** The settings for {@code --nats}, else {@code fallback}; null when both are null (NATS off). */
    public NatsSettings settings(String fallback) throws IOException {
        String servers = given() ? url.trim() : fallback;
        if (servers == null) {
            return null;
        }
        String token = tokenFile != null ? read(tokenFile) : System.getenv("POOLSTATE_NATS_TOKEN");
        String password = passwordFile != null ? read(passwordFile) : System.getenv("POOLSTATE_NATS_PASSWORD");
        SecretMask.register(token);
        SecretMask.register(password);
        for (String s : servers.split(",")) {
            int scheme = s.indexOf("://");
            int at = s.lastIndexOf('@');
            if (scheme >= 0 && at > scheme) {
                String userInfo = s.substring(scheme + 3, at);
                SecretMask.register(userInfo);
                int colon = userInfo.indexOf(':');
                SecretMask.register(colon < 0 ? userInfo : userInfo.substring(colon + 1));
            }
        }
        return new NatsSettings(servers, creds, nkey, blankToNull(token), blankToNull(user), user == null ? null : blankToNull(password), tls, tlsCa,
                tlsCert, tlsKey);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
