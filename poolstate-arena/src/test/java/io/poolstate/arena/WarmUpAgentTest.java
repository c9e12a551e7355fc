package io.poolstate.arena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WarmUpAgentTest {
    @Test
    void syntheticBlocksGoThroughTheFeedPathAndLeaveTheStateTheirEventsSay() {
        WarmUpAgent.Result r = WarmUpAgent.run(300, () -> false, -1);

        // 300 blocks, every 50th first committed and reverted, then one removing the positions still open
        assertThat(r.reverts()).isEqualTo(300 / WarmUpAgent.REVERT_EVERY);
        assertThat(r.blocks()).isEqualTo(300 + r.reverts() + 1);
        // every committed block was read as the feed client reads one: its updates decoded as they arrived, none at its end
        assertThat(r.decodedAhead()).isEqualTo(r.blocks());
        // all but the updates of pools not served and of pools read after the block (about 1 %)
        long applying = WarmUpAgent.EVENTS - WarmUpAgent.NOT_SERVED;
        assertThat(r.events()).isBetween(300 * applying * 97 / 100, (300 + r.reverts()) * applying + WarmUpAgent.POSITIONS);
    }

    @Test
    void aStateOtherThanTheEventsSayIsFound() {
        // the model of pool 1 (a V3 pool) expects one more unit of liquidity than its events give it
        assertThatThrownBy(() -> WarmUpAgent.run(60, () -> false, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("warm-up state differs from its events")
                .hasMessageContaining("protocol=uniswap_v3")
                .hasMessageContaining("liquidity: ");
    }

    @Test
    void stopsWhenAsked() {
        AtomicInteger asked = new AtomicInteger();

        WarmUpAgent.Result r = WarmUpAgent.run(1_000, () -> asked.incrementAndGet() > 5, -1);

        assertThat(r.blocks()).isEqualTo(6); // five blocks, then the one that removes their positions
    }

    @Test
    void refusesMoreBlocksThanItsPoolsReadLaterAllow() {
        assertThatThrownBy(() -> WarmUpAgent.run(WarmUpAgent.MAX_BLOCKS + 1, () -> false, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blocks=" + (WarmUpAgent.MAX_BLOCKS + 1));
    }

    @Test
    void startsOnceAndSaysHowLongItTook() throws InterruptedException {
        AtomicBoolean once = new AtomicBoolean();
        ArenaMetrics metrics = new ArenaMetrics();

        assertThat(WarmUpAgent.startOnce(once, 0, metrics, () -> false, -1)).isNull(); // none asked for: the flag stays unset
        Thread first = WarmUpAgent.startOnce(once, 50, metrics, () -> false, -1);
        Thread second = WarmUpAgent.startOnce(once, 50, metrics, () -> false, -1);

        assertThat(first).isNotNull();
        assertThat(first.getName()).isEqualTo("arena-warm-up");
        assertThat(second).isNull();
        first.join(60_000);
        assertThat(first.isAlive()).isFalse();
        assertThat(metrics.warmUpMillis.get()).isPositive();
        assertThat(metrics.warmUpFailures.count()).isZero();
    }

    @Test
    void aFailureIsCountedAndEndsOnlyTheWarmUp() throws InterruptedException {
        ArenaMetrics metrics = new ArenaMetrics();

        Thread t = WarmUpAgent.startOnce(new AtomicBoolean(), 60, metrics, () -> false, 1);
        t.join(60_000);

        assertThat(t.isAlive()).isFalse();
        assertThat(metrics.warmUpFailures.count()).isEqualTo(1);
        assertThat(metrics.warmUpMillis.get()).isZero();
    }
}
