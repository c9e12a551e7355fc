package io.poolstate.feed.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.dex.event.EventKind;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.feed.client.FeedClient;
import io.poolstate.feed.client.PoolSetChange;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.feed.socket.BlockFrames;
import io.poolstate.feed.whitelist.Whitelist;
import io.poolstate.nats.FeedStreamClient;
import io.poolstate.nats.FeedStreamWriter;
import io.poolstate.nats.NatsSettings;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.testkit.NatsServerProcess;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A take-over across a fork: feed A publishes blocks 1..5 of fork X (block 4 adds a pool), then stops; feed B,
 * whose chain is fork Y from block 4 on (without the added pool), takes the lease and must continue the stream:
 * revert 5 and 4 from the stream's own frames — the pool set restored with them — then publish 4', 5', 6'. A
 * consumer on the stream sees exactly that sequence, each block checked by the stream check (pool set, counts); the
 * replacing set B begins with equals the set the consumer holds after the reverts, so it changes nothing and is
 * not passed on.
 */
class StreamTakeoverIntegrationTest {
    private static final PoolId P1 = PoolId.of(Address.of("0x1111111111111111111111111111111111111111"));
    private static final PoolId P2 = PoolId.of(Address.of("0x2222222222222222222222222222222222222222"));
    private static final Whitelist S1 = Whitelist.of(7, List.of(P1));
    private static final Whitelist S2 = Whitelist.of(8, List.of(P1, P2));

