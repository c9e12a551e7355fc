package io.poolstate.devnet.deploy;

import io.poolstate.eth.Address;
import io.poolstate.eth.Keccak256;

/** CREATE2 addresses: {@code keccak256(0xff ++ deployer ++ salt ++ keccak256(initCode))[12:]}. */
final class Create2 {
    private Create2() {
    }

    static Address address(Address deployer, byte[] salt, byte[] initCodeHash) {
        byte[] buf = new byte[85];
        buf[0] = (byte) 0xff;
        deployer.copyTo(buf, 1);
        System.arraycopy(salt, 0, buf, 21, 32);
        System.arraycopy(initCodeHash, 0, buf, 53, 32);
        byte[] h = Keccak256.hash(buf);
        return Address.wrap(java.util.Arrays.copyOfRange(h, 12, 32));
    }

    /**
     * The first salt, counting up from {@code start}, that puts {@code initCodeHash} at an address whose bits under
     * {@code mask} equal {@code bits} (V4 hooks: the low 14 bits are the permission flags). About {@code 2^bitCount(mask)}
     * tries on average.
     */
    static byte[] mineSalt(Address deployer, byte[] initCodeHash, int mask, int bits, long start) {
        for (long n = start; n < start + (1L << 32); n++) {
            byte[] salt = new byte[32];
            for (int i = 0; i < 8; i++) {
                salt[31 - i] = (byte) (n >>> (8 * i));
            }
            byte[] a = address(deployer, salt, initCodeHash).toBytes();
            if ((((a[18] & 0xff) << 8 | (a[19] & 0xff)) & mask) == bits) {
                return salt;
            }
        }
        throw new IllegalStateException("no salt found for bits=0x" + Integer.toHexString(bits) + " mask=0x" + Integer.toHexString(mask));
    }

    /** V2 pair: salt = keccak256(abi.encodePacked(token0, token1)). */
    static Address v2Pair(Address factory, Address token0, Address token1, byte[] pairInitCodeHash) {
        byte[] packed = new byte[40];
        token0.copyTo(packed, 0);
        token1.copyTo(packed, 20);
        return address(factory, Keccak256.hash(packed), pairInitCodeHash);
    }

    /** V3 pool: salt = keccak256(abi.encode(token0, token1, fee)). */
    static Address v3Pool(Address factory, Address token0, Address token1, int fee, byte[] poolInitCodeHash) {
        byte[] enc = new byte[96];
        token0.copyTo(enc, 12);
        token1.copyTo(enc, 44);
        enc[93] = (byte) (fee >>> 16);
        enc[94] = (byte) (fee >>> 8);
        enc[95] = (byte) fee;
        return address(factory, Keccak256.hash(enc), poolInitCodeHash);
    }
}
