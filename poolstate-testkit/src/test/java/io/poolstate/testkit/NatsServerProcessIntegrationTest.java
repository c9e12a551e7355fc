package io.poolstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The private nats-server: JetStream messages survive a kill and a restart on the same port; clients reconnect. */
class NatsServerProcessIntegrationTest {
    @Test
    void jetStreamSurvivesKillAndRestart(@TempDir Path dir) throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.start(dir); Connection c = nats.connect()) {
            assertThat(nats.url()).doesNotEndWith(":4222");
            NatsServerProcess.createStream(c);
            c.jetStream().publish("whitelist.pools.test.full", "one".getBytes(StandardCharsets.UTF_8));

            nats.kill();
            nats.restart();
            awaitReconnected(c, 1);
            c.jetStream().publish("whitelist.pools.test.full", "two".getBytes(StandardCharsets.UTF_8));
            assertThat(c.jetStreamManagement().getStreamInfo("WHITELIST").getStreamState().getMsgCount()).isEqualTo(2);

            nats.restart(); // while running: stopped first, not a second server on the port
            awaitReconnected(c, 2);
            assertThat(c.jetStreamManagement().getStreamInfo("WHITELIST").getStreamState().getMsgCount()).isEqualTo(2);
        }
    }

    /** The client reconnects on its own (same port); a JetStream call made before that would time out. */
    private static void awaitReconnected(Connection c, long reconnects) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((c.getStatus() != Connection.Status.CONNECTED || c.getStatistics().getReconnects() < reconnects) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(c.getStatus()).as("the client reconnected to the same port").isEqualTo(Connection.Status.CONNECTED);
        assertThat(c.getStatistics().getReconnects()).isGreaterThanOrEqualTo(reconnects);
    }
}
