package io.poolstate.devnet.deploy;

import io.poolstate.dex.pool.PoolAddresses;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;

/** CREATE2 for the devnet's own deployments ({@link PoolAddresses#create2}), and mining salts for V4 hook addresses. */
final class Create2 {
    private Create2() {
    }

    static Address address(Address deployer, byte[] salt, byte[] initCodeHash) {
        return PoolAddresses.create2(deployer, salt, Bytes32.wrap(initCodeHash));
    }

    /**
     * The first salt, counting up from {@code start}, that puts {@code initCodeHash} at an address whose bits under
     * {@code mask} equal {@code bits} (V4 hooks: the low 14 bits are the permission flags). About {@code 2^bitCount(mask)}
     * tries on average.
     */
    static byte[] mineSalt(Address deployer, byte[] initCodeHash, int mask, int bits, long start) {
        Bytes32 hash = Bytes32.wrap(initCodeHash);
        for (long n = start; n < start + (1L << 32); n++) {
            byte[] salt = new byte[32];
            for (int i = 0; i < 8; i++) {
                salt[31 - i] = (byte) (n >>> (8 * i));
            }
            byte[] a = PoolAddresses.create2(deployer, salt, hash).toBytes();
            if ((((a[18] & 0xff) << 8 | (a[19] & 0xff)) & mask) == bits) {
                return salt;
            }
        }
        throw new IllegalStateException("no salt found for bits=0x" + Integer.toHexString(bits) + " mask=0x" + Integer.toHexString(mask));
    }
}
