package io.poolstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.math.TickMath;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.scrape.StorageReads;
import io.poolstate.dex.v3.V3StateLayout;
import io.poolstate.dex.v4.V4StateLayout;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.lens.StorageLens;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.testkit.RpcCall;
import io.poolstate.testkit.RpcFault;
import io.poolstate.testkit.RpcFaultProxy;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage lens against the real Uniswap V3 pools and V4 PoolManager on the devnet, at a pinned block: its slot
 * reads equal {@code slot0()}, {@code liquidity()}, {@code ticks(int24)} and V4 {@code extsload}; its bitmap scans
 * equal {@code tickBitmap(int16)} (V4: {@code extsload} of every bitmap slot) over every word, negative words and the
 * first and last usable words included; a full scrape through the lens equals one through the getters; and a node
 * that refuses state overrides makes {@code auto} choose the getters.
 */
class StorageLensIntegrationTest {
    private static final Function EXTSLOAD = Function.parse("extsload(bytes32[])", "(bytes32[])");

    @Test
    void lensReadsEqualTheContractsGetters(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), DevnetDeployer.Options.defaults())) {
            Deployment d = devnet.deployment();
            EthClient eth = devnet.eth();
            long block = eth.blockNumber();
            BlockRef at = BlockRef.number(block);
            Multicall3 mc = new Multicall3(eth, Multicall3.CANONICAL, 500, 2);
            int negativeWords = 0;
            int minWords = 0;
            int maxWords = 0;
            int ticksCompared = 0;
            for (PoolDescriptor p : d.pools(Protocol.UNISWAP_V3)) {
                Address pool = p.id().address();
                List<Bytes32> s = lensSlots(mc, pool, List.of(V3StateLayout.SLOT0, V3StateLayout.LIQUIDITY), at);
                Tuple slot0 = Abi.decode("slot0()", "(uint160,int24,uint16,uint16,uint16,uint8,bool)", eth.call(pool, Abi.call("slot0()"), at));
                V3StateLayout.Slot0 lens = V3StateLayout.Slot0.unpack(s.get(0));
                assertThat(List.of(lens.sqrtPriceX96(), lens.tick(), lens.observationIndex(), lens.observationCardinality(),
                        lens.observationCardinalityNext(), lens.feeProtocol(), lens.unlocked()))
                        .as("slot0 of %s", p.id())
                        .isEqualTo(List.of(slot0.get(0), slot0.get(1), slot0.get(2), slot0.get(3), slot0.get(4), slot0.get(5), slot0.get(6)));
                BigInteger liquidity = Abi.decode("liquidity()", "(uint128)", eth.call(pool, Abi.call("liquidity()"), at)).get(0);
                assertThat(V3StateLayout.liquidity(s.get(1))).as("liquidity of %s", p.id()).isEqualTo(liquidity);

                int min = wordOf(TickMath.MIN_TICK, p.tickSpacing());
                int max = wordOf(TickMath.MAX_TICK, p.tickSpacing());
                Map<Integer, BigInteger> getter = v3Bitmap(mc, pool, min, max, at);
                Map<Integer, BigInteger> scanned = lensScan(mc, pool, V3StateLayout.TICK_BITMAP, min, max, at);
                assertThat(scanned).as("tick bitmap of %s, words %d..%d", p.id(), min, max).isEqualTo(getter);
                assertThat(getter).as("pool %s has initialised ticks", p.id()).isNotEmpty();
                negativeWords += (int) getter.keySet().stream().filter(w -> w < 0).count();
                minWords += getter.containsKey(min) ? 1 : 0;
                maxWords += getter.containsKey(max) ? 1 : 0;
                // the int16 ends, beyond any usable tick: empty through both
                assertThat(lensScan(mc, pool, V3StateLayout.TICK_BITMAP, Short.MIN_VALUE, Short.MIN_VALUE + 3, at))
                        .isEqualTo(v3Bitmap(mc, pool, Short.MIN_VALUE, Short.MIN_VALUE + 3, at)).isEmpty();
                assertThat(lensScan(mc, pool, V3StateLayout.TICK_BITMAP, Short.MAX_VALUE - 3, Short.MAX_VALUE, at))
                        .isEqualTo(v3Bitmap(mc, pool, Short.MAX_VALUE - 3, Short.MAX_VALUE, at)).isEmpty();

                List<Integer> ticks = new ArrayList<>(ticksOf(getter, p.tickSpacing()));
                ticks.add(Math.floorDiv(TickMath.MAX_TICK, p.tickSpacing()) * p.tickSpacing() - p.tickSpacing()); // most likely not initialised
                for (int t : ticks) {
                    Bytes32 first = V3StateLayout.tickSlot(t);
                    List<Bytes32> slots = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        slots.add(V4StateLayout.offset(first, i));
                    }
                    List<Bytes32> w = lensSlots(mc, pool, slots, at);
                    Tuple info = Abi.decode("ticks(int24)", "(uint128,int128,uint256,uint256,int56,uint160,uint32,bool)",
                            eth.call(pool, Abi.call("ticks(int24)", t), at));
                    V3StateLayout.TickLiquidity l = V3StateLayout.TickLiquidity.unpack(w.get(0));
                    BigInteger packed = w.get(3).toBigInteger();
                    long cumulative = packed.longValue() << 8 >> 8;
                    BigInteger perLiquidity = packed.shiftRight(56).and(BigInteger.ONE.shiftLeft(160).subtract(BigInteger.ONE));
                    long seconds = packed.shiftRight(216).longValue() & 0xffffffffL;
                    boolean initialized = packed.testBit(248);
                    List<Object> got = List.of(l.gross(), l.net(), w.get(1).toBigInteger(), w.get(2).toBigInteger(), cumulative, perLiquidity, seconds,
                            initialized);
                    List<String> want = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        want.add(String.valueOf((Object) info.get(i)));
                    }
                    assertThat(got.stream().map(String::valueOf).toList()).as("ticks(%d) of %s", t, p.id()).isEqualTo(want);
                    ticksCompared++;
                }
            }
            int v4Negative = 0;
            for (PoolDescriptor p : d.pools(Protocol.UNISWAP_V4)) {
                Address manager = p.factory();
                Bytes32 state = V4StateLayout.stateSlot(p.id().v4Id());
                List<Bytes32> slots = List.of(state, V4StateLayout.offset(state, V4StateLayout.LIQUIDITY_OFFSET));
                assertThat(lensSlots(mc, manager, slots, at)).as("slot0, liquidity of %s", p.id()).isEqualTo(extsload(eth, manager, slots, at));
                int min = wordOf(TickMath.MIN_TICK, p.tickSpacing());
                int max = wordOf(TickMath.MAX_TICK, p.tickSpacing());
                List<Bytes32> bitmapSlots = new ArrayList<>();
                for (int w = min; w <= max; w++) {
                    bitmapSlots.add(V4StateLayout.bitmapSlot(state, w));
                }
                List<Bytes32> words = extsload(eth, manager, bitmapSlots, at);
                Map<Integer, BigInteger> getter = new TreeMap<>();
                for (int i = 0; i < words.size(); i++) {
                    if (!words.get(i).equals(Bytes32.ZERO)) {
                        getter.put(min + i, words.get(i).toBigInteger());
                    }
                }
                assertThat(lensScan(mc, manager, V4StateLayout.bitmapBase(state), min, max, at)).as("V4 tick bitmap of %s", p.id()).isEqualTo(getter);
                assertThat(getter).as("V4 pool %s has initialised ticks", p.id()).isNotEmpty();
                v4Negative += (int) getter.keySet().stream().filter(w -> w < 0).count();
                minWords += getter.containsKey(min) ? 1 : 0;
                maxWords += getter.containsKey(max) ? 1 : 0;
                List<Bytes32> tickSlots = ticksOf(getter, p.tickSpacing()).stream().map(t -> V4StateLayout.tickSlot(state, t)).toList();
                assertThat(lensSlots(mc, manager, tickSlots, at)).as("V4 ticks of %s", p.id()).isEqualTo(extsload(eth, manager, tickSlots, at));
            }
            System.out.printf("lens: %d V3 ticks compared; %d negative V3 words, %d negative V4 words, %d pools with the first usable word, %d with the"
                    + " last%n", ticksCompared, negativeWords, v4Negative, minWords, maxWords);
            assertThat(negativeWords).as("negative V3 bitmap words compared").isPositive();
            assertThat(v4Negative).as("negative V4 bitmap words compared").isPositive();
            assertThat(minWords).as("pools whose first usable word is set (full-range positions)").isPositive();
            assertThat(maxWords).as("pools whose last usable word is set (full-range positions)").isPositive();

            PoolScraper auto = new PoolScraper(eth, Multicall3.CANONICAL, ScrapeSettings.DEFAULT);
            ScrapeResult lensScrape = auto.scrape(d.pools(), block);
            assertThat(auto.storageReads(d.pools(), at)).as("auto on Anvil").isEqualTo(StorageReads.LENS);
            ScrapeResult calls = new PoolScraper(eth, Multicall3.CANONICAL, ScrapeSettings.DEFAULT.withStorageReads(StorageReads.CALLS)).scrape(d.pools(), block);
            assertThat(lensScrape.failures()).isEmpty();
            assertThat(calls.failures()).isEmpty();
            for (PoolDescriptor p : d.pools()) {
                assertThat(lensScrape.states().get(p.id()).snapshot()).as("scrape of %s through the lens", p.id()).isEqualTo(calls.states().get(p.id()).snapshot());
            }
            // a small gas budget splits every scan and tick read into several lens calls: same state
            ScrapeSettings small = new ScrapeSettings(500, 2, 4, 1000, StorageReads.LENS, 2_500_000);
            ScrapeResult split = new PoolScraper(eth, Multicall3.CANONICAL, small).scrape(d.pools(), block);
            assertThat(split.failures()).isEmpty();
            assertThat(split.rpcRequests()).isGreaterThan(lensScrape.rpcRequests());
            for (PoolDescriptor p : d.pools()) {
                assertThat(split.states().get(p.id()).snapshot()).isEqualTo(calls.states().get(p.id()).snapshot());
            }
            System.out.printf("lens scrape: %d requests; calls scrape: %d requests; lens with 2.5 M gas per call: %d requests%n", lensScrape.rpcRequests(),
                    calls.rpcRequests(), split.rpcRequests());
        }
    }

    @Test
    void autoChoosesCallsWhenTheNodeRefusesStateOverrides(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        int port = 20001 + Math.floorMod(getClass().getName().hashCode(), 20000);
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), new DevnetDeployer.Options(6, 3, 1, false));
             RpcFaultProxy proxy = RpcFaultProxy.start(devnet.deployment().httpUrl(), 1);
             EthClient eth = EthClient.open(proxy.url())) {
            proxy.add(new RefusedOverride());
            Deployment d = devnet.deployment();
            long block = devnet.eth().blockNumber();
            PoolScraper auto = new PoolScraper(eth, Multicall3.CANONICAL, ScrapeSettings.DEFAULT);
            ScrapeResult r = auto.scrape(d.pools(), block);
            assertThat(auto.storageReads(d.pools(), BlockRef.number(block))).isEqualTo(StorageReads.CALLS);
            assertThat(proxy.applied("eth_call with a state override refused")).as("the probe asked once").isEqualTo(1);
            assertThat(r.failures()).isEmpty();
            ScrapeResult direct = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT.withStorageReads(StorageReads.LENS))
                    .scrape(d.pools(), block);
            for (PoolDescriptor p : d.pools()) {
                assertThat(r.states().get(p.id()).snapshot()).isEqualTo(direct.states().get(p.id()).snapshot());
            }
            ScrapeResult forced = new PoolScraper(eth, Multicall3.CANONICAL, ScrapeSettings.DEFAULT.withStorageReads(StorageReads.LENS))
                    .scrape(d.pools(), block);
            assertThat(forced.failures().keySet()).as("lens forced on a node that refuses it: every V3/V4 pool fails, none is guessed")
                    .containsExactlyInAnyOrderElementsOf(d.pools().stream().filter(p -> p.protocol() != Protocol.UNISWAP_V2).map(PoolDescriptor::id).toList());
        }
    }

    /** A node without state overrides: {@code eth_call} with a third parameter is refused as geth once did. */
    private record RefusedOverride() implements RpcFault {
        @Override
        public String name() {
            return "eth_call with a state override refused";
        }

        @Override
        public boolean targets(RpcCall call) {
            return call.isCallWithStateOverride();
        }

        @Override
        public Before before(RpcCall call, Random random) {
            return Before.error(-32602, "too many arguments, want at most 2");
        }
    }

    private static int wordOf(int tick, int spacing) {
        return Math.floorDiv(Math.floorDiv(tick, spacing), 256);
    }

    private static List<Integer> ticksOf(Map<Integer, BigInteger> words, int spacing) {
        List<Integer> out = new ArrayList<>();
        words.forEach((w, bits) -> {
            for (int b = 0; b < 256; b++) {
                if (bits.testBit(b)) {
                    out.add((w * 256 + b) * spacing);
                }
            }
        });
        return out;
    }

    private static List<Bytes32> lensSlots(Multicall3 mc, Address target, List<Bytes32> slots, BlockRef at) {
        Multicall3.Result r = mc.aggregateWithCode(List.of(List.of(new Multicall3.Call(target, StorageLens.slotsCall(slots)))), at, StorageLens.CODE,
                ScrapeSettings.DEFAULT_LENS_GAS).get(0).get(0);
        assertThat(r.success()).isTrue();
        return StorageLens.decodeSlots(r.returnData(), slots.size());
    }

    private static Map<Integer, BigInteger> lensScan(Multicall3 mc, Address target, Bytes32 base, int first, int last, BlockRef at) {
        Multicall3.Result r = mc.aggregateWithCode(List.of(List.of(new Multicall3.Call(target, StorageLens.scanCall(base, first, last)))), at,
                StorageLens.CODE, ScrapeSettings.DEFAULT_LENS_GAS).get(0).get(0);
        assertThat(r.success()).as("lens scan %d..%d", first, last).isTrue();
        return StorageLens.decodeScan(r.returnData(), first, last);
    }

    private static Map<Integer, BigInteger> v3Bitmap(Multicall3 mc, Address pool, int first, int last, BlockRef at) {
        List<Multicall3.Call> calls = new ArrayList<>();
        for (int w = first; w <= last; w++) {
            calls.add(new Multicall3.Call(pool, Abi.call("tickBitmap(int16)", w)));
        }
        List<Multicall3.Result> rs = mc.aggregate(calls, at);
        Map<Integer, BigInteger> out = new TreeMap<>();
        for (int i = 0; i < rs.size(); i++) {
            assertThat(rs.get(i).success()).isTrue();
            BigInteger v = new BigInteger(1, rs.get(i).returnData());
            if (v.signum() != 0) {
                out.put(first + i, v);
            }
        }
        return out;
    }

    private static List<Bytes32> extsload(EthClient eth, Address manager, List<Bytes32> slots, BlockRef at) {
        byte[][] arg = slots.stream().map(Bytes32::toBytes).toArray(byte[][]::new);
        byte[][] words = EXTSLOAD.decodeReturn(eth.call(manager, EXTSLOAD.encodeCall(Tuple.singleton(arg)).array(), at)).get(0);
        List<Bytes32> out = new ArrayList<>();
        for (byte[] w : words) {
            out.add(Bytes32.wrap(w));
        }
        return out;
    }
}
