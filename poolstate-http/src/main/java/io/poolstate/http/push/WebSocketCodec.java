package io.poolstate.http.push;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * WebSocket frames (RFC 6455 section 5.2) and the opening handshake's accept key (section 4.2.2).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 *  | |1|2|3|       |K|             |                               |
 *  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *  |     Extended payload length continued, if payload len == 127  |
 *  + - - - - - - - - - - - - - - - +-------------------------------+
 *  |                               |Masking-key, if MASK set to 1  |
 *  +-------------------------------+-------------------------------+
 *  | Masking-key (continued)       |          Payload Data         |
 *  +-------------------------------- - - - - - - - - - - - - - - - +
 *  :                     Payload Data continued ...                :
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Lengths are big-endian; a 64-bit length has its top bit clear; the minimal length encoding is not enforced on read.
 * Payload octet i is XORed with masking-key octet i mod 4. A client's frames are masked, a server's are not. Stateless.
 */
public final class WebSocketCodec {
    /** Opcodes (section 5.2). */
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    /** Close codes (section 7.4.1) the server sends. */
    public static final int CLOSE_NORMAL = 1000;
    public static final int CLOSE_GOING_AWAY = 1001;
    public static final int CLOSE_PROTOCOL_ERROR = 1002;
    public static final int CLOSE_UNSUPPORTED_DATA = 1003;
    public static final int CLOSE_POLICY_VIOLATION = 1008;
    public static final int CLOSE_TOO_BIG = 1009;
    public static final int CLOSE_INTERNAL_ERROR = 1011;
    /** IANA-registered "Try Again Later": the server is overloaded, or the client too slow. */
    public static final int CLOSE_TRY_AGAIN_LATER = 1013;

    /** Appended to the client's key before hashing (section 1.3). */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private WebSocketCodec() {
    }

    /** A frame as read: FIN, opcode, payload (unmasked). */
    public record Frame(boolean fin, int opcode, byte[] payload) {
        public boolean isControl() {
            return (opcode & 0x8) != 0;
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** A frame that breaks the protocol, with the close code to answer it with. */
    public static final class ProtocolException extends IOException {
        private final int closeCode;

        public ProtocolException(int closeCode, String message) {
            super(message);
            this.closeCode = closeCode;
        }

        public int closeCode() {
            return closeCode;
        }
    }

    /** {@code Sec-WebSocket-Accept} for a client's {@code Sec-WebSocket-Key}: base64(SHA-1(key + GUID)). */
    public static String acceptKey(String clientKey) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((clientKey.trim() + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 missing from the JDK", e);
        }
    }

    /** Writes one final frame; {@code mask} null for a server frame, else the client's 4-byte masking key. */
    public static void write(OutputStream out, int opcode, byte[] payload, byte[] mask) throws IOException {
        out.write(header(true, opcode, payload.length, mask));
        if (mask == null) {
            out.write(payload);
        } else {
            byte[] masked = payload.clone();
            for (int i = 0; i < masked.length; i++) {
                masked[i] ^= mask[i & 3];
            }
            out.write(masked);
        }
    }

    /** The frame header: FIN and opcode, MASK and length, extended length, masking key. */
    public static byte[] header(boolean fin, int opcode, long length, byte[] mask) {
        int extra = length < 126 ? 0 : length <= 0xFFFF ? 2 : 8;
        byte[] h = new byte[2 + extra + (mask == null ? 0 : 4)];
        h[0] = (byte) ((fin ? 0x80 : 0) | (opcode & 0x0F));
        int maskBit = mask == null ? 0 : 0x80;
        if (extra == 0) {
            h[1] = (byte) (maskBit | length);
        } else if (extra == 2) {
            h[1] = (byte) (maskBit | 126);
            h[2] = (byte) (length >>> 8);
            h[3] = (byte) length;
        } else {
            h[1] = (byte) (maskBit | 127);
            for (int i = 0; i < 8; i++) {
                h[2 + i] = (byte) (length >>> (56 - 8 * i));
            }
        }
        if (mask != null) {
            System.arraycopy(mask, 0, h, 2 + extra, 4);
        }
        return h;
    }

    /** A close frame's payload: the code (big-endian) and a reason cut to fit the 125-byte control frame limit. */
    public static byte[] closePayload(int code, String reason) {
        byte[] r = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(r.length, 123);
        while (n > 0 && n < r.length && (r[n] & 0xC0) == 0x80) {
            n--; // do not cut a UTF-8 sequence
        }
        byte[] p = new byte[2 + n];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, n);
        return p;
    }

    /**
     * Reads one frame. {@code masked}: whether frames must be masked (a server reading a client) or must not be (a
     * client reading a server).
     *
     * @throws ProtocolException reserved bits, an unknown opcode, a fragmented or oversized control frame, the wrong
     *                           masking, a payload above {@code maxPayload}
     * @throws EOFException      the stream ended
     */
    public static Frame read(InputStream in, boolean masked, int maxPayload) throws IOException {
        int b0 = readByte(in);
        int b1 = readByte(in);
        if ((b0 & 0x70) != 0) {
            throw new ProtocolException(CLOSE_PROTOCOL_ERROR, "reserved bits set without an extension: byte0=0x" + Integer.toHexString(b0));
        }
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        if (opcode != CONTINUATION && opcode != TEXT && opcode != BINARY && opcode != CLOSE && opcode != PING && opcode != PONG) {
            throw new ProtocolException(CLOSE_PROTOCOL_ERROR, "unknown opcode: opcode=0x" + Integer.toHexString(opcode));
        }
        boolean hasMask = (b1 & 0x80) != 0;
        if (hasMask != masked) {
            throw new ProtocolException(CLOSE_PROTOCOL_ERROR, masked ? "client frames must be masked" : "server frames must not be masked");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (readByte(in) << 8) | readByte(in);
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte(in);
            }
            if (length < 0) {
                throw new ProtocolException(CLOSE_PROTOCOL_ERROR, "64-bit payload length with the top bit set");
            }
        }
        if ((opcode & 0x8) != 0 && (!fin || length > 125)) {
            throw new ProtocolException(CLOSE_PROTOCOL_ERROR, "control frames must be final and at most 125 bytes: opcode=0x"
                    + Integer.toHexString(opcode) + " fin=" + fin + " length=" + length);
        }
        if (length > maxPayload) {
            throw new ProtocolException(CLOSE_TOO_BIG, "frame payload too large: length=" + length + " max=" + maxPayload);
        }
        byte[] key = hasMask ? in.readNBytes(4) : null;
        if (key != null && key.length < 4) {
            throw new EOFException("stream ended inside a frame header");
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("stream ended inside a frame payload: read=" + payload.length + " length=" + length);
        }
        if (key != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= key[i & 3];
            }
        }
        return new Frame(fin, opcode, payload);
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("stream ended inside a frame header");
        }
        return b;
    }
}
