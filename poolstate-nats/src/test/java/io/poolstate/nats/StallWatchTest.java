package io.poolstate.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The stream client's stall check on a clock the test moves: a quiet chain is never a stall; a message the stream
 * held at one look and that was still not delivered at the next is; looks that get no answer end the session only
 * after {@link FeedStreamClient#STALL_LOOKS_FAILED} in a row.
 */
class StallWatchTest {
    private static final long CHECK = Duration.ofSeconds(1).toNanos();

    /** The stream's last sequence as the server would answer, and the time. */
    private long last;
    private IOException refuse;
    private long now = 1_000_000_000L;
    private int looks;

    private FeedStreamClient.StallWatch watch() {
        return new FeedStreamClient.StallWatch(() -> {
            looks++;
            if (refuse != null) {
                throw refuse;
            }
            return last;
        }, CHECK, () -> now);
    }

    @Test
    void aQuietChainIsNoStall() {
        FeedStreamClient.StallWatch w = watch();
        last = 7;
        for (int i = 0; i < 20; i++) {
            now += CHECK;
            assertThatCode(() -> w.quiet(7)).doesNotThrowAnyException();
        }
        assertThat(looks).isEqualTo(20);
    }

    @Test
    void aMessageHeldAtOneLookAndNotDeliveredAtTheNextIsAStall() throws Exception {
        FeedStreamClient.StallWatch w = watch();
        now += CHECK;
        last = 8; // the stream holds 8, the consumer delivered 7
        w.quiet(7);
        now += CHECK / 2;
        w.quiet(7); // within the interval: no look, no verdict
        assertThat(looks).isEqualTo(1);
        now += CHECK / 2;
        assertThatThrownBy(() -> w.quiet(7)).isInstanceOf(IOException.class)
                .hasMessageContaining("stream message 8 not delivered within 1000 ms (last delivered 7)");
    }

    @Test
    void aMessageDeliveredBeforeTheNextLookIsNoStall() throws Exception {
        FeedStreamClient.StallWatch w = watch();
        now += CHECK;
        last = 8;
        w.quiet(7);
        now += CHECK;
        last = 9; // 8 came meanwhile; 9 is new at this look
        assertThatCode(() -> w.quiet(8)).doesNotThrowAnyException();
        now += CHECK;
        assertThatThrownBy(() -> w.quiet(8)).hasMessageContaining("stream message 9 not delivered");
    }

    @Test
    void looksWithoutAnAnswerEndTheSessionOnlyWhenSeveralInARowFail() throws Exception {
        FeedStreamClient.StallWatch w = watch();
        refuse = new IOException("Timeout or no response waiting for NATS JetStream server");
        for (int i = 1; i < FeedStreamClient.STALL_LOOKS_FAILED; i++) {
            now += CHECK;
            w.quiet(5);
        }
        refuse = null; // one answer resets the count
        last = 5;
        now += CHECK;
        w.quiet(5);
        refuse = new IOException("no responders");
        for (int i = 1; i < FeedStreamClient.STALL_LOOKS_FAILED; i++) {
            now += CHECK;
            w.quiet(5);
        }
        now += CHECK;
        assertThatThrownBy(() -> w.quiet(5)).isSameAs(refuse);
    }

    @Test
    void waitsHalfTheIntervalForAMessageWithinBounds() {
        assertThat(watch().pollWait()).isEqualTo(Duration.ofMillis(500));
        assertThat(new FeedStreamClient.StallWatch(() -> 0, Duration.ofMillis(300).toNanos(), () -> 0).pollWait()).isEqualTo(Duration.ofMillis(150));
        assertThat(new FeedStreamClient.StallWatch(() -> 0, Duration.ofMillis(4).toNanos(), () -> 0).pollWait()).isEqualTo(Duration.ofMillis(10));
    }
}
