package io.poolstate.eth.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesUpToTheMaximumAndStartsOverAfterReset() {
        Backoff b = Backoff.of(50, 300);
        assertThat(b.millis()).isEqualTo(50);
        b = b.next();
        assertThat(b.millis()).isEqualTo(100);
        b = b.next().next();
        assertThat(b.millis()).isEqualTo(300);
        assertThat(b.next().millis()).isEqualTo(300);
        assertThat(b.reset()).isEqualTo(Backoff.of(50, 300));
    }

    @Test
    void aMaximumBelowTheFirstWaitCapsFromTheSecondWaitOn() {
        Backoff b = Backoff.of(50, 20);
        assertThat(b.millis()).isEqualTo(50);
        assertThat(b.next().millis()).isEqualTo(20);
    }

    @Test
    void pauseSleepsThenReturnsTheNextWait() {
        assertThat(Backoff.of(0, 0).pause()).isEqualTo(Backoff.of(0, 0));
        assertThat(Backoff.of(1, 8).pause().millis()).isEqualTo(2);
    }

    @Test
    void anInterruptEndsThePauseAndStaysSet() {
        Thread.currentThread().interrupt();
        long start = System.nanoTime();
        Backoff.of(60_000, 60_000).pause();
        boolean interrupted = Thread.interrupted(); // clears the flag for the next test
        assertThat(interrupted).isTrue();
        assertThat(System.nanoTime() - start).isLessThan(30_000_000_000L);
    }

    @Test
    void negativeWaitsAreRefused() {
        assertThatThrownBy(() -> Backoff.of(-1, 10)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialMillis=-1");
    }
}
