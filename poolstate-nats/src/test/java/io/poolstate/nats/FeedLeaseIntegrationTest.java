package io.poolstate.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.poolstate.testkit.NatsServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fail-over lease on a real nats-server: one holder; a feed restarted under its name takes its key back at once. */
class FeedLeaseIntegrationTest {
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final long CHAIN = 31337;

    @Test
    void oneHolderAndARestartedFeedTakesItsOwnLeaseBackWithoutWaitingOutTheTtl(@TempDir Path dir) throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.start(dir);
             Connection c1 = NatsSettings.of(nats.url()).connect((c, t) -> { });
             Connection c2 = NatsSettings.of(nats.url()).connect((c, t) -> { });
             Connection c3 = NatsSettings.of(nats.url()).connect((c, t) -> { })) {
            FeedLease a = lease(c1, "feed-a");
            FeedLease b = lease(c2, "feed-b");
            assertThat(a.tryAcquire()).isTrue();
            assertThat(b.tryAcquire()).as("another feed follows").isFalse();
            assertThat(b.tryAcquire()).isFalse();
            assertThat(a.renew()).isTrue();

            // feed-a's process dies holding the lease (no release); its next process, same name, takes it back at once
            FeedLease aAgain = lease(c3, "feed-a");
            assertThat(aAgain.tryAcquire()).as("a restarted feed-a takes its own key back").isTrue();
            assertThat(aAgain.holder()).isEqualTo("feed-a");
            assertThat(a.renew()).as("the old process, were it alive, loses it at its next renewal").isFalse();
            assertThat(a.held()).isFalse();
            assertThat(a.tryAcquire()).as("and does not take it back: only a first attempt reclaims").isFalse();
            assertThat(aAgain.renew()).isTrue();
            assertThat(b.tryAcquire()).as("feed-b still follows").isFalse();

            // a released lease is free for the follower at once
            aAgain.release();
            assertThat(b.tryAcquire()).isTrue();
            assertThat(b.holder()).isEqualTo("feed-b");
            assertThat(lease(c1, "feed-a").tryAcquire()).as("a restarted feed-a does not take feed-b's lease").isFalse();
        }
    }

    private static FeedLease lease(Connection c, String id) throws Exception {
        FeedLease l = new FeedLease(c, CHAIN, id, TTL, 1);
        l.ensureBucket();
        return l;
    }
}
