package io.poolstate.dex.pool;

import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A pool's identifier: the pool contract's 20-byte address for V2/V3, the 32-byte PoolId
 * ({@code keccak256(abi.encode(PoolKey))}) for V4. Parsed in any case, printed lowercase.
 */
public final class PoolId implements Comparable<PoolId> {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private final byte[] bytes;
    private final int hash;
    /**
     * The bytes again, big-endian in the object itself (an address's last word holds its last 4 bytes, then zeros), with
     * the length: {@link #equals} compares these and never loads the array, one memory access fewer when a map compares
     * a key it has not touched lately.
     */
    private final long w0;
    private final long w1;
    private final long w2;
    private final long w3;
    private final int length;

    private PoolId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
        this.length = bytes.length;
        this.w0 = (long) LONGS.get(bytes, 0);
        this.w1 = (long) LONGS.get(bytes, 8);
        if (bytes.length == 32) {
            this.w2 = (long) LONGS.get(bytes, 16);
            this.w3 = (long) LONGS.get(bytes, 24);
        } else {
            this.w2 = ((long) (int) INT.get(bytes, 16)) << 32;
            this.w3 = 0;
        }
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
        return length == 32;
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
        return length;
    }

    /**
     * The id's bytes as big-endian 64-bit words, {@code i} = 0..3: a V4 id's four words; an address's first two, then its
     * last 4 bytes followed by zeros, then 0. Two ids of the same {@link #length} are equal exactly when their words are.
     */
    public long word(int i) {
        return switch (i) {
            case 0 -> w0;
            case 1 -> w1;
            case 2 -> w2;
            case 3 -> w3;
            default -> throw new IndexOutOfBoundsException("word index must be 0..3: index=" + i);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof PoolId p && p.hash == hash && p.w0 == w0 && p.w1 == w1 && p.w2 == w2 && p.w3 == w3 && p.length == length;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(PoolId o) {
        int c = Integer.compare(length, o.length);
        return c != 0 ? c : Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return Hex.encode(bytes);
    }
}
