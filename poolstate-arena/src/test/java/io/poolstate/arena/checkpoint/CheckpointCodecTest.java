package io.poolstate.arena.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.state.ConcentratedPoolState;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.dex.state.V2PoolState;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The checkpoint layout, pinned by a golden vector; round trips; corruption, truncation and other versions are refused. */
class CheckpointCodecTest {
    private static final Token A = new Token(Address.of("0x00000000000000000000000000000000000000aa"), 18, "A");
    private static final Token B = new Token(Address.of("0x00000000000000000000000000000000000000bb"), 6, "B");
    private static final PoolDescriptor V2 = new PoolDescriptor(PoolId.of(Address.of("0x0000000000000000000000000000000000000002")), Protocol.UNISWAP_V2,
            A, B, Address.of("0x00000000000000000000000000000000000000f2"), null, null, null);
    private static final PoolDescriptor V3 = new PoolDescriptor(PoolId.of(Address.of("0x0000000000000000000000000000000000000003")), Protocol.UNISWAP_V3,
            A, B, Address.of("0x00000000000000000000000000000000000000f3"), 3000, 60, null);
    private static final Bytes32 HASH = Bytes32.of(BigInteger.valueOf(0xabcdef));

    private static List<PoolSnapshot> pools() {
        TreeMap<Integer, TickInfo> ticks = new TreeMap<>();
        BigInteger l = BigInteger.ONE.shiftLeft(100).add(BigInteger.valueOf(5));
        ticks.put(-120, new TickInfo(l, l));
        ticks.put(60, new TickInfo(l, l.negate()));
        return List.of(new V2PoolState(V2, BigInteger.valueOf(1000), BigInteger.TWO.pow(111)).snapshot(),
                new ConcentratedPoolState(V3, BigInteger.ONE.shiftLeft(96), -7, l, 3000, 0, ticks).snapshot());
    }

