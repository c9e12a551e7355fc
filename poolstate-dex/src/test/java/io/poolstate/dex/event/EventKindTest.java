package io.poolstate.dex.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.eth.Keccak256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventKindTest {
    @ParameterizedTest
    @EnumSource(EventKind.class)
    void topic0IsTheKeccakOfTheSignature(EventKind kind) {
        assertThat(kind.topic0()).isEqualTo(Keccak256.ofUtf8(kind.signature()));
        assertThat(EventKind.byTopic0(kind.topic0())).isSameAs(kind);
    }

    @ParameterizedTest
    @EnumSource(OtherEvent.class)
    void otherTopic0IsTheKeccakOfTheSignature(OtherEvent e) {
        assertThat(e.topic0()).isEqualTo(Keccak256.ofUtf8(e.signature()));
        assertThat(EventKind.byTopic0(e.topic0())).isNull();
    }

    @Test
    void topicAndWordCountsFollowTheSignatures() {
        for (EventKind k : EventKind.values()) {
            int params = k.signature().substring(k.signature().indexOf('(') + 1, k.signature().length() - 1).split(",").length;
            assertThat(k.topicCount() - 1 + k.dataWords()).as(k.name()).isEqualTo(params);
        }
    }
}
