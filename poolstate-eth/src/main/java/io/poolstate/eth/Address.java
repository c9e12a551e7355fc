package io.poolstate.eth;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * A 20-byte Ethereum account or contract address. Immutable; equality by value.
 * Parsed from {@code 0x}-hex in any case (checksum not required), printed in lowercase.
 */
public final class Address implements Comparable<Address> {
    /** The zero address; also V4's native-ETH currency. */
    public static final Address ZERO = new Address(new byte[20]);

    private final byte[] bytes;
    private final int hash;

    private Address(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * Parses {@code 0x} followed by exactly 40 hex digits.
     *
     * @throws IllegalArgumentException with the offending value when malformed
     */
    public static Address of(String hex) {
        if (hex == null) {
            throw new IllegalArgumentException("address is null");
        }
        if (!Hex.hasPrefix(hex) || hex.length() != 42) {
            throw new IllegalArgumentException("address must be 0x + 40 hex digits: value=" + Hex.abbreviate(hex));
        }
        return new Address(Hex.decode(hex));
    }

    /** Wraps a copy of exactly 20 bytes. */
    public static Address wrap(byte[] bytes) {
        if (bytes.length != 20) {
            throw new IllegalArgumentException("address must be 20 bytes: length=" + bytes.length);
        }
        return new Address(bytes.clone());
    }

    /** The low 20 bytes of a 32-byte ABI word starting at {@code offset}. */
    public static Address fromWord(byte[] data, int offset) {
        return new Address(Arrays.copyOfRange(data, offset + 12, offset + 32));
    }

    /** The address as an unsigned integer (for ABI libraries). */
    public BigInteger toBigInteger() {
        return new BigInteger(1, bytes);
    }

    /** From an unsigned integer below 2^160. */
    public static Address of(BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > 160) {
            throw new IllegalArgumentException("not a 160-bit address: value=" + value);
        }
        byte[] raw = value.toByteArray();
        byte[] out = new byte[20];
        int n = Math.min(raw.length, 20);
        System.arraycopy(raw, raw.length - n, out, 20 - n, n);
        return new Address(out);
    }

    /** A copy of the 20 bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Copies the 20 bytes into {@code dst} at {@code offset}. */
    public void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, 20);
    }

    public boolean isZero() {
        return equals(ZERO);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Address a && a.hash == hash && Arrays.equals(a.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(Address o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    /**
     * The EIP-55 mixed-case checksum spelling: a hex letter is upper case when the matching nibble of
     * keccak256(lowercase hex without 0x) is 8 or more.
     */
    public String toChecksumString() {
        String lower = toString().substring(2);
        byte[] h = Keccak256.hash(lower.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        StringBuilder out = new StringBuilder("0x");
        for (int i = 0; i < 40; i++) {
            char c = lower.charAt(i);
            int nibble = (h[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
            out.append(c >= 'a' && nibble >= 8 ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }

    /**
     * Parses an address that must be in its EIP-55 checksum spelling, so a mistyped digit is caught.
     *
     * @throws IllegalArgumentException when malformed or when the case does not match the checksum
     */
    public static Address ofChecksummed(String hex) {
        Address a = of(hex);
        if (!a.toChecksumString().equals(hex)) {
            throw new IllegalArgumentException("address fails its EIP-55 checksum: value=" + hex + " expected=" + a.toChecksumString());
        }
        return a;
    }

    /** Lowercase {@code 0x}-hex. */
    @Override
    public String toString() {
        return Hex.encode(bytes);
    }
}
