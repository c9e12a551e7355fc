package io.poolstate.dex.pool;

import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Keccak256;

/**
 * Where a factory deploys a pool: CREATE2, {@code keccak256(0xff ++ factory ++ salt ++ initCodeHash)[12:]}, with
 * the salts of UniswapV2Factory.createPair and UniswapV3PoolDeployer.deploy. {@code token0 < token1}. Stateless.
 */
public final class PoolAddresses {
    private PoolAddresses() {
    }

    /** A CREATE2 address. */
    public static Address create2(Address deployer, byte[] salt, Bytes32 initCodeHash) {
        byte[] buf = new byte[85];
        buf[0] = (byte) 0xff;
        deployer.copyTo(buf, 1);
        System.arraycopy(salt, 0, buf, 21, 32);
        System.arraycopy(initCodeHash.toBytes(), 0, buf, 53, 32);
        byte[] h = Keccak256.hash(buf);
        return Address.wrap(java.util.Arrays.copyOfRange(h, 12, 32));
    }

    /** V2 pair: salt = keccak256(abi.encodePacked(token0, token1)) (UniswapV2Factory.sol). */
    public static Address v2Pair(Address factory, Address token0, Address token1, Bytes32 pairInitCodeHash) {
        byte[] packed = new byte[40];
        token0.copyTo(packed, 0);
        token1.copyTo(packed, 20);
        return create2(factory, Keccak256.hash(packed), pairInitCodeHash);
    }

    /** V3 pool: salt = keccak256(abi.encode(token0, token1, fee)) (UniswapV3PoolDeployer.sol, PoolAddress.sol). */
    public static Address v3Pool(Address factory, Address token0, Address token1, int fee, Bytes32 poolInitCodeHash) {
        byte[] enc = new byte[96];
        token0.copyTo(enc, 12);
        token1.copyTo(enc, 44);
        enc[93] = (byte) (fee >>> 16);
        enc[94] = (byte) (fee >>> 8);
        enc[95] = (byte) fee;
        return create2(factory, Keccak256.hash(enc), poolInitCodeHash);
    }
}
