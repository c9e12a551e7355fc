package io.poolstate.protocol.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.math.BigInteger;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StreamCodecTest {
    private static final Token USDC = new Token(Address.of("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"), 6, "USDC");
    private static final Token WETH = new Token(Address.of("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"), 18, "WETH");
    private static final PoolDescriptor V3 = new PoolDescriptor(PoolId.parse("0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640"),
            Protocol.UNISWAP_V3, USDC, WETH, Address.of("0x1f98431c8ad98523631ae4a59f267346ea31f984"), 500, 10, null);
    private static final PoolDescriptor V2 = new PoolDescriptor(PoolId.parse("0xb4e16d0168e52d35cacd2c6185b44281ec28c9dc"), Protocol.UNISWAP_V2,
            USDC, WETH, Address.of("0x5c69bee701ef814a2b6a3edd4b1652cb9cc5aa6f"), null, null, null);
    private static final Bytes32 H1 = Bytes32.of(BigInteger.ONE);
    private static final Bytes32 H2 = Bytes32.of(BigInteger.TWO);

    private static PoolSnapshot.Concentrated v3(long price, int tick, long liquidity, int... ticks) {
        TreeMap<Integer, TickInfo> m = new TreeMap<>();
        for (int i = 0; i < ticks.length; i += 2) {
            m.put(ticks[i], new TickInfo(BigInteger.valueOf(Math.abs(ticks[i + 1])), BigInteger.valueOf(ticks[i + 1])));
        }
        return new PoolSnapshot.Concentrated(V3, BigInteger.valueOf(price), tick, BigInteger.valueOf(liquidity), 500, 0, m);
    }

    @Test
    void goldenBlockMessageWithAWholePoolAndADelta() {
        PoolSnapshot.Concentrated before = v3(1000, 5, 77, -10, 7, 10, -7);
        PoolSnapshot.Concentrated after = v3(1001, 6, 80, -10, 10, 10, -7, 20, 3);
        PoolSnapshot.V2 v2 = new PoolSnapshot.V2(V2, BigInteger.valueOf(1_000_000), new BigInteger("5000000000000000000"));
        String delta = StreamCodec.change(before, after);
        String whole = StreamCodec.change(null, v2);
        assertThat(delta).isEqualTo("{\"id\":\"0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640\",\"sqrt_price_x96\":\"1001\",\"tick\":6,\"liquidity\":\"80\","
                + "\"fee\":500,\"protocol_fee\":0,\"ticks\":[[-10,\"10\",\"10\"],[20,\"3\",\"3\"]]}");
        String msg = StreamCodec.message(StreamMessage.Type.BLOCK, 7, 42, H2, H1, List.of(delta, whole), List.of(), null);
        assertThat(msg).isEqualTo("{\"type\":\"block\",\"seq\":7,\"block_number\":42,"
                + "\"block_hash\":\"0x0000000000000000000000000000000000000000000000000000000000000002\","
                + "\"parent_hash\":\"0x0000000000000000000000000000000000000000000000000000000000000001\",\"pools\":[" + delta + ","
                + "{\"id\":\"0xb4e16d0168e52d35cacd2c6185b44281ec28c9dc\",\"pool\":{\"id\":\"0xb4e16d0168e52d35cacd2c6185b44281ec28c9dc\","
                + "\"protocol\":\"uniswap_v2\",\"token0\":{\"address\":\"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48\",\"decimals\":6,\"symbol\":\"USDC\"},"
                + "\"token1\":{\"address\":\"0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2\",\"decimals\":18,\"symbol\":\"WETH\"},"
                + "\"factory\":\"0x5c69bee701ef814a2b6a3edd4b1652cb9cc5aa6f\"},\"reserve0\":\"1000000\",\"reserve1\":\"5000000000000000000\"}]}");
    }

    @Test
    void decodingAndApplyingGivesTheNewStateBack() throws Exception {
        PoolSnapshot.Concentrated before = v3(1000, 5, 77, -10, 7, 10, -7, 30, 1);
        PoolSnapshot.Concentrated after = v3(900, -3, 70, -10, 7, 10, -9, 40, 2);
        PoolSnapshot.V2 v2 = new PoolSnapshot.V2(V2, BigInteger.ONE, BigInteger.TEN);
        StreamMessage m = StreamCodec.read(StreamCodec.message(StreamMessage.Type.REVERT, 9, 43, H2, H1,
                List.of(StreamCodec.change(before, after), StreamCodec.change(null, v2)), List.of(PoolId.parse("0x0000000000000000000000000000000000000001")), null));
        assertThat(m.type()).isEqualTo(StreamMessage.Type.REVERT);
        assertThat(m.tipNumber()).isEqualTo(42);
        assertThat(m.tipHash()).isEqualTo(H1);
        assertThat(m.removed()).containsExactly(PoolId.parse("0x0000000000000000000000000000000000000001"));
        assertThat(m.pools().get(0).applyTo(before)).isEqualTo(after);
        assertThat(m.pools().get(1)).isEqualTo(new PoolChange.Full(v2));
        StreamMessage full = StreamCodec.read(StreamCodec.message(StreamMessage.Type.SNAPSHOT, 1, 43, H2, null, List.of(StreamCodec.change(null, after)),
                List.of(), "resume refused: seq=5"));
        assertThat(full.pools().get(0).applyTo(null)).isEqualTo(after);
        assertThat(full.reason()).isEqualTo("resume refused: seq=5");
        assertThat(StreamCodec.change(after, v3(900, -3, 70, -10, 7, 10, -9, 40, 2))).as("no change").isNull();
    }

    @Test
    void malformedMessagesNameTheField() {
        assertThatThrownBy(() -> StreamCodec.read("{\"type\":\"block\",\"seq\":1,\"block_number\":2,\"block_hash\":\"" + H1 + "\",\"pools\":[]}"))
                .isInstanceOf(StreamFormatException.class).hasMessageContaining("parent_hash");
        assertThatThrownBy(() -> StreamCodec.read("{\"type\":\"nope\"}")).hasMessageContaining("type=nope");
        assertThatThrownBy(() -> StreamCodec.read("[")).hasMessageContaining("json=invalid");
    }
}
