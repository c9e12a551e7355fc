package io.poolstate.devnet.deploy;

import com.esaulpaugh.headlong.abi.Tuple;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.V4PoolKey;
import java.math.BigInteger;

/**
 * Calls on the V4 test routers (v4-core {@code src/test/PoolModifyLiquidityTest.sol}, {@code PoolSwapTest.sol},
 * {@code PoolDonateTest.sol}) and the dynamic-fee test hooks ({@code DynamicFeesTestHook.sol}, {@code DynamicReturnFeeTestHook.sol}).
 */
public final class V4Calls {
    /** ETH sent with calls on native pools; the routers refund what the pool does not take. */
    public static final BigInteger NATIVE_VALUE = BigInteger.TEN.pow(26);
    /** TickMath MIN_SQRT_PRICE + 1 and MAX_SQRT_PRICE - 1: the widest allowed swap price limits. */
    public static final BigInteger MIN_PRICE_LIMIT = new BigInteger("4295128740");
    public static final BigInteger MAX_PRICE_LIMIT = new BigInteger("1461446703485210103287273052203988822378723970341");

    private V4Calls() {
    }

    public static Tuple key(V4PoolKey k) {
        return Tuple.from(Abi.addr(k.currency0()), Abi.addr(k.currency1()), k.fee(), k.tickSpacing(), Abi.addr(k.hooks()));
    }

    public static V4PoolKey keyOf(PoolDescriptor d) {
        return new V4PoolKey(d.token0().address(), d.token1().address(), d.fee(), d.tickSpacing(), d.hooks());
    }

    public static byte[] salt(long n) {
        byte[] s = new byte[32];
        for (int i = 0; i < 8; i++) {
            s[31 - i] = (byte) (n >>> (8 * i));
        }
        return s;
    }

    public static byte[] modifyLiquidity(V4PoolKey key, int lower, int upper, BigInteger delta, byte[] salt) {
        return Abi.call("modifyLiquidity((address,address,uint24,int24,address),(int24,int24,int256,bytes32),bytes)",
                key(key), Tuple.from(lower, upper, delta, salt), new byte[0]);
    }

    /** {@code amountSpecified} < 0 is exact input, > 0 exact output (v4 convention). */
    public static byte[] swap(V4PoolKey key, boolean zeroForOne, BigInteger amountSpecified) {
        return swap(key, zeroForOne, amountSpecified, zeroForOne ? MIN_PRICE_LIMIT : MAX_PRICE_LIMIT);
    }

    /** A swap that stops at {@code sqrtPriceLimitX96}. */
    public static byte[] swap(V4PoolKey key, boolean zeroForOne, BigInteger amountSpecified, BigInteger sqrtPriceLimitX96) {
        return Abi.call("swap((address,address,uint24,int24,address),(bool,int256,uint160),(bool,bool),bytes)", key(key),
                Tuple.from(zeroForOne, amountSpecified, sqrtPriceLimitX96), Tuple.from(false, false), new byte[0]);
    }

    public static byte[] donate(V4PoolKey key, BigInteger amount0, BigInteger amount1) {
        return Abi.call("donate((address,address,uint24,int24,address),uint256,uint256,bytes)", key(key), amount0, amount1, new byte[0]);
    }

    /** DynamicFeesTestHook / DynamicReturnFeeTestHook {@code forcePoolFeeUpdate}: the hook calls {@code PoolManager.updateDynamicLPFee}. */
    public static byte[] forcePoolFeeUpdate(V4PoolKey key, int lpFee) {
        return Abi.call("forcePoolFeeUpdate((address,address,uint24,int24,address),uint24)", key(key), lpFee);
    }

    /** DynamicFeesTestHook / DynamicReturnFeeTestHook {@code setFee}: the fee the hook applies in its next beforeSwap. */
    public static byte[] setHookFee(int fee) {
        return Abi.call("setFee(uint24)", fee);
    }

    /** A liquidity of the order of a full-range position holding {@code usd} of each token. */
    static BigInteger liquidityFor(double usd, PoolDescriptor d, double usd0, double usd1) {
        BigInteger a0 = DevnetDeployer.amount(d.token0(), usd, usd0);
        BigInteger a1 = DevnetDeployer.amount(d.token1(), usd, usd1);
        return a0.multiply(a1).sqrt().max(BigInteger.valueOf(1000));
    }
}
