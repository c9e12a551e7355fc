package io.poolstate.protocol.whitelist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.eth.Address;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WhitelistCodecTest {
    private static final Token USDC = new Token(Address.of("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"), 6, "USDC");
    private static final Token WETH = new Token(Address.of("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"), 18, "WETH");
    private static final PoolDescriptor V3 = new PoolDescriptor(PoolId.parse("0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640"),
            Protocol.UNISWAP_V3, USDC, WETH, Address.of("0x1f98431c8ad98523631ae4a59f267346ea31f984"), 500, 10, null);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesTheFullFormatGolden() {
        WhitelistMessage m = WhitelistMessage.full("ethereum", 1730635500000L, Instant.parse("2025-11-03T12:05:00Z"), List.of(V3));
        String json = new String(WhitelistCodec.writeFull(m), StandardCharsets.UTF_8).replaceAll("\\s+", "");
        assertThat(json).isEqualTo("{\"type\":\"full\",\"chain\":\"ethereum\",\"snapshot_id\":1730635500000,\"timestamp\":\"2025-11-03T12:05:00Z\","
                + "\"pools\":[{\"id\":\"0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640\",\"protocol\":\"uniswap_v3\","
                + "\"token0\":{\"address\":\"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48\",\"decimals\":6,\"symbol\":\"USDC\"},"
                + "\"token1\":{\"address\":\"0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2\",\"decimals\":18,\"symbol\":\"WETH\"},"
                + "\"factory\":\"0x1f98431c8ad98523631ae4a59f267346ea31f984\",\"fee\":500,\"tick_spacing\":10}]}");
    }

    @Test
    void writesTheMinimalFormatGolden() {
        WhitelistMessage m = new WhitelistMessage(UpdateType.REMOVE, "ethereum", 2L, 1L, null, List.of(), List.of(V3.id()));
        String json = new String(WhitelistCodec.writeMinimal(m), StandardCharsets.UTF_8).replaceAll("\\s+", "");
        assertThat(json).isEqualTo("{\"type\":\"remove\",\"chain\":\"ethereum\",\"snapshot_id\":2,\"prev_snapshot_id\":1,"
                + "\"pool_ids\":[\"0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640\"]}");
    }

    @Test
    void roundTripsFullMessages() throws Exception {
        WhitelistMessage m = WhitelistMessage.full("ethereum", 5L, Instant.parse("2025-11-03T12:05:00Z"), List.of(V3));
        WhitelistMessage back = WhitelistCodec.read(WhitelistCodec.writeFull(m));
        assertThat(back).isEqualTo(m);
    }

    @Test
    void readsOldPublishers() throws Exception {
        String old = "{\"pools\":[{\"address\":\"0x88E6A0c2dDD26FEEb64F039a2c41296FcB3f5640\",\"protocol\":\"UniswapV3\","
                + "\"token0\":\"0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48\",\"token1\":{\"address\":\"0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2\","
                + "\"decimals\":18,\"symbol\":\"WETH\"},\"fee\":500,\"tick_spacing\":10}],\"chain\":\"ethereum\","
                + "\"timestamp\":\"2025-10-31T14:25:30.123456+00:00\"}";
        WhitelistMessage m = WhitelistCodec.read(utf8(old));
        assertThat(m.type()).isEqualTo(UpdateType.FULL);
        assertThat(m.pools()).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo(V3.id());
            assertThat(p.token0()).isEqualTo(Token.of(USDC.address()));
            assertThat(p.protocol()).isEqualTo(Protocol.UNISWAP_V3);
        });
        assertThat(m.snapshotId()).isNull();
    }

    @Test
    void readsMinimalListsAndBareLists() throws Exception {
        WhitelistMessage minimal = WhitelistCodec.read(utf8("{\"type\":\"add\",\"snapshot_id\":3,\"prev_snapshot_id\":2,"
                + "\"pools\":[\"0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640\","
                + "\"0x21c67e77068de97969ba93d4aab21826d33ca12bb9f565d8496e8fda8a82ca27\"]}"));
        assertThat(minimal.type()).isEqualTo(UpdateType.ADD);
        assertThat(minimal.poolIds()).hasSize(2);
        assertThat(minimal.pools()).isEmpty();
        assertThat(minimal.prevSnapshotId()).isEqualTo(2L);
        WhitelistMessage bare = WhitelistCodec.read(utf8("[{\"id\":\"0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640\",\"protocol\":\"v2\","
                + "\"token0\":\"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48\",\"token1\":\"0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2\"}]"));
        assertThat(bare.type()).isEqualTo(UpdateType.FULL);
        assertThat(bare.pools()).singleElement().extracting(PoolDescriptor::protocol).isEqualTo(Protocol.UNISWAP_V2);
    }

    @Test
    void rejectsMalformedPayloadsWithTheField() {
        assertThatThrownBy(() -> WhitelistCodec.read(utf8("{not json"))).isInstanceOf(WhitelistFormatException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> WhitelistCodec.read(utf8("{\"type\":\"upsert\",\"pools\":[]}"))).hasMessageContaining("unknown update type");
        assertThatThrownBy(() -> WhitelistCodec.read(utf8("{\"pools\":[\"0x12\"]}"))).hasMessageContaining("pools[0]");
        assertThatThrownBy(() -> WhitelistCodec.read(utf8("{\"pools\":[{\"id\":\"0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640\",\"protocol\":\"v3\","
                + "\"token0\":{\"address\":\"0xbad\"},\"token1\":\"0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2\",\"fee\":500,\"tick_spacing\":10}]}")))
                .hasMessageContaining("pools[0]: token0.address");
        assertThatThrownBy(() -> WhitelistCodec.read(utf8("{\"pools\":[{\"id\":\"0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640\",\"protocol\":\"v3\","
                + "\"token0\":\"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48\",\"token1\":\"0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2\",\"fee\":\"500\"}]}")))
                .hasMessageContaining("fee: expected an integer");
        assertThatThrownBy(() -> WhitelistCodec.read(utf8("{\"pools\":5}"))).hasMessageContaining("pools: expected a list");
        assertThatThrownBy(() -> WhitelistCodec.read(new byte[100], 10)).hasMessageContaining("too large");
    }
}
