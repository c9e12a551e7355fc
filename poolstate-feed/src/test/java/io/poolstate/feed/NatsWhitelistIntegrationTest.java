package io.poolstate.feed;

import io.poolstate.testkit.NatsServerProcess;
import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Address;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.nats.NatsSettings;
import io.poolstate.nats.WhitelistSubscription;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.feed.whitelist.WhitelistTracker;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
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
        try (NatsServerProcess nats = NatsServerProcess.start(dir); Connection pub = nats.connect()) {
            FeedMetrics metrics = new FeedMetrics();
            NatsServerProcess.createStream(pub);
            publish(pub, msg(UpdateType.FULL, 1, null, 1, 2, 3));
            publish(pub, msg(UpdateType.ADD, 2, 1L, 4));
            WhitelistTracker tracker = new WhitelistTracker(Set.of(), WhitelistFold.Guard.NONE);
            try (WhitelistSubscription agent = new WhitelistSubscription(NatsSettings.of(nats.url()), "whitelist.pools.test.minimal", tracker, 1 << 20).start()) {
                awaitList(tracker, 2, 1, 2, 3, 4);
                publish(pub, msg(UpdateType.REMOVE, 3, 2L, 1));
                awaitList(tracker, 3, 2, 3, 4);
                pub.jetStream().publish("whitelist.pools.test.minimal", "{not json".getBytes(StandardCharsets.UTF_8));
                waitFor(() -> tracker.malformedMessages() == 1, "malformed counted");
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

                nats.stop();
                Thread.sleep(500);
                tracker.applyPending();
                assertThat(tracker.current().snapshotId()).as("NATS down: the last list stays").isEqualTo(6);
                nats.restart();
                publish(pub, msg(UpdateType.ADD, 7, 6L, 10));
                awaitList(tracker, 7, 7, 8, 10);
            }
        }
    }

    private static void publish(Connection c, WhitelistMessage m) throws Exception {
        NatsServerProcess.publishMinimal(c, "test", m);
    }

    private static void awaitList(WhitelistTracker t, long snapshot, int... pools) {
        waitFor(() -> {
            t.applyPending();
            return t.current().snapshotId() == snapshot;
        }, "snapshot " + snapshot);
        assertThat(t.current().addresses()).containsExactlyInAnyOrderElementsOf(
                java.util.Arrays.stream(pools).mapToObj(i -> pool(i).address()).toList());
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
