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

    private static final Token ETH = new Token(Address.ZERO, 18, "ETH");
    private static final PoolDescriptor V2 = new PoolDescriptor(PoolId.parse("0xb4e16d0168e52d35cacd2c6185b44281ec28c9dc"), Protocol.UNISWAP_V2,
            USDC, WETH, Address.of("0x5c69bee701ef814a2b6a3edd4b1652cb9cc5aa6f"), null, null, null);
    private static final PoolDescriptor V4 = new PoolDescriptor(PoolId.parse("0x21c67e77068de97969ba93d4aab21826d33ca12bb9f565d8496e8fda8a82ca27"),
            Protocol.UNISWAP_V4, ETH, USDC, Address.of("0x000000000004444c5dc75cb358380d2e3de08a90"), 500, 10, Address.ZERO);
    private static final WhitelistCodec.Expect FULL_SUBJECT = WhitelistCodec.Expect.forSubject("whitelist.pools.ethereum.full", 1 << 20);
    private static final WhitelistCodec.Expect MINIMAL_SUBJECT = WhitelistCodec.Expect.forSubject("whitelist.pools.ethereum.minimal", 1 << 20);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesTheFullFormatGolden() {
        WhitelistMessage m = WhitelistMessage.full("ethereum", 1730635500000L, Instant.parse("2025-11-03T12:05:00Z"), List.of(V3));
        String json = new String(WhitelistCodec.writeFull(m), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"type\":\"full\",\"chain\":\"ethereum\",\"snapshot_id\":1730635500000,\"timestamp\":\"2025-11-03T12:05:00Z\","
                + "\"pools\":[{\"id\":\"0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640\",\"protocol\":\"uniswap_v3\","
                + "\"token0\":{\"address\":\"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48\",\"decimals\":6,\"symbol\":\"USDC\"},"
                + "\"token1\":{\"address\":\"0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2\",\"decimals\":18,\"symbol\":\"WETH\"},"
                + "\"factory\":\"0x1f98431c8ad98523631ae4a59f267346ea31f984\",\"fee\":500,\"tick_spacing\":10}]}");
    }

    @Test
    void writesTheMinimalFormatGolden() {
        WhitelistMessage m = new WhitelistMessage(UpdateType.REMOVE, "ethereum", 2L, 1L, null, List.of(), List.of(V3.id()));
        String json = new String(WhitelistCodec.writeMinimal(m), StandardCharsets.UTF_8);
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
        assertThatThrownBy(() -> WhitelistCodec.read(utf8("{not json"))).isInstanceOf(WhitelistFormatException.class).hasMessageContaining("json=invalid");
        assertThatThrownBy(() -> WhitelistCodec.read(utf8("{\"type\":\"upsert\",\"pools\":[]}"))).hasMessageContaining("unknown update type");
        assertThatThrownBy(() -> WhitelistCodec.read(utf8("{\"pools\":[\"0x12\"]}"))).hasMessageContaining("pools[0]");
        assertThatThrownBy(() -> WhitelistCodec.read(utf8("{\"pools\":[{\"id\":\"0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640\",\"protocol\":\"v3\","
                + "\"token0\":{\"address\":\"0xbad\"},\"token1\":\"0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2\",\"fee\":500,\"tick_spacing\":10}]}")))
                .hasMessageContaining("pools[0]: token0.address");
        assertThatThrownBy(() -> WhitelistCodec.read(utf8("{\"pools\":[{\"id\":\"0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640\",\"protocol\":\"v3\","
                + "\"token0\":\"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48\",\"token1\":\"0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2\",\"fee\":\"500\"}]}")))
                .hasMessageContaining("fee=\"500\": expected an integer");
        assertThatThrownBy(() -> WhitelistCodec.read(utf8("{\"pools\":5}"))).hasMessageContaining("pools: expected a list");
        assertThatThrownBy(() -> WhitelistCodec.read(new byte[100], 10)).hasMessageContaining("too large");
    }

    // ---- the compact wire format and its parts (README, "Whitelist messages on NATS") ----

    private static final String PART_1 = "{\"type\":\"full\",\"chain\":\"ethereum\",\"snapshot_id\":1730635500000,\"part\":1,\"parts\":3,"
            + "\"timestamp\":\"2025-11-03T12:05:00Z\",\"pools\":[{\"id\":\"0xb4e16d0168e52d35cacd2c6185b44281ec28c9dc\",\"protocol\":\"uniswap_v2\","
            + "\"token0\":{\"address\":\"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48\",\"decimals\":6,\"symbol\":\"USDC\"},"
            + "\"token1\":{\"address\":\"0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2\",\"decimals\":18,\"symbol\":\"WETH\"},"
            + "\"factory\":\"0x5c69bee701ef814a2b6a3edd4b1652cb9cc5aa6f\"}]}";
    private static final String PART_2 = "{\"type\":\"full\",\"chain\":\"ethereum\",\"snapshot_id\":1730635500000,\"part\":2,\"parts\":3,"
            + "\"timestamp\":\"2025-11-03T12:05:00Z\",\"pools\":[{\"id\":\"0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640\",\"protocol\":\"uniswap_v3\","
            + "\"token0\":{\"address\":\"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48\",\"decimals\":6,\"symbol\":\"USDC\"},"
            + "\"token1\":{\"address\":\"0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2\",\"decimals\":18,\"symbol\":\"WETH\"},"
            + "\"factory\":\"0x1f98431c8ad98523631ae4a59f267346ea31f984\",\"fee\":500,\"tick_spacing\":10}]}";
    private static final String PART_3 = "{\"type\":\"full\",\"chain\":\"ethereum\",\"snapshot_id\":1730635500000,\"part\":3,\"parts\":3,"
            + "\"timestamp\":\"2025-11-03T12:05:00Z\",\"pools\":[{\"id\":\"0x21c67e77068de97969ba93d4aab21826d33ca12bb9f565d8496e8fda8a82ca27\","
            + "\"protocol\":\"uniswap_v4\",\"token0\":{\"address\":\"0x0000000000000000000000000000000000000000\",\"decimals\":18,\"symbol\":\"ETH\"},"
            + "\"token1\":{\"address\":\"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48\",\"decimals\":6,\"symbol\":\"USDC\"},"
            + "\"factory\":\"0x000000000004444c5dc75cb358380d2e3de08a90\",\"fee\":500,\"tick_spacing\":10,"
            + "\"hooks\":\"0x0000000000000000000000000000000000000000\"}]}";

    private static WhitelistMessage threePools() {
        return WhitelistMessage.full("ethereum", 1730635500000L, Instant.parse("2025-11-03T12:05:00Z"), List.of(V2, V3, V4));
    }

    @Test
    void aListTooLargeForOneMessageIsSplitIntoNumberedPartsGolden() throws Exception {
        List<byte[]> parts = WhitelistCodec.writeParts(threePools(), WhitelistFormat.FULL, 700);
        assertThat(parts).extracting(b -> new String(b, StandardCharsets.UTF_8)).containsExactly(PART_1, PART_2, PART_3);
        assertThat(parts).allSatisfy(b -> assertThat(b.length).isLessThanOrEqualTo(700));
        List<byte[]> minimal = WhitelistCodec.writeParts(threePools(), WhitelistFormat.MINIMAL, 200);
        assertThat(new String(minimal.get(2), StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"full\",\"chain\":\"ethereum\",\"snapshot_id\":1730635500000,"
                + "\"part\":3,\"parts\":3,\"timestamp\":\"2025-11-03T12:05:00Z\",\"pools\":[\"0x21c67e77068de97969ba93d4aab21826d33ca12bb9f565d8496e8fda8a82ca27\"]}");
        // a message that fits is written whole, without part fields
        assertThat(WhitelistCodec.writeParts(threePools(), WhitelistFormat.FULL, 1 << 20)).singleElement()
                .satisfies(b -> assertThat(b).isEqualTo(WhitelistCodec.writeFull(threePools())));
        WhitelistPart p2 = WhitelistCodec.readMessage(utf8(PART_2), FULL_SUBJECT);
        assertThat(p2.part()).isEqualTo(2);
        assertThat(p2.parts()).isEqualTo(3);
        assertThat(p2.message().pools()).containsExactly(V3);
    }

    @Test
    void aTwoPoolDiffStaysSmall() {
        WhitelistMessage remove = new WhitelistMessage(UpdateType.REMOVE, "ethereum", 1730635800000L, 1730635500000L,
                Instant.parse("2025-11-03T12:10:00.123Z"), List.of(), List.of(V3.id(), V4.id()));
        byte[] b = WhitelistCodec.writeMinimal(remove);
        assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"remove\",\"chain\":\"ethereum\",\"snapshot_id\":1730635800000,"
                + "\"prev_snapshot_id\":1730635500000,\"timestamp\":\"2025-11-03T12:10:00.123Z\",\"pool_ids\":[\"0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640\","
                + "\"0x21c67e77068de97969ba93d4aab21826d33ca12bb9f565d8496e8fda8a82ca27\"]}");
        assertThat(b.length).isLessThanOrEqualTo(300);
    }

    @Test
    void everyPartFitsAndThePartsGiveBackTheList() throws Exception {
        long seed = Long.getLong("poolstate.seed", System.nanoTime());
        java.util.Random rnd = new java.util.Random(seed);
        List<PoolDescriptor> pools = new java.util.ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Address a = Address.of(String.format("0x%040x", 0x1000 + i));
            pools.add(rnd.nextBoolean() ? new PoolDescriptor(PoolId.of(a), Protocol.UNISWAP_V2, USDC, WETH, null, null, null, null)
                    : new PoolDescriptor(PoolId.of(a), Protocol.UNISWAP_V3, USDC, new Token(WETH.address(), 18, "W".repeat(rnd.nextInt(40))),
                    Address.of("0x1f98431c8ad98523631ae4a59f267346ea31f984"), 3000, 60, null));
        }
        WhitelistMessage m = WhitelistMessage.full("ethereum", 1730635500000L, Instant.parse("2025-11-03T12:05:00Z"), pools);
        for (WhitelistFormat format : WhitelistFormat.values()) {
            int max = 1_000 + rnd.nextInt(60_000);
            List<byte[]> parts = WhitelistCodec.writeParts(m, format, max);
            WhitelistAssembler assembler = new WhitelistAssembler(1 << 30, java.time.Duration.ofMinutes(1));
            List<WhitelistAssembler.Result> results = new java.util.ArrayList<>();
            for (byte[] b : parts) {
                assertThat(b.length).as("seed=%d format=%s max=%d", seed, format, max).isLessThanOrEqualTo(max);
                results.addAll(assembler.accept(WhitelistCodec.readMessage(b, format == WhitelistFormat.FULL ? FULL_SUBJECT : MINIMAL_SUBJECT), b.length, 0));
            }
            assertThat(results.get(results.size() - 1)).as("seed=%d", seed).isInstanceOfSatisfying(WhitelistAssembler.Result.Complete.class, c -> {
                assertThat(c.message().poolIds()).isEqualTo(m.poolIds());
                if (format == WhitelistFormat.FULL) {
                    assertThat(c.message().pools()).isEqualTo(pools);
                }
            });
        }
    }

    @Test
    void aPoolLargerThanAMessageIsRefusedByTheWriter() {
        assertThatThrownBy(() -> WhitelistCodec.writeParts(threePools(), WhitelistFormat.FULL, 300))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one pool does not fit").hasMessageContaining("max=300");
    }

    // ---- the strict NATS reader ----

    @Test
    void readsWhatThePublisherWrites() throws Exception {
        WhitelistPart whole = WhitelistCodec.readMessage(WhitelistCodec.writeFull(threePools()), FULL_SUBJECT);
        assertThat(whole.isWhole()).isTrue();
        assertThat(whole.message()).isEqualTo(threePools());
        WhitelistPart minimal = WhitelistCodec.readMessage(WhitelistCodec.writeMinimal(threePools()), MINIMAL_SUBJECT);
        assertThat(minimal.message().poolIds()).containsExactly(V2.id(), V3.id(), V4.id());
        WhitelistMessage add = new WhitelistMessage(UpdateType.ADD, "ethereum", 6L, 5L, null, List.of(V3), List.of(V3.id()));
        assertThat(WhitelistCodec.readMessage(WhitelistCodec.writeFull(add), FULL_SUBJECT).message()).isEqualTo(add);
        // an empty full list is well-formed (the consumers' guard decides what to do with it)
        assertThat(WhitelistCodec.readMessage(utf8("{\"type\":\"full\",\"snapshot_id\":7,\"pools\":[]}"), FULL_SUBJECT).message().poolIds()).isEmpty();
    }

    private static String rejectedOnFull(String json) {
        return rejected(json, FULL_SUBJECT);
    }

    private static String rejected(String json, WhitelistCodec.Expect expect) {
        try {
            WhitelistCodec.readMessage(utf8(json), expect);
        } catch (WhitelistFormatException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + json);
    }

    private static final String POOL = "{\"id\":\"0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640\",\"protocol\":\"uniswap_v3\","
            + "\"token0\":\"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48\",\"token1\":\"0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2\",\"fee\":500,\"tick_spacing\":10}";
    private static final String ID_A = "\"0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640\"";
    private static final String ID_B = "\"0xb4e16d0168e52d35cacd2c6185b44281ec28c9dc\"";

    @Test
    void rejectsEachMalformedMessageWithItsReason() {
        assertThat(rejectedOnFull("[" + POOL + "]")).startsWith("envelope=list");
        assertThat(rejectedOnFull("{not json")).startsWith("json=invalid");
        assertThat(rejectedOnFull("{\"type\":\"full\",\"pools\":[" + POOL + "]}")).startsWith("snapshot_id: missing");
        assertThat(rejectedOnFull("{\"type\":\"full\",\"snapshot_id\":1730635500000.5,\"pools\":[" + POOL + "]}"))
                .isEqualTo("snapshot_id=1.7306355000005E12: not an integer");
        assertThat(rejectedOnFull("{\"type\":\"full\",\"snapshot_id\":1e3,\"pools\":[" + POOL + "]}")).startsWith("snapshot_id=1000.0: not an integer");
        assertThat(rejectedOnFull("{\"type\":\"full\",\"snapshot_id\":99999999999999999999999,\"pools\":[" + POOL + "]}"))
                .isEqualTo("snapshot_id=99999999999999999999999: above 9007199254740991");
        assertThat(rejectedOnFull("{\"type\":\"full\",\"snapshot_id\":9007199254740992,\"pools\":[" + POOL + "]}")).startsWith("snapshot_id=9007199254740992: above");
        assertThat(rejectedOnFull("{\"type\":\"full\",\"snapshot_id\":-5,\"pools\":[" + POOL + "]}")).isEqualTo("snapshot_id=-5: not positive");
        assertThat(rejectedOnFull("{\"type\":\"full\",\"snapshot_id\":\"17\",\"pools\":[" + POOL + "]}")).isEqualTo("snapshot_id=\"17\": not a number");
        assertThat(rejected("{\"type\":\"add\",\"snapshot_id\":9,\"pools\":[" + ID_A + "]}", MINIMAL_SUBJECT)).startsWith("prev_snapshot_id: missing on a add");
        assertThat(rejected("{\"type\":\"remove\",\"snapshot_id\":9,\"prev_snapshot_id\":9,\"pool_ids\":[" + ID_A + "]}", MINIMAL_SUBJECT))
                .isEqualTo("prev_snapshot_id=9: not below snapshot_id=9");
        assertThat(rejected("{\"type\":\"add\",\"snapshot_id\":9,\"prev_snapshot_id\":8,\"pools\":[" + ID_A + "," + ID_B + "," + ID_A + "]}", MINIMAL_SUBJECT))
                .isEqualTo("pools[2]: id=0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640: listed twice (first at pools[0])");
        assertThat(rejected("{\"type\":\"remove\",\"snapshot_id\":9,\"prev_snapshot_id\":8,\"pool_ids\":[\"0x88e6a0c2ddd26feeb64f039a2c41296fcb3f56\"]}",
                MINIMAL_SUBJECT)).startsWith("pool_ids[0]: pool id must be").contains("value=0x88e6a0c2ddd26feeb64f039a2c41296fcb3f56");
        assertThat(rejectedOnFull("{\"type\":\"full\",\"snapshot_id\":9,\"pools\":[" + POOL.replace("\"tick_spacing\":10", "\"tick_spacing\":0") + "]}"))
                .isEqualTo("pools[0]: id=0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640: tick_spacing=0 out of range 1..32767");
        assertThat(rejectedOnFull("{\"type\":\"full\",\"snapshot_id\":9,\"pools\":[" + new String(WhitelistCodec.writePool(new PoolDescriptor(V4.id(),
                Protocol.UNISWAP_V4, ETH, USDC, V4.factory(), 3000, 60, Address.ZERO)).toString()) + "]}"))
                .startsWith("pools[0]: id=0x21c67e77068de97969ba93d4aab21826d33ca12bb9f565d8496e8fda8a82ca27: PoolId").contains("is not the PoolKey's hash");
        assertThat(rejected("{\"type\":\"full\",\"snapshot_id\":9,\"pools\":[" + POOL + "," + ID_B + "]}", MINIMAL_SUBJECT))
                .isEqualTo("pools: mixes pool objects (pools[0]) and id strings (pools[1])");
        assertThat(rejectedOnFull("{\"type\":\"full\",\"snapshot_id\":9,\"pools\":[" + ID_A + "]}"))
                .isEqualTo("pools[0]=0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640: an id where pool metadata is expected (format=full)");
        assertThat(rejectedOnFull("{\"type\":\"full\",\"chain\":\"base\",\"snapshot_id\":9,\"pools\":[" + POOL + "]}"))
                .isEqualTo("chain=base: this subject carries chain=ethereum");
        assertThat(rejectedOnFull("{\"type\":\"full\",\"snapshot_id\":9,\"part\":1,\"pools\":[" + POOL + "]}")).isEqualTo("parts: missing; part and parts come together");
        assertThat(rejectedOnFull("{\"type\":\"full\",\"snapshot_id\":9,\"part\":3,\"parts\":2,\"pools\":[" + POOL + "]}")).isEqualTo("part=3: out of range 1..parts=2");
        assertThat(rejectedOnFull("{\"type\":\"full\",\"snapshot_id\":9,\"part\":1,\"parts\":2,\"pools\":[]}")).startsWith("pools=[]: a part of a split list");
        assertThat(rejected("{\"type\":\"add\",\"snapshot_id\":9,\"prev_snapshot_id\":8,\"pools\":[]}", MINIMAL_SUBJECT))
                .isEqualTo("pools=[]: a add must name at least one pool");
        assertThat(rejected("{\"type\":\"remove\",\"snapshot_id\":9,\"prev_snapshot_id\":8,\"pools\":[" + ID_A + "]}", MINIMAL_SUBJECT))
                .startsWith("pool_ids: missing");
        assertThat(rejectedOnFull("{\"type\":\"upsert\",\"snapshot_id\":9,\"pools\":[]}")).contains("type=upsert");
        assertThat(rejected("{\"type\":\"full\",\"snapshot_id\":9,\"pools\":[]}", new WhitelistCodec.Expect("ethereum", WhitelistFormat.FULL, 10)))
                .isEqualTo("bytes=42: larger than max=10");
    }
}