    private static byte[] encode(List<PoolSnapshot> pools) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CheckpointCodec.write(out, 31337, 42, HASH, pools, pools.size(), Map.of(V2.id(), 40L));
        return out.toByteArray();
    }

    /**
     * Chain 31337, block 42 (hash 0xabcdef), two pools: V2 read at 40 (reserves 1000 and 2^111), V3 at 42 (price 2^96, tick -7,
     * liquidity 2^100 + 5, fee 3000, ticks -120 (+L) and 60 (-L)); the layout is drawn in {@link CheckpointCodec}.
     */
    static final String GOLDEN = "0x5053434b000300000000000000007a69000000000000002a0000000000000000000000000000000000000000000000000000000000abcdef000000"
            + "02000000000000002802013b7b226964223a223078303030303030303030303030303030303030303030303030303030303030303030303030303030"
            + "32222c2270726f746f636f6c223a22756e69737761705f7632222c22746f6b656e30223a7b2261646472657373223a22307830303030303030303030"
            + "303030303030303030303030303030303030303030303030303030306161222c22646563696d616c73223a31382c2273796d626f6c223a2241227d2c"
            + "22746f6b656e31223a7b2261646472657373223a22307830303030303030303030303030303030303030303030303030303030303030303030303030"
            + "306262222c22646563696d616c73223a362c2273796d626f6c223a2242227d2c22666163746f7279223a223078303030303030303030303030303030"
            + "30303030303030303030303030303030303030303030306632227d00000000000000000000000000000000000000000000000000000000000003e800"
            + "00000000000000000000000000000000008000000000000000000000000000000000000000002a0301587b226964223a223078303030303030303030"
            + "30303030303030303030303030303030303030303030303030303030303033222c2270726f746f636f6c223a22756e69737761705f7633222c22746f"
            + "6b656e30223a7b2261646472657373223a22307830303030303030303030303030303030303030303030303030303030303030303030303030306161"
            + "222c22646563696d616c73223a31382c2273796d626f6c223a2241227d2c22746f6b656e31223a7b2261646472657373223a22307830303030303030"
            + "303030303030303030303030303030303030303030303030303030303030306262222c22646563696d616c73223a362c2273796d626f6c223a224222"
            + "7d2c22666163746f7279223a22307830303030303030303030303030303030303030303030303030303030303030303030303030306633222c226665"
            + "65223a333030302c227469636b5f73706163696e67223a36307d0000000000000001000000000000000000000000fffffff900000010000000000000"
            + "00000000000500000bb80000000000000002ffffff8800000010000000000000000000000005000000100000000000000000000000050000003c0000"
            + "0010000000000000000000000005ffffffeffffffffffffffffffffffffbb15c87cf";

    @Test
    void goldenVector() throws Exception {
        byte[] b = encode(pools());
        assertThat(Hex.encode(b)).isEqualTo(GOLDEN);
    }

    @Test
    void roundTrip() throws Exception {
        CheckpointCodec.Checkpoint c = CheckpointCodec.read(encode(pools()));
        assertThat(c.chainId()).isEqualTo(31337);
        assertThat(c.blockNumber()).isEqualTo(42);
        assertThat(c.blockHash()).isEqualTo(HASH);
        assertThat(c.scrapedAt()).isEqualTo(Map.of(V2.id(), 40L, V3.id(), 42L));
        for (PoolSnapshot p : pools()) {
            assertThat(c.states().get(p.descriptor().id()).snapshot()).isEqualTo(p);
            assertThat(c.states().get(p.descriptor().id()).descriptor()).isEqualTo(p.descriptor());
        }
    }

    @Test
    void corruptTruncatedAndOtherVersionsAreRefused() throws Exception {
        byte[] b = encode(pools());
        for (int i : new int[] {10, 70, b.length / 2, b.length - 5}) {
            byte[] bad = b.clone();
            bad[i] ^= 0x10;
            assertThatThrownBy(() -> CheckpointCodec.read(bad)).as("byte %d flipped", i).isInstanceOf(CheckpointFormatException.class)
                    .hasMessageContaining("CRC mismatch");
        }
        assertThatThrownBy(() -> CheckpointCodec.read(java.util.Arrays.copyOf(b, b.length - 9))).isInstanceOf(CheckpointFormatException.class);
        byte[] v2 = b.clone();
        v2[5] = 2;
        assertThatThrownBy(() -> CheckpointCodec.read(v2)).isInstanceOf(CheckpointFormatException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> CheckpointCodec.read("{\"version\":2}".repeat(10).getBytes())).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("magic");
    }

    @Test
    void ticksOutOfOrderOrWithoutLiquidityAreRefused() throws Exception {
        byte[] b = encode(pools());
        int second = b.length - 4 - 36; // the V3 pool's ticks are last: -120, then 60
        int first = second - 36;
        byte[] unordered = b.clone();
        java.nio.ByteBuffer.wrap(unordered).putInt(second, -240);
        assertThatThrownBy(() -> CheckpointCodec.read(withCrc(unordered))).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("pool=" + V3.id()).hasMessageContaining("ticks must ascend: tick=-240 previous=-120");
        byte[] twice = b.clone();
        java.nio.ByteBuffer.wrap(twice).putInt(second, -120);
        assertThatThrownBy(() -> CheckpointCodec.read(withCrc(twice))).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("ticks must ascend");
        byte[] empty = b.clone();
        java.util.Arrays.fill(empty, first + 4, first + 20, (byte) 0);
        assertThatThrownBy(() -> CheckpointCodec.read(withCrc(empty))).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("tick=-120 liquidity_gross=0");
    }

    /** {@code file} with its trailer CRC made right again. */
    private static byte[] withCrc(byte[] file) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(file, 0, file.length - 4);
        java.nio.ByteBuffer.wrap(file).putInt(file.length - 4, (int) crc.getValue());
        return file;
    }
}
