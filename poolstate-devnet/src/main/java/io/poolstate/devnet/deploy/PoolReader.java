package io.poolstate.devnet.deploy;

import com.esaulpaugh.headlong.abi.Tuple;
import io.poolstate.devnet.DevnetException;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.v4.V4StateLayout;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what the devnet needs to size liquidity and trades: V2 reserves, V3 slot0/liquidity/token balances,
 * V4 slot0/liquidity through {@code extsload}, all in Multicall3 batches at one block.
 */
public final class PoolReader {
    private static final BigInteger Q96 = BigInteger.ONE.shiftLeft(96);

    /**
     * A pool's price and depth. For V2 {@code balance0/1} are the reserves; for V3 the pool's token balances;
     * for V4 the virtual reserves of the active liquidity ({@code L / sqrtP}, {@code L * sqrtP}).
     */
    public record PoolView(PoolDescriptor pool, BigInteger sqrtPriceX96, int tick, BigInteger liquidity, BigInteger balance0,
                           BigInteger balance1, BigInteger lpSupply) {
        /** The balance of the input side of a swap. */
        public BigInteger balanceIn(boolean zeroForOne) {
            return zeroForOne ? balance0 : balance1;
        }

        public BigInteger balanceOut(boolean zeroForOne) {
            return zeroForOne ? balance1 : balance0;
        }
    }

    private PoolReader() {
    }

    public static List<Integer> currentTicks(EthClient eth, List<PoolDescriptor> pools, Address manager) {
        return read(eth, pools, manager, BlockRef.latest()).stream().map(PoolView::tick).toList();
    }

    public static List<PoolView> read(EthClient eth, List<PoolDescriptor> pools, Address manager, BlockRef at) {
        List<Multicall3.Call> calls = new ArrayList<>();
        for (PoolDescriptor p : pools) {
            switch (p.protocol()) {
                case UNISWAP_V2 -> {
                    calls.add(new Multicall3.Call(p.id().address(), Abi.call("getReserves()")));
                    calls.add(new Multicall3.Call(p.id().address(), Abi.call("totalSupply()")));
                }
                case UNISWAP_V3 -> {
                    Address pool = p.id().address();
                    calls.add(new Multicall3.Call(pool, Abi.call("slot0()")));
                    calls.add(new Multicall3.Call(pool, Abi.call("liquidity()")));
                    calls.add(new Multicall3.Call(p.token0().address(), Abi.call("balanceOf(address)", Abi.addr(pool))));
                    calls.add(new Multicall3.Call(p.token1().address(), Abi.call("balanceOf(address)", Abi.addr(pool))));
                }
                case UNISWAP_V4 -> {
                    Bytes32 state = V4StateLayout.stateSlot(p.id().v4Id());
                    calls.add(new Multicall3.Call(manager, Abi.call("extsload(bytes32)", (Object) state.toBytes())));
                    calls.add(new Multicall3.Call(manager, Abi.call("extsload(bytes32)",
                            (Object) V4StateLayout.offset(state, V4StateLayout.LIQUIDITY_OFFSET).toBytes())));
                }
            }
        }
        List<Multicall3.Result> results = new Multicall3(eth).aggregate(calls, at);
        List<PoolView> out = new ArrayList<>(pools.size());
        int i = 0;
        for (PoolDescriptor p : pools) {
            switch (p.protocol()) {
                case UNISWAP_V2 -> {
                    Tuple r = decode(p, results.get(i++), "getReserves()", "(uint112,uint112,uint32)");
                    Tuple supply = decode(p, results.get(i++), "totalSupply()", "(uint256)");
                    out.add(new PoolView(p, null, 0, null, r.get(0), r.get(1), supply.get(0)));
                }
                case UNISWAP_V3 -> {
                    Tuple s = decode(p, results.get(i++), "slot0()", "(uint160,int24,uint16,uint16,uint16,uint8,bool)");
                    Tuple l = decode(p, results.get(i++), "liquidity()", "(uint128)");
                    Tuple b0 = decode(p, results.get(i++), "balanceOf(address)", "(uint256)");
                    Tuple b1 = decode(p, results.get(i++), "balanceOf(address)", "(uint256)");
                    out.add(new PoolView(p, s.get(0), s.get(1), l.get(0), b0.get(0), b1.get(0), null));
                }
                case UNISWAP_V4 -> {
                    V4StateLayout.Slot0 s = V4StateLayout.Slot0.unpack(Bytes32.wrap(word(p, results.get(i++))));
                    BigInteger l = new BigInteger(1, word(p, results.get(i++)));
                    BigInteger b0 = s.sqrtPriceX96().signum() == 0 ? BigInteger.ZERO : l.multiply(Q96).divide(s.sqrtPriceX96());
                    BigInteger b1 = l.multiply(s.sqrtPriceX96()).shiftRight(96);
                    out.add(new PoolView(p, s.sqrtPriceX96(), s.tick(), l, b0, b1, null));
                }
            }
        }
        return out;
    }

    private static Tuple decode(PoolDescriptor p, Multicall3.Result r, String sig, String outputs) {
        if (!r.success()) {
            throw new DevnetException(sig + " failed on pool " + p.id());
        }
        return Abi.decode(sig, outputs, r.returnData());
    }

    private static byte[] word(PoolDescriptor p, Multicall3.Result r) {
        if (!r.success() || r.returnData().length != 32) {
            throw new DevnetException("extsload failed for pool " + p.id());
        }
        return r.returnData();
    }
}
