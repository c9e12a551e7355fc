package io.poolstate.dex.pool;

import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;
import java.util.Arrays;

/**
 * A pool's identifier: the pool contract's 20-byte address for V2/V3, the 32-byte PoolId
 * ({@code keccak256(abi.encode(PoolKey))}) for V4. Parsed in any case, printed lowercase.
 */
public final class PoolId implements Comparable<PoolId> {
    private final byte[] bytes;
    private final int hash;

    private PoolId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    public static PoolId of(Address address) {
        return new PoolId(address.toBytes());
    }

    public static PoolId of(Bytes32 v4Id) {
        return new PoolId(v4Id.toBytes());
    }

    /**
     * Parses {@code 0x} + 40 hex digits (an address) or {@code 0x} + 64 hex digits (a V4 PoolId).
     *
     * @throws IllegalArgumentException naming the value otherwise
     */
    public static PoolId parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("pool id is missing");
        }
        if (Hex.hasPrefix(text) && text.length() == 42) {
            return of(Address.of(text));
        }
        if (Hex.hasPrefix(text) && text.length() == 66) {
            return of(Bytes32.of(text));
        }
        throw new IllegalArgumentException("pool id must be a 0x address (40 hex digits) or a V4 PoolId (64 hex digits): value="
                + (text.length() > 80 ? text.substring(0, 77) + "..." : text));
    }

    /** True for a 32-byte V4 PoolId, false for a pool address. */
    public boolean isV4() {
        return bytes.length == 32;
    }

    /** The pool's address (V2/V3 only). */
    public Address address() {
        if (isV4()) {
            throw new IllegalStateException("a V4 PoolId is not an address: id=" + this);
        }
        return Address.wrap(bytes);
    }

    /** The V4 PoolId (V4 only). */
    public Bytes32 v4Id() {
        if (!isV4()) {
            throw new IllegalStateException("not a V4 PoolId: id=" + this);
        }
        return Bytes32.wrap(bytes);
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof PoolId p && p.hash == hash && Arrays.equals(p.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(PoolId o) {
        int c = Integer.compare(bytes.length, o.bytes.length);
        return c != 0 ? c : Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return Hex.encode(bytes);
    }
}
