package io.poolstate.nats;

import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How every NATS client of the system connects: the server URL(s) and at most one way to authenticate — a
 * credentials file (JWT + nkey, {@code .creds}), an nkey seed file, a token, or a user and password (also accepted
 * as {@code user:password@} in the URL) — plus TLS: a CA to trust (PEM), and a client certificate and key (PEM,
 * PKCS#8) for mutual TLS. Secrets are never printed: {@link #toString()} and {@link #redacted()} show the servers
 * without their user part and name the kind of authentication only. Reconnects forever with a short wait.
 *
 * @param servers comma-separated {@code nats://} or {@code tls://} URLs
 */
public record NatsSettings(String servers, Path credentials, Path nkeySeed, String token, String user, String password, boolean tls, Path tlsCa,
                           Path tlsCert, Path tlsKey) {
    public NatsSettings {
        if (servers == null || servers.isBlank()) {
            throw new IllegalArgumentException("NATS server URL is empty");
        }
        int ways = (credentials != null ? 1 : 0) + (nkeySeed != null ? 1 : 0) + (token != null ? 1 : 0) + (user != null ? 1 : 0);
        if (ways > 1) {
            throw new IllegalArgumentException("give one NATS authentication: a credentials file, an nkey seed, a token, or a user and password");
        }
        if (user != null && password == null) {
            throw new IllegalArgumentException("NATS user " + user + " needs a password");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("a NATS client certificate needs its key, and the other way round (--nats-tls-cert and --nats-tls-key)");
        }
        for (String s : servers.split(",")) {
            String t = s.trim();
            if (!t.startsWith("nats://") && !t.startsWith("tls://") && !t.startsWith("ws://") && !t.startsWith("wss://")) {
                throw new IllegalArgumentException("NATS URL must start with nats://, tls://, ws:// or wss://: url=" + redact(t));
            }
        }
    }

    /** {@code servers} without authentication or TLS settings. */
    public static NatsSettings of(String servers) {
        return new NatsSettings(servers, null, null, null, null, null, false, null, null, null);
    }

    /** The same authentication and TLS on other servers (the feed stream's cluster, say). */
    public NatsSettings withServers(String otherServers) {
        return new NatsSettings(otherServers, credentials, nkeySeed, token, user, password, tls, tlsCa, tlsCert, tlsKey);
    }

    /** The servers without user parts, and which authentication and TLS are used, e.g. {@code nats://n1:4222 (credentials file, TLS)}. */
    public String redacted() {
        List<String> shown = new ArrayList<>();
        for (String s : servers.split(",")) {
            shown.add(redact(s.trim()));
        }
        List<String> how = new ArrayList<>();
        if (credentials != null) {
            how.add("credentials file " + credentials);
        } else if (nkeySeed != null) {
            how.add("nkey seed file " + nkeySeed);
        } else if (token != null) {
            how.add("token");
        } else if (user != null) {
            how.add("user " + user);
        } else if (servers.contains("@")) {
            how.add("user in the URL");
        }
        if (usesTls()) {
            how.add(tlsCert != null ? "mutual TLS" : "TLS");
        }
        return String.join(",", shown) + (how.isEmpty() ? "" : " (" + String.join(", ", how) + ")");
    }

    /** {@code url} without its user part ({@code user:password@} or {@code token@}). */
    public static String redact(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        return scheme >= 0 && at > scheme ? url.substring(0, scheme + 3) + "***@" + url.substring(at + 1) : url;
    }

    /** {@code text} with the password, the token and the URLs' user parts replaced by {@code ***}. */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : servers.split(",")) {
            String t = s.trim();
            out = out.replace(t, redact(t));
            try {
                String userInfo = URI.create(t).getRawUserInfo();
                if (userInfo != null) {
                    out = out.replace(userInfo, "***");
                }
            } catch (IllegalArgumentException e) {
                // not a URI: the whole-URL replacement above is all we can do
            }
        }
        for (String secret : new String[] {password, token}) {
            if (secret != null && !secret.isEmpty()) {
                out = out.replace(secret, "***");
            }
        }
        return out;
    }

    private boolean usesTls() {
        return tls || tlsCa != null || tlsCert != null || servers.contains("tls://") || servers.contains("wss://");
    }

    /**
     * The client options: servers, authentication, TLS, endless reconnects every 500 ms, and {@code listener} (may be null).
     *
     * @throws IOException when a credentials, seed, certificate or key file cannot be read
     * @throws GeneralSecurityException when a certificate or key cannot be parsed
     */
    public Options options(ConnectionListener listener) throws IOException, GeneralSecurityException {
        Options.Builder b = new Options.Builder().servers(Arrays.stream(servers.split(",")).map(String::trim).toArray(String[]::new))
                .maxReconnects(-1).reconnectWait(Duration.ofMillis(500)).connectionTimeout(Duration.ofSeconds(5))
                .errorListener(new NatsErrorLog(redacted()));
        if (listener != null) {
            b.connectionListener(listener);
        }
        if (credentials != null) {
            requireReadable(credentials, "credentials file");
            b.authHandler(Nats.credentials(credentials.toString()));
        } else if (nkeySeed != null) {
            b.authHandler(nkeyHandler(new String(Files.readAllBytes(requireReadable(nkeySeed, "nkey seed file")), StandardCharsets.US_ASCII).strip()));
        } else if (token != null) {
            b.token(token.toCharArray());
        } else if (user != null) {
            b.userInfo(user.toCharArray(), password.toCharArray());
        }
        if (tlsCa != null || tlsCert != null) {
            b.sslContext(sslContext());
        } else if (tls) {
            b.secure();
        }
        return b.build();
    }

    /** Connects (waiting up to the connection time-out for the first server), with {@code listener} (may be null). */
    public Connection connect(ConnectionListener listener) throws IOException, InterruptedException {
        try {
            return Nats.connect(options(listener));
        } catch (GeneralSecurityException e) {
            throw new IOException("NATS TLS material unusable: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException("cannot connect to NATS at " + redacted() + ": " + scrub(e.getMessage()), e);
        }
    }

    /** {@link #connect(ConnectionListener)} without a listener. */
    public Connection connect() throws IOException, InterruptedException {
        return connect(null);
    }

    /**
     * Closes a connection {@link #connect(ConnectionListener)} opened (null: nothing to close); an interrupt while it
     * drains ends the wait and stays set on the calling thread.
     */
    public static void close(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return redacted();
    }

    private static AuthHandler nkeyHandler(String seed) {
        NKey key = NKey.fromSeed(seed.toCharArray());
        return new AuthHandler() {
            @Override
            public byte[] sign(byte[] nonce) {
                try {
                    return key.sign(nonce);
                } catch (GeneralSecurityException | IOException e) {
                    throw new IllegalStateException("nkey signing failed: " + e.getMessage(), e);
                }
            }

            @Override
            public char[] getID() {
                try {
                    return key.getPublicKey();
                } catch (GeneralSecurityException | IOException e) {
                    throw new IllegalStateException("nkey has no public key: " + e.getMessage(), e);
                }
            }

            @Override
            public char[] getJWT() {
                return null;
            }
        };
    }

    private SSLContext sslContext() throws IOException, GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (tlsCa != null) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certificates(requireReadable(tlsCa, "TLS CA file"))) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            tmf.init(trust);
        } else {
            tmf.init((KeyStore) null);
        }
        KeyManagerFactory kmf = null;
        if (tlsCert != null) {
            Certificate[] chain = certificates(requireReadable(tlsCert, "TLS client certificate")).toArray(Certificate[]::new);
            PrivateKey key = privateKey(requireReadable(tlsKey, "TLS client key"));
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            char[] none = new char[0];
            ks.setKeyEntry("client", key, none, chain);
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, none);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static Collection<? extends Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new GeneralSecurityException("no certificate in " + pem);
            }
            return certs;
        }
    }

    private static final Pattern PKCS8 = Pattern.compile("-----BEGIN PRIVATE KEY-----(.+?)-----END PRIVATE KEY-----", Pattern.DOTALL);

    private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        Matcher m = PKCS8.matcher(Files.readString(pem));
        if (!m.find()) {
            throw new GeneralSecurityException("no PKCS#8 private key (-----BEGIN PRIVATE KEY-----) in " + pem
                    + "; convert with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
        GeneralSecurityException last = null;
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("private key in " + pem + " is not RSA, EC or Ed25519", last);
    }

    private static Path requireReadable(Path p, String what) throws IOException {
        if (!Files.isReadable(p)) {
            throw new IOException(what + " is not readable: " + p);
        }
        return p;
    }
}
