package io.poolstate.devnet.traffic;

import com.esaulpaugh.headlong.abi.Tuple;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.dex.event.EventKind;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.Log;
import io.poolstate.eth.rpc.LogFilter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The trader's open liquidity positions, read from the chain: V3 positions are the NonfungiblePositionManager
 * NFTs the trader owns; V4 positions are the PoolManager's ModifyLiquidity history of the
 * PoolModifyLiquidityTest router, summed per (pool, range, salt). Rebuilt after a reorg; between reorgs the
 * generator updates it as its transactions succeed. Owned by the traffic thread.
 */
final class PositionBook {
    /** An NFT position of the trader. */
    record V3Position(BigInteger tokenId, PoolDescriptor pool, int lower, int upper, BigInteger liquidity) {
    }

    /** A V4 position held by the modify-liquidity router, keyed by its salt. */
    record V4Position(PoolDescriptor pool, int lower, int upper, Bytes32 salt, BigInteger liquidity) {
        String key() {
            return pool.id() + ":" + lower + ":" + upper + ":" + salt;
        }
    }

    private final Map<BigInteger, V3Position> v3 = new LinkedHashMap<>();
    private final Map<String, V4Position> v4 = new LinkedHashMap<>();

    static PositionBook load(EthClient eth, Deployment d) {
        PositionBook b = new PositionBook();
        b.loadV3(eth, d);
        b.loadV4(eth, d);
        return b;
    }

    List<V3Position> v3(PoolId pool) {
        return v3.values().stream().filter(p -> p.pool().id().equals(pool)).toList();
    }

    List<V4Position> v4(PoolId pool) {
        return v4.values().stream().filter(p -> p.pool().id().equals(pool)).toList();
    }

    int size() {
        return v3.size() + v4.size();
    }

    void putV3(V3Position p) {
        if (p.liquidity().signum() == 0) {
            v3.remove(p.tokenId());
        } else {
            v3.put(p.tokenId(), p);
        }
    }

    void burnV3(BigInteger tokenId) {
        v3.remove(tokenId);
    }

    void addV4(PoolDescriptor pool, int lower, int upper, Bytes32 salt, BigInteger delta) {
        V4Position key = new V4Position(pool, lower, upper, salt, BigInteger.ZERO);
        V4Position old = v4.getOrDefault(key.key(), key);
        BigInteger l = old.liquidity().add(delta);
        if (l.signum() == 0) {
            v4.remove(key.key());
        } else {
            v4.put(key.key(), new V4Position(pool, lower, upper, salt, l));
        }
    }

    private void loadV3(EthClient eth, Deployment d) {
        Address npm = d.contracts().positionManager();
        Map<String, PoolDescriptor> byKey = new HashMap<>();
        for (PoolDescriptor p : d.pools(Protocol.UNISWAP_V3)) {
            byKey.put(p.token0().address() + ":" + p.token1().address() + ":" + p.fee(), p);
        }
        Multicall3 mc = new Multicall3(eth);
        BigInteger n = Abi.decode("balanceOf(address)", "(uint256)", eth.call(npm, Abi.call("balanceOf(address)", Abi.addr(d.trader())),
                BlockRef.latest())).get(0);
        List<Multicall3.Call> idCalls = new ArrayList<>();
        for (int i = 0; i < n.intValueExact(); i++) {
            idCalls.add(new Multicall3.Call(npm, Abi.call("tokenOfOwnerByIndex(address,uint256)", Abi.addr(d.trader()), BigInteger.valueOf(i))));
        }
        List<BigInteger> ids = mc.aggregate(idCalls, BlockRef.latest()).stream()
                .map(r -> (BigInteger) Abi.decode("tokenOfOwnerByIndex(address,uint256)", "(uint256)", r.returnData()).get(0)).toList();
        List<Multicall3.Call> posCalls = ids.stream().map(id -> new Multicall3.Call(npm, Abi.call("positions(uint256)", id))).toList();
        List<Multicall3.Result> pos = mc.aggregate(posCalls, BlockRef.latest());
        for (int i = 0; i < ids.size(); i++) {
            Tuple t = Abi.decode("positions(uint256)", "(uint96,address,address,address,uint24,int24,int24,uint128,uint256,uint256,uint128,uint128)",
                    pos.get(i).returnData());
            PoolDescriptor pool = byKey.get(Abi.addr((com.esaulpaugh.headlong.abi.Address) t.get(2)) + ":"
                    + Abi.addr((com.esaulpaugh.headlong.abi.Address) t.get(3)) + ":" + t.get(4));
            BigInteger liquidity = t.get(7);
            if (pool != null && liquidity.signum() > 0) {
                v3.put(ids.get(i), new V3Position(ids.get(i), pool, t.get(5), t.get(6), liquidity));
            }
        }
    }

    private void loadV4(EthClient eth, Deployment d) {
        Map<PoolId, PoolDescriptor> pools = new HashMap<>();
        d.pools(Protocol.UNISWAP_V4).forEach(p -> pools.put(p.id(), p));
        long head = eth.blockNumber();
        List<Log> logs = eth.logs(LogFilter.range(0, head, List.of(d.contracts().poolManager()))
                .withTopic0(List.of(EventKind.V4_MODIFY_LIQUIDITY.topic0())));
        Address router = d.contracts().poolModifyLiquidityTest();
        for (Log l : logs) {
            byte[] data = l.data();
            Address sender = Address.fromWord(l.topics().get(2).toBytes(), 0);
            PoolDescriptor pool = pools.get(PoolId.of(l.topics().get(1)));
            if (pool == null || !Objects.equals(sender, router)) {
                continue;
            }
            int lower = new BigInteger(java.util.Arrays.copyOfRange(data, 0, 32)).intValue();
            int upper = new BigInteger(java.util.Arrays.copyOfRange(data, 32, 64)).intValue();
            BigInteger delta = new BigInteger(java.util.Arrays.copyOfRange(data, 64, 96));
            addV4(pool, lower, upper, Bytes32.wrap(data, 96), delta);
        }
    }
}
