package io.poolstate.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.testkit.NatsServerProcess;
import io.poolstate.testkit.PoolstateProcess;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full {@code ./poolstate demo} run (devnet, traffic, whitelist, feed, arena, whale tracker, until it stops by
 * itself) with credentials in every URL it is given — NATS {@code user:password@}, a JDBC {@code password=}
 * parameter, {@code POSTGRES_PASSWORD} — against a NATS that requires them: every line it prints is free of them.
 * The log format here is the plain test one, without the launcher's mask, so the components' own redaction is
 * what is tested.
 */
class DemoSecretsIntegrationTest {
    private static final String NATS_PASSWORD = "DemoNatsPw-9d2e";
    private static final String PG_URL_PASSWORD = "DemoPgUrlPw-31f7";
    private static final String PG_ENV_PASSWORD = "DemoPgEnvPw-a8c4";

    @Test
    void noSecretInAnyLineOfAFullDemoRun(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null)) {
            c.isValid(2);
        } catch (java.sql.SQLException e) {
            Assumptions.abort("no Postgres at 127.0.0.1:5432/test: " + e.getMessage());
        }
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        try (NatsServerProcess nats = NatsServerProcess.start(dir.resolve("nats"),
                "authorization { user: \"demo\", password: \"" + NATS_PASSWORD + "\" }\n");
             PoolstateProcess demo = PoolstateProcess.builder("demo", dir).env("POSTGRES_PASSWORD", PG_ENV_PASSWORD).args("demo",
                     "--port", Integer.toString(port), "--blocks", "40", "--block-time", "150", "--reorg-every", "10", "--http", "127.0.0.1:0",
                     "--nats", "nats://demo:" + NATS_PASSWORD + "@127.0.0.1:" + nats.port(),
                     "--postgres", "jdbc:postgresql://127.0.0.1:5432/test?password=" + PG_URL_PASSWORD, "--whitelist-interval", "5s",
                     "--whale-interval", "5s").start()) {
            demo.waitForLine("^demo: 40 blocks", Duration.ofMinutes(6));
            int exit = demo.waitForExit(Duration.ofMinutes(1));
            String out = String.join("\n", demo.lines());
            assertThat(out).contains("demo: whitelist on NATS").contains("demo: arena API at").contains("== arena @ block")
                    .containsPattern("demo: 40 blocks, \\d+ txs");
            assertThat(exit).as("the demo stops by itself after --blocks").isZero();
            List<String> lines = out.lines().toList();
            assertThat(lines.size()).isGreaterThan(50);
            for (String line : lines) {
                for (String secret : List.of(NATS_PASSWORD, PG_URL_PASSWORD, PG_ENV_PASSWORD)) {
                    assertThat(line).as("a line of the demo's output").doesNotContain(secret);
                }
            }
        }
    }
}
