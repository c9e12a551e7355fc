package io.poolstate.dex.pool;

import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Keccak256;

/**
 * A V4 PoolKey (v4-core {@code src/types/PoolKey.sol}); its PoolId is {@code keccak256(abi.encode(key))}.
 * {@code currency0 < currency1}; the zero address is native ETH.
 */
public record V4PoolKey(Address currency0, Address currency1, int fee, int tickSpacing, Address hooks) {
    public V4PoolKey {
        if (currency0.compareTo(currency1) >= 0) {
            throw new IllegalArgumentException("currency0 must sort below currency1: currency0=" + currency0 + " currency1=" + currency1);
        }
    }

    /** {@code keccak256(abi.encode(currency0, currency1, fee, tickSpacing, hooks))}: five 32-byte words. */
    public Bytes32 id() {
        byte[] enc = new byte[160];
        currency0.copyTo(enc, 12);
        currency1.copyTo(enc, 32 + 12);
        putInt(enc, 64, fee);
        putInt(enc, 96, tickSpacing);
        hooks.copyTo(enc, 128 + 12);
        return Bytes32.wrap(Keccak256.hash(enc));
    }

    private static void putInt(byte[] dst, int wordOffset, int value) {
        byte fill = (byte) (value < 0 ? 0xff : 0);
        for (int i = 0; i < 28; i++) {
            dst[wordOffset + i] = fill;
        }
        dst[wordOffset + 28] = (byte) (value >>> 24);
        dst[wordOffset + 29] = (byte) (value >>> 16);
        dst[wordOffset + 30] = (byte) (value >>> 8);
        dst[wordOffset + 31] = (byte) value;
    }
}
