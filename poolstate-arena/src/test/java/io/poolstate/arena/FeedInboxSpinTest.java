package io.poolstate.arena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.eth.Bytes32;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.protocol.feed.FeedFrame;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The spinning wait of {@link WriterIdle#SPIN}: every event handed over in order, none invented, a bounded wait, an interrupt and an overflow noticed. */
class FeedInboxSpinTest {
    private static FeedBlock block(long n) {
        Bytes32 h = Bytes32.of(BigInteger.valueOf(n));
        Bytes32 p = Bytes32.of(BigInteger.valueOf(n - 1));
        return new FeedBlock(new FeedFrame.BeginBlock(n, h, p, 0, false), List.of(), new FeedFrame.EndBlock(n, h, 0, 1, 0));
    }

    @Test
    void takesEveryEventOfferedFromAnotherThreadInOrder() throws Exception {
        FeedInbox inbox = new FeedInbox(64, new AtomicLong(), new ArenaMetrics());
        int count = 5_000;
        long deadline = System.nanoTime() + 60_000_000_000L;
        Thread feed = Thread.ofPlatform().daemon().start(() -> {
            for (long n = 1; n <= count && System.nanoTime() < deadline; n++) {
                inbox.onBlock(block(n));
                if (n % 50 == 0) {
                    Thread.yield(); // let the queue run empty now and then
                }
                while (inbox.size() > 32 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
        });
        List<Long> seen = new ArrayList<>();
        while (seen.size() < count) {
            FeedEvent e = inbox.spin(5_000);
            assertThat(e).as("event %d within 5 s", seen.size() + 1).isNotNull();
            seen.add(((FeedEvent.Block) e).block().number());
        }
        feed.join();
        assertThat(seen).isSorted().doesNotHaveDuplicates().hasSize(count);
        assertThat(inbox.spin(20)).as("nothing more").isNull();
    }

    @Test
    void waitsOutItsTimeWhenNothingComesAndThenMixesWithPoll() throws Exception {
        FeedInbox inbox = new FeedInbox(8, new AtomicLong(), new ArenaMetrics());
        long t0 = System.nanoTime();
        assertThat(inbox.spin(50)).isNull();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(50_000_000L);
        inbox.onBlock(block(1));
        inbox.onBlock(block(2));
        assertThat(((FeedEvent.Block) inbox.poll(0)).block().number()).isEqualTo(1);
        assertThat(((FeedEvent.Block) inbox.spin(1_000)).block().number()).isEqualTo(2);
        long t1 = System.nanoTime();
        assertThat(inbox.spin(20)).as("an event taken by poll is not waited for again").isNull();
        assertThat(System.nanoTime() - t1).as("it waited its 20 ms").isGreaterThanOrEqualTo(20_000_000L);
    }

    @Test
    void anInterruptEndsTheWait() throws Exception {
        FeedInbox inbox = new FeedInbox(8, new AtomicLong(), new ArenaMetrics());
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch spinning = new CountDownLatch(1);
        Thread writer = Thread.ofPlatform().start(() -> {
            spinning.countDown();
            try {
                inbox.spin(60_000);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        spinning.await();
        Thread.sleep(20);
        writer.interrupt();
        writer.join(5_000);
        assertThat(writer.isAlive()).as("the writer left the wait").isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void anOverflowRestartsTheArena() {
        FeedInbox inbox = new FeedInbox(2, new AtomicLong(), new ArenaMetrics());
        for (long n = 1; n <= 3; n++) {
            inbox.onBlock(block(n));
        }
        assertThatThrownBy(() -> inbox.spin(1_000)).isInstanceOf(ArenaRestart.class).hasMessageContaining("overflow");
    }
}
