package io.poolstate.eth;

import java.math.BigInteger;

/**
 * Hexadecimal encoding as Ethereum JSON-RPC uses it: {@code 0x}-prefixed, lowercase on output,
 * any case on input. Quantities ({@code 0x1a}) and data ({@code 0x00ff...}) are distinguished.
 * Stateless; safe from any thread.
 */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    /** Encodes bytes as {@code 0x}-prefixed lowercase hex ("data" in JSON-RPC terms). */
    public static String encode(byte[] bytes) {
        return encode(bytes, 0, bytes.length);
    }

    /** Encodes {@code length} bytes from {@code offset} as {@code 0x}-prefixed lowercase hex. */
    public static String encode(byte[] bytes, int offset, int length) {
        char[] out = new char[2 + length * 2];
        out[0] = '0';
        out[1] = 'x';
        for (int i = 0; i < length; i++) {
            int b = bytes[offset + i] & 0xff;
            out[2 + i * 2] = DIGITS[b >>> 4];
            out[3 + i * 2] = DIGITS[b & 0xf];
        }
        return new String(out);
    }

    /**
     * Decodes {@code 0x}-prefixed (or bare) hex of even length.
     *
     * @throws IllegalArgumentException naming the offending input when it is not hex
     */
    public static byte[] decode(String hex) {
        int start = hasPrefix(hex) ? 2 : 0;
        int len = hex.length() - start;
        if ((len & 1) != 0) {
            throw new IllegalArgumentException("odd-length hex: length=" + len + " value=" + abbreviate(hex));
        }
        byte[] out = new byte[len / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = digit(hex, start + i * 2);
            int lo = digit(hex, start + i * 2 + 1);
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /** Encodes a non-negative quantity without leading zeros ({@code 0x0}, {@code 0x1a}). */
    public static String quantity(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative quantity: value=" + value);
        }
        return "0x" + Long.toHexString(value);
    }

    /** Encodes a non-negative big quantity without leading zeros. */
    public static String quantity(BigInteger value) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException("negative quantity: value=" + value);
        }
        return "0x" + value.toString(16);
    }

    /** Parses a quantity ({@code 0x}-prefixed hex) that must fit in a signed long. */
    public static long parseLong(String quantity) {
        BigInteger v = parseBig(quantity);
        if (v.bitLength() > 63) {
            throw new IllegalArgumentException("quantity does not fit in a long: value=" + quantity);
        }
        return v.longValue();
    }

    /** Parses a quantity or data string as an unsigned big integer. */
    public static BigInteger parseBig(String quantity) {
        if (quantity == null || !hasPrefix(quantity) || quantity.length() == 2) {
            throw new IllegalArgumentException("not a 0x quantity: value=" + abbreviate(String.valueOf(quantity)));
        }
        for (int i = 2; i < quantity.length(); i++) {
            digit(quantity, i);
        }
        return new BigInteger(quantity.substring(2), 16);
    }

    /** True when the string starts with {@code 0x} or {@code 0X}. */
    public static boolean hasPrefix(String s) {
        return s.length() >= 2 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X');
    }

    private static int digit(String s, int index) {
        int d = Character.digit(s.charAt(index), 16);
        if (d < 0) {
            throw new IllegalArgumentException("not hex: char='" + s.charAt(index) + "' index=" + index + " value=" + abbreviate(s));
        }
        return d;
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
