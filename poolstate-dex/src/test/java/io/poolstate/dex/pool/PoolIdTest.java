package io.poolstate.dex.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PoolIdTest {
    @Test
    void parsesAddressesAndV4IdsInAnyCase() {
        PoolId v3 = PoolId.parse("0x88E6A0c2dDD26FEEb64F039a2c41296FcB3f5640");
        assertThat(v3.isV4()).isFalse();
        assertThat(v3.toString()).isEqualTo("0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640");
        PoolId v4 = PoolId.parse("0x21C67E77068DE97969BA93D4AAB21826D33CA12BB9F565D8496E8FDA8A82CA27");
        assertThat(v4.isV4()).isTrue();
        assertThat(v4).isEqualTo(PoolId.parse(v4.toString()));
    }

    @Test
    void rejectsOtherLengths() {
        assertThatThrownBy(() -> PoolId.parse("0x1234")).hasMessageContaining("pool id must be");
        assertThatThrownBy(() -> PoolId.parse(null)).hasMessageContaining("missing");
    }

    @Test
    void protocolAcceptsOldSpellings() {
        assertThat(Protocol.parse("V2")).isEqualTo(Protocol.UNISWAP_V2);
        assertThat(Protocol.parse("UniswapV3")).isEqualTo(Protocol.UNISWAP_V3);
        assertThat(Protocol.parse("uniswap_v4")).isEqualTo(Protocol.UNISWAP_V4);
        assertThat(Protocol.parse("uniswap-v2")).isEqualTo(Protocol.UNISWAP_V2);
        assertThatThrownBy(() -> Protocol.parse("sushi")).hasMessageContaining("unknown protocol: value=sushi");
    }
}
