package io.poolstate.arena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WriterIdleTest {
    @Test
    void parsesTheLaunchersValuesInAnyCase() {
        assertThat(WriterIdle.parse("park")).isEqualTo(WriterIdle.PARK);
        assertThat(WriterIdle.parse(" SPIN ")).isEqualTo(WriterIdle.SPIN);
        assertThat(ArenaAgent.Settings.DEFAULT.writerIdle()).isEqualTo(WriterIdle.PARK);
        assertThat(ArenaAgent.Settings.DEFAULT.withWriterIdle(WriterIdle.SPIN).withCheckpoint(null, 5).writerIdle()).isEqualTo(WriterIdle.SPIN);
    }

    @Test
    void refusesAnythingElseNamingTheValue() {
        assertThatThrownBy(() -> WriterIdle.parse("busy")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("writer idle must be park or spin: value=busy");
        assertThatThrownBy(() -> WriterIdle.parse(null)).hasMessageContaining("value=null");
    }
}
