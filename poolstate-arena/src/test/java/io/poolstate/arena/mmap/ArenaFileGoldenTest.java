package io.poolstate.arena.mmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.eth.Address;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bytes at the offsets docs/ARENA_FILE.md gives, for one V3 pool written at block 0x1234: the layout other
 * languages read, pinned byte for byte.
 */
class ArenaFileGoldenTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void bytesAtTheDocumentedOffsets(@TempDir Path dir) throws Exception {
        PoolDescriptor d = new PoolDescriptor(PoolId.of(Address.of("0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640")), Protocol.UNISWAP_V3,
                new Token(Address.of("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"), 6, "USDC"),
                new Token(Address.of("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"), 18, "WETH"), Address.of("0x1f98431c8ad98523631ae4a59f267346ea31f984"), 500, 10,
                null);
        TreeMap<Integer, TickInfo> ticks = new TreeMap<>();
        ticks.put(-200, new TickInfo(BigInteger.valueOf(0x0102), BigInteger.valueOf(-2)));
        PoolSnapshot s = new PoolSnapshot.Concentrated(d, new BigInteger("0102030405060708090a0b0c0d0e0f1011121314", 16), -201, new BigInteger("aabbccdd", 16), 500, 0,
                ticks);
        Path file = dir.resolve("not-yet").resolve("arena.bin"); // its directory is created too
        try (ArenaFileWriter w = ArenaFileWriter.create(file, 1)) {
            w.publishAll(Snapshots.view(0x1234, Map.of(d.id(), s), Map.of(d.id(), 0x1200L)));
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(hex(b, 0, 8)).isEqualTo("50534152454e4100"); // "PSARENA\0"
        assertThat(hex(b, 8, 4)).isEqualTo("01000000");
        assertThat(hex(b, 12, 4)).isEqualTo("03000000"); // closed: the writer stopped
        assertThat(hex(b, 40, 8)).isEqualTo("3412000000000000");
        assertThat(hex(b, 48, 32)).isEqualTo(Snapshots.hash(0x1234).toString().substring(2));
        assertThat(b.getInt(84)).isEqualTo(1);
        assertThat(b.getInt(128)).isEqualTo(256);
        assertThat(b.getInt(132)).isEqualTo(40);
        int slots = b.getInt(88);
        int home = (int) (0xee6fd2ddc2a0e688L & (slots - 1)); // the id's first 8 bytes 88 e6 a0 c2 dd d2 6f ee, read little-endian
        int slot = (int) b.getLong(96) + home * 48;
        assertThat(hex(b, slot, 8)).isEqualTo("1400000000000000"); // id length 20, record 0
        assertThat(hex(b, slot + 8, 32)).isEqualTo("88e6a0c2ddd26feeb64f039a2c41296fcb3f5640" + "000000000000000000000000");
        int r = (int) b.getLong(104);
        assertThat(hex(b, r, 8)).isEqualTo("0200000000000000"); // sequence: written once, even
        assertThat(hex(b, r + 8, 24)).isEqualTo("14131211100f0e0d0c0b0a090807060504030201" + "00000000");
        assertThat(hex(b, r + 32, 16)).isEqualTo("ddccbbaa000000000000000000000000");
        assertThat(hex(b, r + 48, 4)).isEqualTo("37ffffff"); // tick -201
        assertThat(b.getInt(r + 52)).isEqualTo(500);
        assertThat(b.getLong(r + 56)).isEqualTo(0x1234);
        assertThat(b.getInt(r + 96)).isEqualTo(1);
        assertThat(b.getInt(r + 100)).isEqualTo(3);
        assertThat(b.getInt(r + 104)).isEqualTo(20);
        assertThat(hex(b, r + 144, 20)).isEqualTo("a0b86991c6218b36c1d19d4a2e9eb0ce3606eb48");
        assertThat(b.getInt(r + 164)).isEqualTo(500);
        assertThat(hex(b, r + 168, 20)).isEqualTo("c02aaa39b223fe8d0a0e5c4f27ead9083c756cc2");
        assertThat(b.getInt(r + 188)).isEqualTo(10);
        assertThat(b.getInt(r + 212)).isEqualTo(1);
        assertThat(b.get(r + 228)).isEqualTo((byte) 6);
        assertThat(b.get(r + 229)).isEqualTo((byte) 18);
        assertThat(b.getLong(r + 232)).isEqualTo(0x1200);
        int t = (int) b.getLong(r + 216);
        assertThat(t).isGreaterThanOrEqualTo((int) b.getLong(112));
        assertThat(hex(b, t, 40)).isEqualTo("38ffffff" + "00000000" + "0201000000000000" + "0000000000000000" + "feffffffffffffff" + "ffffffffffffffff");
    }

    private static String hex(ByteBuffer b, int at, int n) {
        byte[] out = new byte[n];
        b.get(at, out);
        return HEX.formatHex(out);
    }
}
