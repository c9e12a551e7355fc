package io.poolstate.arena;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WarmUpAgentTest {
    @Test
    void syntheticBlocksGoThroughTheFeedPathAndEndAtTheStateTheirEventsSay() {
        WarmUpAgent.Result r = WarmUpAgent.run(300, () -> false);

        // 300 blocks of 200 updates, then one removing the positions still open
        assertThat(r.blocks()).isEqualTo(301);
        // all but the updates of pools not served and of pools read after the block (about 1 %)
        assertThat(r.events()).isBetween(300L * (WarmUpAgent.EVENTS - WarmUpAgent.NOT_SERVED) * 97 / 100,
                300L * (WarmUpAgent.EVENTS - WarmUpAgent.NOT_SERVED) + WarmUpAgent.POSITIONS);
        // every block was read as the feed client reads one: its updates decoded as they arrived, none at its end
        assertThat(r.decodedAhead()).isEqualTo(301);
    }

    @Test
    void stopsWhenAsked() {
        AtomicInteger asked = new AtomicInteger();

        WarmUpAgent.Result r = WarmUpAgent.run(1_000, () -> asked.incrementAndGet() > 5);

        assertThat(r.blocks()).isEqualTo(6); // five blocks, then the one that removes their positions
    }

    @Test
    void startsOncePerProcess() throws InterruptedException {
        ArenaMetrics metrics = new ArenaMetrics();

        Thread first = WarmUpAgent.startOnce(50, metrics);
        Thread second = WarmUpAgent.startOnce(50, metrics);

        assertThat(second).isNull();
        if (first != null) { // null when an arena of this JVM started it before
            assertThat(first.getName()).isEqualTo("arena-warm-up");
            first.join(60_000);
            assertThat(first.isAlive()).isFalse();
        }
        assertThat(metrics.warmUpFailures.count()).isZero();
        assertThat(WarmUpAgent.startOnce(0, metrics)).isNull();
    }
}
