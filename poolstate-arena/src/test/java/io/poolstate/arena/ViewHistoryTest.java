package io.poolstate.arena;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.eth.Bytes32;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ViewHistoryTest {
    private static ArenaView view(long n, int salt) {
        return new ArenaView(1, ArenaMode.LIVE, n, Bytes32.of(new java.math.BigInteger(n + "" + salt)), Map.of(), Map.of(), Map.of(), 0, 0, 0, 0);
    }

    @Test
    void keepsTheTipAndTheJournalDepthBelowIt() {
        ViewHistory h = new ViewHistory(3);
        h.published(view(10, 0), true);
        for (long n = 11; n <= 15; n++) {
            h.published(view(n, 0), false);
        }
        assertThat(h.at(15)).isEqualTo(new ViewHistory.Lookup.Found(view(15, 0)));
        assertThat(h.at(12)).isEqualTo(new ViewHistory.Lookup.Found(view(12, 0)));
        assertThat(h.at(11)).isEqualTo(new ViewHistory.Lookup.Gone(11, 12));
        assertThat(h.at(16)).isEqualTo(new ViewHistory.Lookup.Future(16, 15));
    }

    @Test
    void aRevertDropsTheRevertedBlockAndTheReplacementTakesItsPlace() {
        ViewHistory h = new ViewHistory(10);
        h.published(view(10, 0), true);
        h.published(view(11, 0), false);
        h.published(view(12, 0), false);
        h.published(view(11, 0), false); // block 12 reverted
        assertThat(h.at(12)).isInstanceOf(ViewHistory.Lookup.Future.class);
        h.published(view(12, 1), false);
        assertThat(h.at(12)).isEqualTo(new ViewHistory.Lookup.Found(view(12, 1)));
    }

    @Test
    void aResetForgetsWhatCameBefore() {
        ViewHistory h = new ViewHistory(10);
        h.published(view(10, 0), true);
        h.published(view(11, 0), false);
        h.published(view(20, 0), true);
        assertThat(h.at(11)).isEqualTo(new ViewHistory.Lookup.Gone(11, 20));
        assertThat(h.at(20)).isInstanceOf(ViewHistory.Lookup.Found.class);
    }

    @Test
    void theLastViewAtABlockIsKept() {
        ViewHistory h = new ViewHistory(10);
        h.published(view(10, 0), true);
        h.published(view(10, 5), false);
        assertThat(h.at(10)).isEqualTo(new ViewHistory.Lookup.Found(view(10, 5)));
    }
}
