package io.poolstate.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Address;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.feed.whitelist.NatsWhitelistAgent;
import io.poolstate.feed.whitelist.WhitelistTracker;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.protocol.whitelist.WhitelistCodec;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whitelist from a real NATS JetStream server (started here on its own port, so it can be stopped):
 * stored history folded on start, diffs live, a gap answered by a re-sync, malformed messages rejected, and the
 * list kept while NATS is down.
 */
class NatsWhitelistIntegrationTest {
    private static PoolId pool(int i) {
        return PoolId.of(Address.of(BigInteger.valueOf(0x1000 + i)));
    }

    private static WhitelistMessage msg(UpdateType type, long snapshot, Long prev, int... pools) {
        List<PoolId> ids = java.util.Arrays.stream(pools).mapToObj(NatsWhitelistIntegrationTest::pool).toList();
        return new WhitelistMessage(type, "test", snapshot, prev, null, List.of(), ids);
    }

    @Test
    void followsTheStoredListThroughGapsAndOutages(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        Path binary = Files.isExecutable(Path.of("/usr/sbin/nats-server")) ? Path.of("/usr/sbin/nats-server") : Path.of("/usr/bin/nats-server");
        Assumptions.assumeTrue(Files.isExecutable(binary), "nats-server not installed (./run-tests installs it)");
        int port = freePort();
        Process nats = startNats(binary, port, dir);
        String url = "nats://127.0.0.1:" + port;
        try (Connection pub = Nats.connect(new Options.Builder().server(url).maxReconnects(-1).build()); FeedMetrics metrics = new FeedMetrics()) {
            JetStreamManagement jsm = pub.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("WHITELIST").subjects("whitelist.pools.*.minimal", "whitelist.pools.*.full",
                    "whitelist.snapshots.>").storageType(StorageType.File).build());
            publish(pub, msg(UpdateType.FULL, 1, null, 1, 2, 3));
            publish(pub, msg(UpdateType.ADD, 2, 1L, 4));
            WhitelistTracker tracker = new WhitelistTracker(Set.of());
            try (NatsWhitelistAgent agent = new NatsWhitelistAgent(url, "test", tracker, metrics, 1 << 20).start()) {
                awaitList(tracker, 2, 1, 2, 3, 4);
                publish(pub, msg(UpdateType.REMOVE, 3, 2L, 1));
                awaitList(tracker, 3, 2, 3, 4);
                pub.jetStream().publish("whitelist.pools.test.minimal", "{not json".getBytes(StandardCharsets.UTF_8));
                waitFor(() -> metrics.scrape().contains("poolstate_feed_malformed_inputs_total{source=\"nats\"} 1.0"), "malformed counted");
                tracker.applyPending();
                assertThat(tracker.current().snapshotId()).isEqualTo(3);

                publish(pub, msg(UpdateType.ADD, 5, 4L, 9)); // snapshot 4 was never published: a gap
                waitFor(() -> {
                    tracker.applyPending();
                    return tracker.needsResync();
                }, "gap detected");
                assertThat(tracker.current().snapshotId()).as("the list in force stays on a gap").isEqualTo(3);
                publish(pub, msg(UpdateType.FULL, 6, null, 7, 8));
                awaitList(tracker, 6, 7, 8);
                assertThat(tracker.needsResync()).isFalse();

                nats.destroy();
                nats.waitFor();
                Thread.sleep(500);
                tracker.applyPending();
                assertThat(tracker.current().snapshotId()).as("NATS down: the last list stays").isEqualTo(6);
                nats = startNats(binary, port, dir);
                publish(pub, msg(UpdateType.ADD, 7, 6L, 10));
                awaitList(tracker, 7, 7, 8, 10);
            }
        } finally {
            nats.destroy();
            nats.waitFor();
        }
    }

    private static void publish(Connection c, WhitelistMessage m) throws Exception {
        Headers h = new Headers().put("Nats-Msg-Id", m.snapshotId() + "-minimal");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                c.jetStream().publish(NatsMessage.builder().subject("whitelist.pools.test.minimal").headers(h).data(WhitelistCodec.writeMinimal(m)).build());
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100); // the server is restarting
            }
        }
    }

    private static void awaitList(WhitelistTracker t, long snapshot, int... pools) {
        waitFor(() -> {
            t.applyPending();
            return t.current().snapshotId() == snapshot;
        }, "snapshot " + snapshot);
        assertThat(t.current().addresses()).containsExactlyInAnyOrderElementsOf(
                java.util.Arrays.stream(pools).mapToObj(i -> pool(i).address()).toList());
    }

    private static Process startNats(Path binary, int port, Path dir) throws Exception {
        Process p = new ProcessBuilder(binary.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port), "-js", "-sd", dir.resolve("js").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nats.log").toFile()).start();
        waitFor(() -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }, "nats-server up");
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void waitFor(BooleanSupplier cond, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
