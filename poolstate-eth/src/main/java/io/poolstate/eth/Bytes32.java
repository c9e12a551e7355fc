package io.poolstate.eth;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * An immutable 32-byte value: block and transaction hashes, log topics, V4 PoolIds, storage slots.
 * Printed as lowercase {@code 0x}-hex.
 */
public final class Bytes32 implements Comparable<Bytes32> {
    /** All zero bytes. */
    public static final Bytes32 ZERO = new Bytes32(new byte[32]);

    private final byte[] bytes;
    private final int hash;

    private Bytes32(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * Parses {@code 0x} followed by exactly 64 hex digits.
     *
     * @throws IllegalArgumentException with the offending value when malformed
     */
    public static Bytes32 of(String hex) {
        if (hex == null || !Hex.hasPrefix(hex) || hex.length() != 66) {
            throw new IllegalArgumentException("32-byte value must be 0x + 64 hex digits: value=" + (hex == null ? "null" : Hex.abbreviate(hex)));
        }
        return new Bytes32(Hex.decode(hex));
    }

    /** Wraps a copy of exactly 32 bytes. */
    public static Bytes32 wrap(byte[] bytes) {
        if (bytes.length != 32) {
            throw new IllegalArgumentException("expected 32 bytes: length=" + bytes.length);
        }
        return new Bytes32(bytes.clone());
    }

    /** 32 bytes of {@code data} starting at {@code offset}. */
    public static Bytes32 wrap(byte[] data, int offset) {
        return new Bytes32(Arrays.copyOfRange(data, offset, offset + 32));
    }

    /** Reads the next 32 bytes of {@code buffer}. */
    public static Bytes32 read(java.nio.ByteBuffer buffer) {
        byte[] v = new byte[32];
        buffer.get(v);
        return new Bytes32(v);
    }

    /** A non-negative integer below 2^256, big-endian. */
    public static Bytes32 of(BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > 256) {
            throw new IllegalArgumentException("not a uint256: value=" + value);
        }
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - n, out, 32 - n, n);
        return new Bytes32(out);
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The value as an unsigned integer. */
    public BigInteger toBigInteger() {
        return new BigInteger(1, bytes);
    }

    /** The byte at {@code index} (0..31). */
    public byte get(int index) {
        return bytes[index];
    }

    /**
     * The address this word holds ABI-encoded (12 zero bytes, then the address's 20), or null when its first 12 bytes
     * are not all zero. Copies the 20 bytes only.
     */
    public Address asAddress() {
        return holdsAddress() ? Address.fromWord(bytes, 0) : null;
    }

    /** Whether this word's first 12 bytes are zero, as an ABI-encoded address's are. */
    public boolean holdsAddress() {
        for (int i = 0; i < 12; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    public void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, 32);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes32 b && b.hash == hash && Arrays.equals(b.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(Bytes32 o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return Hex.encode(bytes);
    }
}
