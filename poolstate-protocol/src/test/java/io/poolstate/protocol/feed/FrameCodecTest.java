package io.poolstate.protocol.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.dex.event.EventKind;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden vectors: these bytes are the wire format; a change here breaks every consumer. */
class FrameCodecTest {
    private static final Bytes32 H1 = Bytes32.of("0x" + "11".repeat(32));
    private static final Bytes32 H2 = Bytes32.of("0x" + "22".repeat(32));
    private static final Bytes32 TX = Bytes32.of("0x" + "ab".repeat(32));
    private static final PoolId V3 = PoolId.parse("0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640");
    private static final PoolId V4 = PoolId.parse("0x" + "cd".repeat(32));

    private static String hex(FeedFrame f) {
        return HexFormat.of().formatHex(FrameCodec.encode(f));
    }

    private static FeedFrame roundTrip(FeedFrame f) throws FrameFormatException {
        byte[] bytes = FrameCodec.encode(f);
        assertThat(ByteBuffer.wrap(bytes).getInt()).isEqualTo(bytes.length - 4);
        return FrameCodec.decode(ByteBuffer.wrap(bytes, 4, bytes.length - 4));
    }

    @Test
    void hello() throws Exception {
        FeedFrame f = new FeedFrame.Hello(2, 31337, 100, H1, 45);
        assertThat(hex(f)).isEqualTo("0000003f" + "01" + "0002" + "0000000000007a69" + "0000000000000064" + "11".repeat(32) + "000000000000002d" + "6ae79014");
        assertThat(roundTrip(f)).isEqualTo(f);
    }

    @Test
    void resumeAndRejection() throws Exception {
        FeedFrame r = new FeedFrame.Resume(99, H1);
        assertThat(hex(r)).isEqualTo("0000002d" + "02" + "0000000000000063" + "11".repeat(32) + "e237d957");
        assertThat(roundTrip(r)).isEqualTo(r);
        FeedFrame x = new FeedFrame.ResumeRejected(FeedFrame.RejectReason.TOO_OLD, 45, "ok");
        assertThat(hex(x)).isEqualTo("00000012" + "03" + "01" + "000000000000002d" + "0002" + "6f6b" + "6ceeda2b");
        assertThat(roundTrip(x)).isEqualTo(x);
    }

    @Test
    void blockFrames() throws Exception {
        FeedFrame b = new FeedFrame.BeginBlock(100, H2, H1, 1_900_000_000L, true);
        assertThat(hex(b)).isEqualTo("00000056" + "04" + "0000000000000064" + "22".repeat(32) + "11".repeat(32) + "00000000713fb300" + "01" + "ef4d4852");
        assertThat(roundTrip(b)).isEqualTo(b);
        FeedFrame e = new FeedFrame.EndBlock(100, H2, 3, 1730635500000L, 17);
        assertThat(hex(e)).isEqualTo("0000003d" + "06" + "0000000000000064" + "22".repeat(32) + "00000003" + "00000192f1ea09e0" + "00000011" + "f9b15b86");
        assertThat(roundTrip(e)).isEqualTo(e);
        assertThat(hex(new FeedFrame.Heartbeat(7))).isEqualTo("0000000d" + "07" + "0000000000000007" + "a84fc252");
        FeedFrame s = new FeedFrame.Rescrape(50, "deep");
        assertThat(hex(s)).isEqualTo("00000013" + "08" + "0000000000000032" + "0004" + "64656570" + "463d86a6");
        assertThat(roundTrip(s)).isEqualTo(s);
    }

    @Test
    void poolSets() throws Exception {
        FeedFrame full = new FeedFrame.PoolSet(101, 1730635500000L, true, false, List.of(V3, V4), List.of());
        assertThat(hex(full)).isEqualTo("00000054" + "09" + "0000000000000065" + "00000192f1ea09e0" + "01"
                + "00000002" + "14" + "88e6a0c2ddd26feeb64f039a2c41296fcb3f5640" + "20" + "cd".repeat(32) + "00000000" + "e05e1f57");
        assertThat(roundTrip(full)).isEqualTo(full);
        FeedFrame change = new FeedFrame.PoolSet(102, 7, false, true, List.of(), List.of(V3));
        assertThat(hex(change)).isEqualTo("00000033" + "09" + "0000000000000066" + "0000000000000007" + "02"
                + "00000000" + "00000001" + "14" + "88e6a0c2ddd26feeb64f039a2c41296fcb3f5640" + "ffbf9a3f");
        assertThat(roundTrip(change)).isEqualTo(change);
    }

