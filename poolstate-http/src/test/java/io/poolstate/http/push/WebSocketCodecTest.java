package io.poolstate.http.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Golden vectors from RFC 6455: the handshake example (section 1.3) and the frame examples (section 5.7). */
class WebSocketCodecTest {
    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    private static byte[] write(int opcode, byte[] payload, byte[] mask) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WebSocketCodec.write(out, opcode, payload, mask);
        return out.toByteArray();
    }

    @Test
    void acceptKeyOfTheRfcExample() {
        assertThat(WebSocketCodec.acceptKey("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void unmaskedTextHello() throws Exception {
        byte[] wire = hex("81 05 48 65 6c 6c 6f");
        assertThat(write(WebSocketCodec.TEXT, "Hello".getBytes(StandardCharsets.UTF_8), null)).isEqualTo(wire);
        WebSocketCodec.Frame f = WebSocketCodec.read(new ByteArrayInputStream(wire), false, 1000);
        assertThat(f.fin()).isTrue();
        assertThat(f.opcode()).isEqualTo(WebSocketCodec.TEXT);
        assertThat(f.text()).isEqualTo("Hello");
    }

    @Test
    void maskedTextHello() throws Exception {
        byte[] wire = hex("81 85 37 fa 21 3d 7f 9f 4d 51 58");
        assertThat(write(WebSocketCodec.TEXT, "Hello".getBytes(StandardCharsets.UTF_8), MASK)).isEqualTo(wire);
        assertThat(WebSocketCodec.read(new ByteArrayInputStream(wire), true, 1000).text()).isEqualTo("Hello");
    }

    @Test
    void fragmentedUnmaskedText() throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(hex("01 03 48 65 6c 80 02 6c 6f"));
        WebSocketCodec.Frame first = WebSocketCodec.read(in, false, 1000);
        WebSocketCodec.Frame second = WebSocketCodec.read(in, false, 1000);
        assertThat(first.fin()).isFalse();
        assertThat(first.opcode()).isEqualTo(WebSocketCodec.TEXT);
        assertThat(first.text()).isEqualTo("Hel");
        assertThat(second.fin()).isTrue();
        assertThat(second.opcode()).isEqualTo(WebSocketCodec.CONTINUATION);
        assertThat(second.text()).isEqualTo("lo");
    }

    @Test
    void unmaskedPingAndMaskedPong() throws Exception {
        assertThat(write(WebSocketCodec.PING, "Hello".getBytes(StandardCharsets.UTF_8), null)).isEqualTo(hex("89 05 48 65 6c 6c 6f"));
        byte[] pong = hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58");
        assertThat(write(WebSocketCodec.PONG, "Hello".getBytes(StandardCharsets.UTF_8), MASK)).isEqualTo(pong);
        WebSocketCodec.Frame f = WebSocketCodec.read(new ByteArrayInputStream(pong), true, 1000);
        assertThat(f.opcode()).isEqualTo(WebSocketCodec.PONG);
        assertThat(f.isControl()).isTrue();
        assertThat(f.text()).isEqualTo("Hello");
    }

    @Test
    void lengthsOf256BytesAnd64KiB() throws Exception {
        byte[] p256 = new byte[256];
        Arrays.fill(p256, (byte) 7);
        byte[] w256 = write(WebSocketCodec.BINARY, p256, null);
        assertThat(Arrays.copyOf(w256, 4)).isEqualTo(hex("82 7E 01 00"));
        assertThat(WebSocketCodec.read(new ByteArrayInputStream(w256), false, 1000).payload()).isEqualTo(p256);
        byte[] p64k = new byte[65536];
        byte[] w64k = write(WebSocketCodec.BINARY, p64k, null);
        assertThat(Arrays.copyOf(w64k, 10)).isEqualTo(hex("82 7F 00 00 00 00 00 01 00 00"));
        assertThat(WebSocketCodec.read(new ByteArrayInputStream(w64k), false, 70_000).payload()).hasSize(65536);
    }

    @Test
    void protocolBreachesAreRefusedWithTheirCloseCode() {
        assertThatThrownBy(() -> WebSocketCodec.read(new ByteArrayInputStream(hex("81 05 48 65 6c 6c 6f")), true, 1000))
                .isInstanceOfSatisfying(WebSocketCodec.ProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(1002))
                .hasMessageContaining("must be masked");
        assertThatThrownBy(() -> WebSocketCodec.read(new ByteArrayInputStream(hex("c1 80 00 00 00 00")), true, 1000))
                .hasMessageContaining("reserved bits");
        assertThatThrownBy(() -> WebSocketCodec.read(new ByteArrayInputStream(hex("83 80 00 00 00 00")), true, 1000))
                .hasMessageContaining("unknown opcode");
        assertThatThrownBy(() -> WebSocketCodec.read(new ByteArrayInputStream(hex("09 80 00 00 00 00")), true, 1000))
                .hasMessageContaining("control frames must be final");
        assertThatThrownBy(() -> WebSocketCodec.read(new ByteArrayInputStream(hex("82 FE 01 00 00 00 00 00")), true, 100))
                .isInstanceOfSatisfying(WebSocketCodec.ProtocolException.class, e -> assertThat(e.closeCode()).isEqualTo(1009));
        assertThatThrownBy(() -> WebSocketCodec.read(new ByteArrayInputStream(hex("81 85 37 fa")), true, 1000)).isInstanceOf(EOFException.class);
    }

    @Test
    void closePayloadCarriesTheCodeAndACutReason() {
        assertThat(WebSocketCodec.closePayload(1013, "slow")).isEqualTo(hex("03 f5 73 6c 6f 77"));
        assertThat(WebSocketCodec.closePayload(1000, "é".repeat(100))).hasSizeLessThanOrEqualTo(125).hasSize(2 + 122);
    }
}