    @Test
    void followerTakesOverAcrossAForkRevertingTheStreamsBlocks(@TempDir Path dir) throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.start(dir.resolve("nats"))) {
            long chainId = 31337;
            FeedMetrics ma = new FeedMetrics();
            FeedMetrics mb = new FeedMetrics();
            List<BlockFrames> x = chain('a', 5, 4, 1);
            List<BlockFrames> y = new ArrayList<>(x.subList(0, 3));
            y.addAll(fork(x.get(2), 'b', 3));
            List<String> seen = Collections.synchronizedList(new ArrayList<>());
            StreamPublisher a = new StreamPublisher(NatsSettings.of(nats.url()), chainId, settings("feed-a"), ma).start();
            StreamPublisher b = null;
            try (FeedStreamClient.Factory sources = FeedStreamClient.factory(NatsSettings.of(nats.url()))) {
                a.committed(x.get(0));
                await(() -> ma.streamLastSeq.get() >= 1, "feed A publishes block 1");
                var consumer = sources.open(0, null, recorder(seen), new FeedClient.Settings(chainId, true, Duration.ofSeconds(5), Duration.ofMillis(200)))
                        .start();
                await(() -> seen.contains("hello 1"), "consumer joins at block 1");
                b = new StreamPublisher(NatsSettings.of(nats.url()), chainId, settings("feed-b"), mb).start();
                b.committed(y.get(0));
                for (int i = 1; i < 5; i++) {
                    a.committed(x.get(i));
                }
                for (int i = 1; i < 6; i++) {
                    b.committed(y.get(i));
                }
                await(() -> seen.contains("commit 5a"), "consumer gets fork X up to 5");
                assertThat(mb.streamActive.get()).as("feed B follows while A holds the lease").isZero();
                a.close(); // gives the lease up
                await(() -> seen.contains("commit 6b"), "consumer gets fork Y up to 6 from feed B");
                consumer.close();
                assertThat(seen).containsExactly("hello 1", "set replace [" + P1 + "]", "commit 2a", "commit 3a", "set change +[" + P2 + "] -[]",
                        "commit 4a", "commit 5a", "revert 5a", "revert 4a", "set change +[] -[" + P2 + "]", "commit 4b",
                        "commit 5b", "commit 6b");
                assertThat(mb.streamTakeovers.count()).isEqualTo(1.0);
                assertThat(mb.streamReverts.count()).isEqualTo(2.0);
            } finally {
                a.close();
                if (b != null) {
                    b.close();
                }
            }
        }
    }

    /** A reorg there and back within the duplicate window: block 2a comes back after its revert and must reach the consumer again. */
    @Test
    void aBlockThatComesBackAfterItsRevertIsPublishedAgain(@TempDir Path dir) throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.start(dir.resolve("nats"))) {
            long chainId = 31337;
            FeedMetrics m = new FeedMetrics();
            List<BlockFrames> a = chain('a', 2, 99, 1);
            BlockFrames b2 = fork(a.get(0), 'b', 1).get(0);
            List<String> seen = Collections.synchronizedList(new ArrayList<>());
            try (StreamPublisher p = new StreamPublisher(NatsSettings.of(nats.url()), chainId, settings("feed-a"), m).start();
                 FeedStreamClient.Factory sources = FeedStreamClient.factory(NatsSettings.of(nats.url()))) {
                p.committed(a.get(0));
                await(() -> m.streamLastSeq.get() >= 1, "block 1 published");
                var consumer = sources.open(0, null, recorder(seen), new FeedClient.Settings(chainId, true, Duration.ofSeconds(5), Duration.ofMillis(200)))
                        .start();
                await(() -> seen.contains("hello 1"), "consumer joins at block 1");
                p.committed(a.get(1));
                await(() -> seen.contains("commit 2a"), "2a");
                p.reverted(a.get(1));
                await(() -> seen.contains("revert 2a"), "2a reverted");
                p.committed(b2);
                await(() -> seen.contains("commit 2b"), "2b");
                p.reverted(b2);
                await(() -> seen.contains("revert 2b"), "2b reverted");
                p.committed(a.get(1));
                await(() -> seen.stream().filter("commit 2a"::equals).count() == 2, "2a again");
                consumer.close();
                assertThat(seen).containsExactly("hello 1", "set replace [" + P1 + "]", "commit 2a", "revert 2a", "commit 2b", "revert 2b", "commit 2a");
            }
        }
    }

    private static StreamPublisher.Settings settings(String id) {
        return new StreamPublisher.Settings(id, new FeedStreamWriter.Limits(1000, 1 << 24, 1, Duration.ofMinutes(2)), Duration.ofMillis(800), 50, 64);
    }

    /** Blocks 1..n of a fork; block {@code addAt} adds P2 to the set; every block has one update of P1. */
    private static List<BlockFrames> chain(char fork, int n, int addAt, long parentSeed) {
        List<BlockFrames> out = new ArrayList<>();
        Bytes32 parent = hash('0', 0);
        Whitelist prev = null;
        for (int i = 1; i <= n; i++) {
            Whitelist set = i >= addAt ? S2 : S1;
            out.add(BlockFrames.of(i, hash(fork, i), parent, 1000 + i, List.of(update(i)), set, prev));
            parent = hash(fork, i);
            prev = set;
        }
        return out;
    }

    private static List<BlockFrames> fork(BlockFrames after, char fork, int n) {
        List<BlockFrames> out = new ArrayList<>();
        Bytes32 parent = after.hash();
        Whitelist prev = after.pools();
        for (int i = 1; i <= n; i++) {
            long num = after.number() + i;
            out.add(BlockFrames.of(num, hash(fork, num), parent, 2000 + num, List.of(update(num)), S1, prev));
            parent = hash(fork, num);
            prev = S1;
        }
        return out;
    }

    private static FeedFrame.PoolUpdate update(long block) {
        return new FeedFrame.PoolUpdate(block, 0, 0, Bytes32.of(BigInteger.valueOf(block)), P1, EventKind.V2_SYNC, List.of(), new byte[64]);
    }

    private static Bytes32 hash(char fork, long n) {
        return Bytes32.of(BigInteger.valueOf(fork).shiftLeft(64).add(BigInteger.valueOf(n)));
    }

    private static String name(long n, Bytes32 h) {
        return n + (h.equals(hash('a', n)) ? "a" : h.equals(hash('b', n)) ? "b" : "?");
    }

    private static FeedClient.Listener recorder(List<String> seen) {
        return new FeedClient.Listener() {
            @Override
            public void onHello(FeedFrame.Hello hello) {
                seen.add("hello " + hello.headBlockNumber());
            }

            @Override
            public void onPoolSet(PoolSetChange c) {
                seen.add(c.replace() ? "set replace " + c.added() : "set change +" + c.added() + " -" + c.removed());
            }

            @Override
            public void onBlock(FeedBlock block) {
                seen.add((block.isRevert() ? "revert " : "commit ") + name(block.number(), block.begin().blockHash()));
            }

            @Override
            public void onDisconnect(String reason) {
                seen.add("disconnect " + reason);
            }
        };
    }

    private static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(10);
        }
    }
}
