package io.poolstate.eth;

/**
 * A block's 2048-bit logs bloom (yellow paper, section 4.3.1): each log sets three bits for its address and
 * three for each topic, taken from the low 11 bits of the first three byte pairs of the item's Keccak-256.
 * A bloom may report an item that no log carries (a false positive), never the reverse. Immutable.
 */
public final class LogsBloom {
    public static final int BYTES = 256;

    private final byte[] bits;

    private LogsBloom(byte[] bits) {
        this.bits = bits;
    }

    /** @throws IllegalArgumentException unless {@code bits} holds 256 bytes */
    public static LogsBloom of(byte[] bits) {
        if (bits.length != BYTES) {
            throw new IllegalArgumentException("logs bloom must be 256 bytes, got " + bits.length);
        }
        return new LogsBloom(bits.clone());
    }

    /** The three bit positions (0..2047, counted from the bloom's last bit) an item sets. */
    public static int[] positions(byte[] item) {
        byte[] h = Keccak256.hash(item);
        int[] p = new int[3];
        for (int i = 0; i < 3; i++) {
            p[i] = (((h[2 * i] & 0xff) << 8) | (h[2 * i + 1] & 0xff)) & 2047;
        }
        return p;
    }

    /** Whether all of {@code positions} are set: a log may carry the item. */
    public boolean mightContain(int[] positions) {
        for (int p : positions) {
            if ((bits[BYTES - 1 - (p >>> 3)] & (1 << (p & 7))) == 0) {
                return false;
            }
        }
        return true;
    }

    public boolean mightContain(byte[] item) {
        return mightContain(positions(item));
    }
}
