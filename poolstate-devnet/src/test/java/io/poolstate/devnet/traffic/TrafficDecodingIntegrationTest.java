package io.poolstate.devnet.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import com.esaulpaugh.headlong.abi.Tuple;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.IntegrationTests;
import io.poolstate.devnet.chain.DevChain;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.event.DecodedLog;
import io.poolstate.dex.event.EventKind;
import io.poolstate.dex.event.LogDecoder;
import io.poolstate.dex.event.OtherEvent;
import io.poolstate.dex.event.PoolEvent;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.v4.V4StateLayout;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.Log;
import io.poolstate.eth.rpc.LogFilter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The devnet with 120 blocks of traffic and reorgs: every log of the pools and the PoolManager decodes,
 * every event kind occurs, and decoded values agree with the contracts' own view at the same block.
 */
class TrafficDecodingIntegrationTest {

    @Test
    void decodesEveryPoolLogAndMatchesTheChain(@TempDir Path dir) throws Exception {
        IntegrationTests.assumeEnabled();
        long seed = Long.getLong("poolstate.seed", 7L);
        System.out.println("traffic seed=" + seed + " (rerun with -Dpoolstate.seed=" + seed + ")");
        try (Devnet devnet = Devnet.start(IntegrationTests.port(getClass()), dir, DevnetDeployer.Options.defaults())) {
            Deployment d = devnet.deployment();
            Map<Long, Bytes32> minedHashes = new HashMap<>();
            TrafficGenerator.Report report = new TrafficGenerator(devnet.chain(), d,
                    new TrafficGenerator.Options(120, seed, 8, 30, 3)).run(new TrafficGenerator.Listener() {
                        @Override
                        public void onBlock(long number, List<DevChain.Mined> txs) {
                            minedHashes.putIfAbsent(number, devnet.eth().header(number).hash());
                        }
                    });
            System.out.println("traffic report: " + report);
            assertThat(report.blocks()).isEqualTo(120);
            assertThat(report.reorgs()).isGreaterThanOrEqualTo(1);
            long head = devnet.eth().blockNumber();
            long replaced = minedHashes.entrySet().stream()
                    .filter(e -> e.getKey() <= head && !devnet.eth().header(e.getKey()).hash().equals(e.getValue())).count();
            assertThat(replaced).as("block hashes replaced by reorgs").isGreaterThanOrEqualTo(1);

            List<Address> emitters = new ArrayList<>();
            d.pools().stream().filter(p -> p.protocol() != Protocol.UNISWAP_V4).forEach(p -> emitters.add(p.id().address()));
            emitters.add(d.contracts().poolManager());
            List<Log> logs = devnet.eth().logs(LogFilter.range(0, head, emitters));
            Map<EventKind, Integer> counts = new EnumMap<>(EventKind.class);
            List<DecodedLog> decoded = new ArrayList<>();
            Map<OtherEvent, Integer> others = new EnumMap<>(OtherEvent.class);
            for (Log l : logs) {
                DecodedLog dl = LogDecoder.decode(l);
                if (dl == null) {
                    OtherEvent other = OtherEvent.byTopic0(l.topic0());
                    assertThat(other).as("log that is not a pool event is a known non-state event: %s", l.position()).isNotNull();
                    others.merge(other, 1, Integer::sum);
                    continue;
                }
                counts.merge(dl.kind(), 1, Integer::sum);
                decoded.add(dl);
            }
            System.out.println("logs=" + logs.size() + " decoded=" + decoded.size() + " other=" + others + " per kind=" + counts);
            assertThat(counts.get(EventKind.V3_INITIALIZE)).isEqualTo(d.pools(Protocol.UNISWAP_V3).size());
            assertThat(counts.get(EventKind.V4_INITIALIZE)).isEqualTo(d.pools(Protocol.UNISWAP_V4).size());
            for (EventKind k : EventKind.values()) {
                if (k != EventKind.V4_PROTOCOL_FEE_UPDATED) {
                    assertThat(counts.getOrDefault(k, 0)).as("count of %s", k).isGreaterThan(0);
                }
            }
            crossCheck(devnet, d, decoded);
        }
    }

    /** One pool's last price event in a block and where its calls sit in the block's multicall. */
    private record Check(PoolDescriptor pool, PoolEvent last, boolean liquidityChangedAfter, int firstCall, int calls) {
    }