    @Test
    void rejectsCorruptPoolSets() {
        byte[] bad = FrameCodec.encode(new FeedFrame.PoolSet(1, 1, false, false, List.of(V3), List.of()));
        bad[4 + 1 + 8 + 8 + 1 + 4] = 21; // an id length that is neither 20 nor 32
        assertThatThrownBy(() -> FrameCodec.decode(recrc(bad))).hasMessageContaining("id length must be 20 or 32");
        byte[] flags = FrameCodec.encode(new FeedFrame.PoolSet(1, 1, false, false, List.of(), List.of()));
        flags[4 + 1 + 16] = 4;
        assertThatThrownBy(() -> FrameCodec.decode(recrc(flags))).hasMessageContaining("unknown flags");
        byte[] huge = FrameCodec.encode(new FeedFrame.PoolSet(1, 1, false, false, List.of(), List.of()));
        huge[4 + 1 + 17] = 0x7f; // added count far beyond the frame
        assertThatThrownBy(() -> FrameCodec.decode(recrc(huge))).hasMessageContaining("exceeds the frame");
    }

    /** A whole frame's body with its CRC recomputed after a test changed a field. */
    private static ByteBuffer recrc(byte[] frame) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(frame, 4, frame.length - 8);
        ByteBuffer.wrap(frame).putInt(frame.length - 4, (int) crc.getValue());
        return ByteBuffer.wrap(frame, 4, frame.length - 4);
    }

    @Test
    void poolUpdates() throws Exception {
        FeedFrame v2 = new FeedFrame.PoolUpdate(100, 2, 7, TX, V3, EventKind.V2_SYNC, List.of(), Hex.decode("0x" + "00".repeat(31) + "05" + "00".repeat(31) + "06"));
        assertThat(hex(v2)).isEqualTo("00000090" + "05" + "0000000000000064" + "00000002" + "00000007" + "ab".repeat(32) + "01" + "14"
                + "88e6a0c2ddd26feeb64f039a2c41296fcb3f5640" + "00" + "00000040" + "00".repeat(31) + "05" + "00".repeat(31) + "06" + "5e9b741f");
        assertThat(roundTrip(v2)).isEqualTo(v2);
        FeedFrame v4 = new FeedFrame.PoolUpdate(100, 0, 0, TX, V4, EventKind.V4_DONATE, List.of(H1), Hex.decode("0x" + "00".repeat(64)));
        assertThat(hex(v4)).startsWith("000000bc" + "05").contains("0e" + "20" + "cd".repeat(32) + "01" + "11".repeat(32) + "00000040");
        assertThat(roundTrip(v4)).isEqualTo(v4);
    }

    @Test
    void everyKindHasAStableCode() {
        for (EventKind k : EventKind.values()) {
            assertThat(FrameCodec.kindCode(k)).isBetween(1, 15);
        }
        assertThat(FrameCodec.kindCode(EventKind.V2_SYNC)).isEqualTo(1);
        assertThat(FrameCodec.kindCode(EventKind.V4_PROTOCOL_FEE_UPDATED)).isEqualTo(15);
    }

    @Test
    void rejectsCorruptFrames() {
        assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(new byte[0]))).hasMessageContaining("empty");
        assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(new byte[] {7, 0, 0}))).hasMessageContaining("shorter than a type and its CRC");
        // any damaged byte fails the CRC, data bytes included
        byte[] update = FrameCodec.encode(new FeedFrame.PoolUpdate(1, 0, 0, TX, V3, EventKind.V2_SYNC, List.of(), new byte[64]));
        for (int i = 4; i < update.length; i++) {
            byte[] bad = update.clone();
            bad[i] ^= 0x10;
            assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(bad, 4, bad.length - 4))).as("byte %d", i).hasMessageContaining("CRC-32C");
        }
        assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(update, 4, update.length - 5))).hasMessageContaining("CRC-32C");
        // a frame with a valid CRC but a bad value is still refused for what it is
        assertThatThrownBy(() -> FrameCodec.decode(withCrc(10))).hasMessageContaining("unknown frame type 10");
        assertThatThrownBy(() -> FrameCodec.decode(withCrc(7, 0, 0))).hasMessageContaining("truncated");
        assertThatThrownBy(() -> FrameCodec.decode(withCrc(7, 0, 0, 0, 0, 0, 0, 0, 1, 9))).hasMessageContaining("trailing");
    }

    /** A frame body with its correct CRC-32C trailer, to test the checks behind the CRC. */
    private static ByteBuffer withCrc(int... bytes) {
        ByteBuffer b = ByteBuffer.allocate(bytes.length + 4);
        for (int v : bytes) {
            b.put((byte) v);
        }
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b.array(), 0, bytes.length);
        return b.putInt((int) crc.getValue()).flip();
    }
}
