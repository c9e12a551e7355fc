package io.poolstate.whales;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The retry schedule within a slot after attempts that threw: 1 s doubling, at most a minute. */
class WhaleSchedulerAgentTest {
    @Test
    void attemptsThatThrowAreRetriedWithBackoff() {
        assertThat(WhaleSchedulerAgent.retryDelay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(WhaleSchedulerAgent.retryDelay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(WhaleSchedulerAgent.retryDelay(6)).isEqualTo(Duration.ofSeconds(32));
        assertThat(WhaleSchedulerAgent.retryDelay(7)).isEqualTo(Duration.ofMinutes(1));
        assertThat(WhaleSchedulerAgent.retryDelay(10_000)).isEqualTo(Duration.ofMinutes(1));
    }
}