    /** For every block and pool: the last Sync/Swap of the block agrees with the pool's state at that block. */
    private void crossCheck(Devnet devnet, Deployment d, List<DecodedLog> decoded) {
        Map<PoolId, PoolDescriptor> pools = TrafficGenerator.byId(d);
        TreeMap<Long, Map<PoolId, List<DecodedLog>>> byBlock = new TreeMap<>();
        for (DecodedLog l : decoded) {
            byBlock.computeIfAbsent(l.position().blockNumber(), k -> new LinkedHashMap<>()).computeIfAbsent(l.pool(), k -> new ArrayList<>()).add(l);
        }
        Multicall3 mc = new Multicall3(devnet.eth());
        int checked = 0;
        for (var block : byBlock.entrySet()) {
            List<Multicall3.Call> calls = new ArrayList<>();
            List<Check> checks = new ArrayList<>();
            for (var e : block.getValue().entrySet()) {
                PoolDescriptor p = pools.get(e.getKey());
                List<DecodedLog> events = e.getValue();
                int lastPriceEvent = -1;
                for (int i = 0; i < events.size(); i++) {
                    PoolEvent ev = events.get(i).event();
                    if (ev instanceof PoolEvent.V2Sync || ev instanceof PoolEvent.V3Swap || ev instanceof PoolEvent.V4Swap) {
                        lastPriceEvent = i;
                    }
                }
                if (lastPriceEvent < 0) {
                    continue;
                }
                boolean liquidityChangedAfter = events.subList(lastPriceEvent + 1, events.size()).stream().anyMatch(x -> switch (x.event()) {
                    case PoolEvent.V3Mint m -> m.amount().signum() != 0;
                    case PoolEvent.V3Burn b -> b.amount().signum() != 0;
                    case PoolEvent.V4ModifyLiquidity m -> m.liquidityDelta().signum() != 0;
                    default -> false;
                });
                int first = calls.size();
                switch (p.protocol()) {
                    case UNISWAP_V2 -> calls.add(new Multicall3.Call(p.id().address(), Abi.call("getReserves()")));
                    case UNISWAP_V3 -> {
                        calls.add(new Multicall3.Call(p.id().address(), Abi.call("slot0()")));
                        calls.add(new Multicall3.Call(p.id().address(), Abi.call("liquidity()")));
                    }
                    case UNISWAP_V4 -> {
                        Bytes32 s = V4StateLayout.stateSlot(p.id().v4Id());
                        calls.add(new Multicall3.Call(d.contracts().poolManager(), Abi.call("extsload(bytes32)", (Object) s.toBytes())));
                        calls.add(new Multicall3.Call(d.contracts().poolManager(), Abi.call("extsload(bytes32)",
                                (Object) V4StateLayout.offset(s, V4StateLayout.LIQUIDITY_OFFSET).toBytes())));
                    }
                }
                checks.add(new Check(p, events.get(lastPriceEvent).event(), liquidityChangedAfter, first, calls.size() - first));
            }
            List<Multicall3.Result> results = mc.aggregate(calls, BlockRef.number(block.getKey()));
            for (Check c : checks) {
                verify(c.pool(), c.last(), c.liquidityChangedAfter(), results.subList(c.firstCall(), c.firstCall() + c.calls()), block.getKey());
            }
            checked += checks.size();
        }
        System.out.println("cross-checked pool-blocks=" + checked);
        assertThat(checked).isGreaterThan(100);
    }

    private static void verify(PoolDescriptor p, PoolEvent last, boolean liquidityChangedAfter, List<Multicall3.Result> r, long block) {
        String where = "pool=" + p.id() + " block=" + block;
        switch (last) {
            case PoolEvent.V2Sync s -> {
                Tuple t = Abi.decode("getReserves()", "(uint112,uint112,uint32)", r.get(0).returnData());
                assertThat((BigInteger) t.get(0)).as("reserve0 " + where).isEqualTo(s.reserve0());
                assertThat((BigInteger) t.get(1)).as("reserve1 " + where).isEqualTo(s.reserve1());
            }
            case PoolEvent.V3Swap s -> {
                Tuple slot0 = Abi.decode("slot0()", "(uint160,int24,uint16,uint16,uint16,uint8,bool)", r.get(0).returnData());
                assertThat((BigInteger) slot0.get(0)).as("sqrtPriceX96 " + where).isEqualTo(s.sqrtPriceX96());
                assertThat((Integer) slot0.get(1)).as("tick " + where).isEqualTo(s.tick());
                if (!liquidityChangedAfter) {
                    assertThat((BigInteger) Abi.decode("liquidity()", "(uint128)", r.get(1).returnData()).get(0)).as("liquidity " + where)
                            .isEqualTo(s.liquidity());
                }
            }
            case PoolEvent.V4Swap s -> {
                V4StateLayout.Slot0 slot0 = V4StateLayout.Slot0.unpack(Bytes32.wrap(r.get(0).returnData()));
                assertThat(slot0.sqrtPriceX96()).as("sqrtPriceX96 " + where).isEqualTo(s.sqrtPriceX96());
                assertThat(slot0.tick()).as("tick " + where).isEqualTo(s.tick());
                assertThat(slot0.lpFee()).as("lp fee " + where).isEqualTo(s.fee());
                if (!liquidityChangedAfter) {
                    assertThat(new BigInteger(1, r.get(1).returnData())).as("liquidity " + where).isEqualTo(s.liquidity());
                }
            }
            default -> throw new IllegalStateException("not a price event: " + last);
        }
    }
}
