package io.poolstate.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.NKey;
import io.poolstate.testkit.NatsServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way to authenticate, and TLS, against a real nats-server of the test's own; secrets never in the display form or errors. */
class NatsSettingsTest {
    @Test
    void displayFormNamesTheWayNotTheSecret() {
        NatsSettings inUrl = NatsSettings.of("nats://ps:Pa55w0rd@n1:4222,nats://tok3n@n2:4222");
        assertThat(inUrl.redacted()).isEqualTo("nats://***@n1:4222,nats://***@n2:4222 (user in the URL)");
        assertThat(inUrl.scrub("connect to nats://ps:Pa55w0rd@n1:4222 failed for ps:Pa55w0rd")).doesNotContain("Pa55w0rd");
        NatsSettings token = new NatsSettings("tls://n1:4222", null, null, "T0ken", null, null, false, null, null, null);
        assertThat(token.toString()).isEqualTo("tls://n1:4222 (token, TLS)").doesNotContain("T0ken");
        NatsSettings user = new NatsSettings("nats://n1:4222", null, null, null, "ps", "Pa55w0rd", false, Path.of("/ca.pem"), Path.of("/c.pem"),
                Path.of("/k.pem"));
        assertThat(user.redacted()).isEqualTo("nats://n1:4222 (user ps, mutual TLS)");
        assertThat(user.scrub("bad password Pa55w0rd")).isEqualTo("bad password ***");
    }

    @Test
    void inconsistentSettingsAreRejected() {
        assertThatThrownBy(() -> new NatsSettings("nats://n1", null, null, "t", "u", "p", false, null, null, null)).hasMessageContaining("give one NATS authentication");
        assertThatThrownBy(() -> new NatsSettings("nats://n1", null, null, null, "u", null, false, null, null, null)).hasMessageContaining("needs a password");
        assertThatThrownBy(() -> new NatsSettings("nats://n1", null, null, null, null, null, false, null, Path.of("c"), null)).hasMessageContaining("needs its key");
        assertThatThrownBy(() -> NatsSettings.of("http://u:Pa55@n1")).hasMessageContaining("must start with nats://").hasMessageNotContaining("Pa55");
    }

    @Test
    void userAndPasswordTokenAndNkey(@TempDir Path dir) throws Exception {
        try (NatsServerProcess n = NatsServerProcess.start(dir.resolve("up"), "authorization { user: \"ps\", password: \"Pa55w0rd\" }\n")) {
            roundTrip(new NatsSettings(n.url(), null, null, null, "ps", "Pa55w0rd", false, null, null, null));
            roundTrip(NatsSettings.of("nats://ps:Pa55w0rd@127.0.0.1:" + n.port()));
            NatsSettings wrong = new NatsSettings(n.url(), null, null, null, "ps", "wrong-Pa55", false, null, null, null);
            assertThatThrownBy(wrong::connect).hasMessageContaining("cannot connect to NATS at " + n.url() + " (user ps)").hasMessageNotContaining("wrong-Pa55");
        }
        try (NatsServerProcess n = NatsServerProcess.start(dir.resolve("token"), "authorization { token: \"T0ken-s3cret\" }\n")) {
            roundTrip(new NatsSettings(n.url(), null, null, "T0ken-s3cret", null, null, false, null, null, null));
            assertThatThrownBy(() -> NatsSettings.of(n.url()).connect()).hasMessageContaining("cannot connect to NATS");
        }
        NKey user = NKey.createUser(new SecureRandom());
        Path seed = dir.resolve("user.nk");
        Files.writeString(seed, new String(user.getSeed()) + "\n");
        try (NatsServerProcess n = NatsServerProcess.start(dir.resolve("nkey"), "authorization { users = [ { nkey: \"" + new String(user.getPublicKey())
                + "\" } ] }\n")) {
            roundTrip(new NatsSettings(n.url(), null, seed, null, null, null, false, null, null, null));
        }
    }

    /** Mutual TLS: the server trusts the test CA and requires a client certificate. */
    @Test
    void mutualTls(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl not installed");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=poolstate test CA");
        for (String who : List.of("server", "client")) {
            openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr", "-subj", "/CN=" + who);
            Files.writeString(dir.resolve(who + ".ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
            openssl(dir, "x509", "-req", "-in", who + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", who + ".pem", "-days", "1",
                    "-extfile", who + ".ext");
        }
        String tls = "tls { cert_file: \"" + dir.resolve("server.pem") + "\", key_file: \"" + dir.resolve("server.key") + "\", ca_file: \""
                + dir.resolve("ca.pem") + "\", verify: true }\n";
        try (NatsServerProcess n = NatsServerProcess.start(dir.resolve("tls"), tls)) {
            roundTrip(new NatsSettings(n.url(), null, null, null, null, null, true, dir.resolve("ca.pem"), dir.resolve("client.pem"),
                    dir.resolve("client.key")));
            NatsSettings noClientCert = new NatsSettings(n.url(), null, null, null, null, null, true, dir.resolve("ca.pem"), null, null);
            assertThatThrownBy(noClientCert::connect).hasMessageContaining("cannot connect to NATS");
        }
    }

    private static void roundTrip(NatsSettings s) throws Exception {
        try (Connection c = s.connect()) {
            var sub = c.subscribe("t");
            c.publish("t", new byte[] {42});
            assertThat(sub.nextMessage(Duration.ofSeconds(5)).getData()).containsExactly(42);
        }
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + out).isZero();
    }
}
