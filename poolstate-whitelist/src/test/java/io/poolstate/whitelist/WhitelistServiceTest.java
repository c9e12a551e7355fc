package io.poolstate.whitelist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The retry schedule after failed runs: 1 s doubling, capped at a minute and at the interval. */
class WhitelistServiceTest {
    @Test
    void failedRunsAreRetriedWithBackoffNeverLaterThanTheInterval() {
        Duration fiveMinutes = Duration.ofMinutes(5);
        assertThat(WhitelistService.retryDelay(1, fiveMinutes)).isEqualTo(Duration.ofSeconds(1));
        assertThat(WhitelistService.retryDelay(2, fiveMinutes)).isEqualTo(Duration.ofSeconds(2));
        assertThat(WhitelistService.retryDelay(6, fiveMinutes)).isEqualTo(Duration.ofSeconds(32));
        assertThat(WhitelistService.retryDelay(7, fiveMinutes)).isEqualTo(Duration.ofMinutes(1));
        assertThat(WhitelistService.retryDelay(1_000, fiveMinutes)).isEqualTo(Duration.ofMinutes(1));
        assertThat(WhitelistService.retryDelay(3, Duration.ofSeconds(3))).as("a short interval").isEqualTo(Duration.ofSeconds(3));
    }
}
