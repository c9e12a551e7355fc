package io.poolstate.whales;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.eth.Address;
import io.poolstate.whales.analysis.AccumulationAnalyzer;
import io.poolstate.whales.analysis.Window;
import io.poolstate.whales.analysis.WindowMetrics;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented score and the per-window counts on hand-computed cases. */
class AccumulationAnalyzerTest {
    private static final Window W = Window.parse("1h");

    private static Address a(int i) {
        return Address.of(BigInteger.valueOf(i));
    }

    private static Map<Address, BigInteger> map(long... pairs) {
        Map<Address, BigInteger> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(a((int) pairs[i]), BigInteger.valueOf(pairs[i + 1]));
        }
        return m;
    }

    @Test
    void countsAndScore() {
        // common: 1 (+10), 2 (-5), 3 (=); entry 4; exit 5
        WindowMetrics m = AccumulationAnalyzer.analyze(W, 7, 3600, map(1, 110, 2, 95, 3, 50, 4, 40), map(1, 100, 2, 100, 3, 50, 5, 70));
        assertThat(new int[] {m.accumulating(), m.distributing(), m.unchanged(), m.entries(), m.exits()}).containsExactly(1, 1, 1, 1, 1);
        assertThat(m.groupHoldings()).isEqualTo(BigInteger.valueOf(295));
        assertThat(m.baselineHoldings()).isEqualTo(BigInteger.valueOf(320));
        assertThat(m.netChange()).isEqualTo(BigInteger.valueOf(-25));
        assertThat(m.commonNetChange()).isEqualTo(BigInteger.valueOf(5));
        // breadth 0, depth = 10 * 5 / 250 = 0.2 -> score 10.00
        assertThat(m.score()).isEqualByComparingTo("10.00");
    }

    @Test
    void scoreSaturatesAtTenPercentAndAllAccumulating() {
        WindowMetrics m = AccumulationAnalyzer.analyze(W, 1, 60, map(1, 200, 2, 300), map(1, 100, 2, 100));
        assertThat(m.score()).isEqualByComparingTo("100.00");
        WindowMetrics d = AccumulationAnalyzer.analyze(W, 1, 60, map(1, 0, 2, 99), map(1, 100, 2, 100));
        assertThat(d.score()).isEqualByComparingTo("-100.00");
    }

    @Test
    void noCommonAddressesScoresZero() {
        WindowMetrics m = AccumulationAnalyzer.analyze(W, 1, 60, map(1, 5), map(2, 5));
        assertThat(m.score()).isEqualByComparingTo("0");
        assertThat(m.entries()).isEqualTo(1);
        assertThat(m.exits()).isEqualTo(1);
    }

    @Test
    void windowsParse() {
        assertThat(Window.parseList("30s,15m,1h,7d")).extracting(Window::length)
                .containsExactly(Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofDays(7));
        assertThatThrownBy(() -> Window.parse("1w")).hasMessageContaining("window=1w");
        assertThatThrownBy(() -> Window.parse("xh")).hasMessageContaining("window=xh");
    }
}
