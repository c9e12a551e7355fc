package io.poolstate.dex.scrape;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.poolstate.dex.math.TickMath;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.state.ConcentratedPoolState;
import io.poolstate.dex.state.PoolState;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.dex.state.V2PoolState;
import io.poolstate.dex.v3.V3StateLayout;
import io.poolstate.dex.v4.V4StateLayout;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.lens.StorageLens;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.RpcException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads complete pool state at one pinned block, every call made at that block: V2 reserves; V3 slot0,
 * liquidity, fee, tick spacing, every tick-bitmap word and every initialised tick through Multicall3; V4 slot0,
 * liquidity, bitmap words and ticks from the PoolManager's storage with {@code extsload(bytes32[])}
 * (v4-core {@code StateLibrary} layout), also through Multicall3. Two rounds: state and bitmaps, then the
 * ticks the bitmaps name ({@link #scrapeSlots}: the first round without bitmaps; {@link #scrapeNear}: only the
 * bitmap words near the price, in a round of their own). A failed request is retried by the client, then every pool it carried is reported
 * failed with the reason; a call that reverts fails its pool only. Safe for concurrent use.
 *
 * <p>With the storage lens ({@link StorageReads#LENS}, or {@link StorageReads#AUTO} when the node passes the probe),
 * V3 slot0, liquidity and ticks are read from the pool's storage ({@link V3StateLayout}) and the V3 and V4 tick
 * bitmaps are scanned whole in one lens call per pool, which returns only the non-empty words
 * ({@link StorageLens}); lens calls travel through Multicall3 with the lens placed at every target by a state
 * override, packed by gas ({@link ScrapeSettings#lensBudget()}). V3 fee and tick spacing (immutables) are still
 * called, and V4 slot0, liquidity and ticks still come from {@code extsload}. The {@code auto} probe runs once per
 * scraper, at its first scrape of a V3 or V4 pool, and logs its choice in one line.
 */
public final class PoolScraper {
    private static final byte[] GET_RESERVES = AbiWords.selector("getReserves()");
    private static final byte[] SLOT0 = AbiWords.selector("slot0()");
    private static final byte[] LIQUIDITY = AbiWords.selector("liquidity()");
    private static final byte[] FEE = AbiWords.selector("fee()");
    private static final byte[] TICK_SPACING = AbiWords.selector("tickSpacing()");
    private static final byte[] TICK_BITMAP = AbiWords.selector("tickBitmap(int16)");
    private static final byte[] TICKS = AbiWords.selector("ticks(int24)");
    private static final Function EXTSLOAD = Function.parse("extsload(bytes32[])", "(bytes32[])");
    private static final Logger LOG = LoggerFactory.getLogger(PoolScraper.class);
    private static final int NO_TICKS = -1;
    private static final int ALL_TICKS = Integer.MAX_VALUE;

    private final EthClient eth;
    private final Address multicall;
    private final ScrapeSettings settings;
    /** {@link StorageReads#LENS} or {@link StorageReads#CALLS} once decided; written once by the first scrape that needs it. */
    private volatile StorageReads decided;

    public PoolScraper(EthClient eth, Address multicall, ScrapeSettings settings) {
        this.eth = eth;
        this.multicall = multicall;
        this.settings = settings;
        this.decided = settings.storageReads() == StorageReads.AUTO ? null : settings.storageReads();
    }

    /**
     * One call with the pool it serves, what it is (for errors) and where its result goes; {@code lensGas} > 0 marks a
     * storage-lens call (its estimated gas), run with the lens placed at its target.
     */
    private record Read(PoolId pool, String what, Multicall3.Call call, long lensGas, Consumer<byte[]> sink) {
        Read(PoolId pool, String what, Multicall3.Call call, Consumer<byte[]> sink) {
            this(pool, what, call, 0, sink);
        }
    }

    /** Scraped pieces of one concentrated pool before it becomes a state. */
    private static final class Partial {
        final PoolDescriptor d;
        BigInteger sqrtPrice;
        int tick;
        BigInteger liquidity;
        int fee;
        int protocolFee;
        final Map<Integer, BigInteger> words = new TreeMap<>();
        final TreeMap<Integer, TickInfo> ticks = new TreeMap<>();

        Partial(PoolDescriptor d) {
            this.d = d;
        }
    }

    /** Reads every pool at block number {@code block}. */
    public ScrapeResult scrape(List<PoolDescriptor> pools, long block) {
        return scrape(pools, BlockRef.number(block), block);
    }

    /** Reads every pool at {@code at} (e.g. a block pinned by hash, which a reorg cannot swap), numbered {@code block}. */
    public ScrapeResult scrape(List<PoolDescriptor> pools, BlockRef at, long block) {
        return scrape(pools, at, block, ALL_TICKS);
    }

    /**
     * Reads price, tick, liquidity and fees only (no tick bitmap, no ticks: the returned V3/V4 states have none):
     * a cheap first look at many pools.
     */
    public ScrapeResult scrapeSlots(List<PoolDescriptor> pools, long block) {
        return scrape(pools, BlockRef.number(block), block, NO_TICKS);
    }

    /**
     * Reads price, tick, liquidity and fees, and the initialised ticks near the price: those in the tick-bitmap words
     * that hold any tick within {@code tickRadius} of the pool's current tick (three rounds: state, those words, the
     * ticks they mark). The returned V3/V4 states hold only these ticks: exact for any swap that moves the tick by at
     * most {@code tickRadius} (a swap visits only the words between its start and its limit), not beyond. Costs a few
     * words per pool where {@link #scrape} reads every word of the tick range (6,932 for tick spacing 1).
     */
    public ScrapeResult scrapeNear(List<PoolDescriptor> pools, long block, int tickRadius) {
        if (tickRadius < 0) {
            throw new IllegalArgumentException("tick radius must not be negative: tickRadius=" + tickRadius);
        }
        return scrape(pools, BlockRef.number(block), block, tickRadius);
    }

    /**
     * How this scraper reads storage: the setting, or for {@code auto} the probe's outcome (made now if not yet, with a
     * pool of {@code pools} at {@code at}; {@link StorageReads#CALLS} while there is no V3/V4 pool to probe with).
     */
    public StorageReads storageReads(List<PoolDescriptor> pools, BlockRef at) {
        StorageReads d = decided;
        if (d != null) {
            return d;
        }
        synchronized (this) {
            if (decided == null) {
                PoolDescriptor probe = pools.stream().filter(p -> p.protocol() == Protocol.UNISWAP_V3).findFirst()
                        .or(() -> pools.stream().filter(p -> p.protocol() == Protocol.UNISWAP_V4).findFirst()).orElse(null);
                if (probe == null) {
                    return StorageReads.CALLS;
                }
                decided = probe(probe, at);
            }
            return decided;
        }
    }

    /**
     * Reads {@code pool}'s slot0 through the lens and by its own getter ({@code slot0()}; V4: {@code extsload}) at
     * {@code at}: {@link StorageReads#LENS} only when both answer and are equal. Logs one line with the choice.
     */
    private StorageReads probe(PoolDescriptor pool, BlockRef at) {
        String reason;
        try {
            Multicall3 mc = new Multicall3(eth, multicall, 1, 1);
            Multicall3.Call lensCall;
            Multicall3.Call ownCall;
            if (pool.protocol() == Protocol.UNISWAP_V3) {
                lensCall = new Multicall3.Call(pool.id().address(), StorageLens.slotsCall(List.of(V3StateLayout.SLOT0)));
                ownCall = new Multicall3.Call(pool.id().address(), SLOT0);
            } else {
                Bytes32 state = V4StateLayout.stateSlot(pool.id().v4Id());
                lensCall = new Multicall3.Call(pool.factory(), StorageLens.slotsCall(List.of(state)));
                ownCall = new Multicall3.Call(pool.factory(), EXTSLOAD.encodeCall(Tuple.singleton(new byte[][] {state.toBytes()})).array());
            }
            Multicall3.Result lens = mc.aggregateWithCode(List.of(List.of(lensCall)), at, StorageLens.CODE, settings.lensGas()).get(0).get(0);
            Multicall3.Result own = mc.aggregate(List.of(ownCall), at).get(0);
            if (!lens.success() || !own.success()) {
                reason = "lens call succeeded=" + lens.success() + " getter succeeded=" + own.success();
            } else {
                Bytes32 word = StorageLens.decodeSlots(lens.returnData(), 1).get(0);
                boolean equal;
                if (pool.protocol() == Protocol.UNISWAP_V3) {
                    V3StateLayout.Slot0 s = V3StateLayout.Slot0.unpack(word);
                    byte[] r = own.returnData();
                    equal = s.sqrtPriceX96().equals(AbiWords.uint(r, 0)) && s.tick() == AbiWords.int24(r, 1)
                            && s.observationIndex() == AbiWords.uint(r, 2).intValue() && s.observationCardinality() == AbiWords.uint(r, 3).intValue()
                            && s.observationCardinalityNext() == AbiWords.uint(r, 4).intValue() && s.feeProtocol() == AbiWords.uint(r, 5).intValue()
                            && s.unlocked() == (AbiWords.uint(r, 6).signum() != 0);
                } else {
                    byte[][] words = EXTSLOAD.decodeReturn(own.returnData()).get(0);
                    equal = words.length == 1 && Bytes32.wrap(words[0]).equals(word);
                }
                reason = equal ? null : "lens slot0 " + word + " differs from the getter's";
            }
        } catch (RuntimeException e) {
            reason = e.getMessage();
        }
        if (reason == null) {
            LOG.info("storage reads: lens (probe: slot0 of pool {} {} equal through the lens and its getter)", pool.id(), at);
            return StorageReads.LENS;
        }
        LOG.info("storage reads: calls (probe: slot0 of pool {} {} through the lens failed: {})", pool.id(), at, reason);
        return StorageReads.CALLS;
    }

    /** {@code ticks}: {@link #NO_TICKS}, {@link #ALL_TICKS}, or the radius in ticks around the current tick. */
    private ScrapeResult scrape(List<PoolDescriptor> pools, BlockRef at, long block, int ticks) {
        boolean withTicks = ticks == ALL_TICKS;
        boolean lens = storageReads(pools, at) == StorageReads.LENS;
        Map<PoolId, String> failures = new ConcurrentHashMap<>();
        Map<PoolId, PoolState> states = new HashMap<>();
        Map<PoolId, Partial> partials = new HashMap<>();
        Map<PoolId, BigInteger[]> reserves = new ConcurrentHashMap<>();
        List<Read> round1 = new ArrayList<>();
        for (PoolDescriptor d : pools) {
            switch (d.protocol()) {
                case UNISWAP_V2 -> round1.add(new Read(d.id(), "getReserves()", new Multicall3.Call(d.id().address(), GET_RESERVES),
                        r -> reserves.put(d.id(), new BigInteger[] {AbiWords.uint(r, 0), AbiWords.uint(r, 1)})));
                case UNISWAP_V3 -> {
                    Partial p = new Partial(d);
                    partials.put(d.id(), p);
                    v3Round1(p, round1, withTicks, lens);
                }
                case UNISWAP_V4 -> {
                    Partial p = new Partial(d);
                    partials.put(d.id(), p);
                    v4Round1(p, round1, withTicks, lens);
                }
            }
        }
        AtomicInteger requests = new AtomicInteger();
        run(round1, at, failures, requests);
        if (ticks != NO_TICKS && ticks != ALL_TICKS) {
            List<Read> words = new ArrayList<>();
            for (Partial p : partials.values()) {
                if (!failures.containsKey(p.d.id())) {
                    int spacing = p.d.tickSpacing();
                    int from = Math.max(minWord(spacing), wordOf((int) Math.max(TickMath.MIN_TICK, (long) p.tick - ticks), spacing));
                    int to = Math.min(maxWord(spacing), wordOf((int) Math.min(TickMath.MAX_TICK, (long) p.tick + ticks), spacing));
                    bitmap(p, words, from, to, lens);
                }
            }
            run(words, at, failures, requests);
        }
        List<Read> round2 = new ArrayList<>();
        for (Partial p : partials.values()) {
            if (failures.containsKey(p.d.id())) {
                continue;
            }
            List<Integer> initialized = initializedTicks(p);
            if (p.d.protocol() == Protocol.UNISWAP_V3 && lens) {
                List<Bytes32> slots = initialized.stream().map(V3StateLayout::tickSlot).toList();
                lensSlots(p, p.d.id().address(), "ticks", slots, round2, (i, word) -> {
                    V3StateLayout.TickLiquidity l = V3StateLayout.TickLiquidity.unpack(word);
                    putTick(p, initialized.get(i), l.gross(), l.net());
                });
            } else if (p.d.protocol() == Protocol.UNISWAP_V3) {
                for (int t : initialized) {
                    round2.add(new Read(p.d.id(), "ticks(" + t + ")", new Multicall3.Call(p.d.id().address(), AbiWords.call(TICKS, t)),
                            r -> putTick(p, t, AbiWords.uint(r, 0), AbiWords.int256(r, 1))));
                }
            } else {
                Bytes32 state = V4StateLayout.stateSlot(p.d.id().v4Id());
                List<Bytes32> slots = initialized.stream().map(t -> V4StateLayout.tickSlot(state, t)).toList();
                extsload(p, "ticks", slots, round2, (i, word) -> {
                    V3StateLayout.TickLiquidity l = V3StateLayout.TickLiquidity.unpack(word);
                    putTick(p, initialized.get(i), l.gross(), l.net());
                });
            }
        }
        run(round2, at, failures, requests);
        for (PoolDescriptor d : pools) {
            if (failures.containsKey(d.id())) {
                continue;
            }
            Partial p = partials.get(d.id());
            if (p == null) {
                BigInteger[] r = reserves.get(d.id());
                states.put(d.id(), new V2PoolState(d, r[0], r[1]));
            } else {
                states.put(d.id(), new ConcentratedPoolState(d, p.sqrtPrice, p.tick, p.liquidity, p.fee, p.protocolFee, p.ticks));
            }
        }
        return new ScrapeResult(block, states, failures, requests.get());
    }

    private void v3Round1(Partial p, List<Read> reads, boolean withTicks, boolean lens) {
        Address pool = p.d.id().address();
        PoolId id = p.d.id();
        if (lens) {
            lensSlots(p, pool, "slot0/liquidity", List.of(V3StateLayout.SLOT0, V3StateLayout.LIQUIDITY), reads, (i, word) -> {
                if (i == 0) {
                    V3StateLayout.Slot0 s = V3StateLayout.Slot0.unpack(word);
                    p.sqrtPrice = s.sqrtPriceX96();
                    p.tick = s.tick();
                } else {
                    p.liquidity = V3StateLayout.liquidity(word);
                }
            });
        } else {
            reads.add(new Read(id, "slot0()", new Multicall3.Call(pool, SLOT0), r -> {
                p.sqrtPrice = AbiWords.uint(r, 0);
                p.tick = AbiWords.int24(r, 1);
            }));
            reads.add(new Read(id, "liquidity()", new Multicall3.Call(pool, LIQUIDITY), r -> p.liquidity = AbiWords.uint(r, 0)));
        }
        reads.add(new Read(id, "fee()", new Multicall3.Call(pool, FEE), r -> {
            p.fee = AbiWords.uint(r, 0).intValueExact();
            if (p.fee != p.d.fee()) {
                throw new IllegalStateException("fee " + p.fee + " differs from the whitelist's " + p.d.fee());
            }
        }));
        reads.add(new Read(id, "tickSpacing()", new Multicall3.Call(pool, TICK_SPACING), r -> {
            int spacing = AbiWords.int24(r, 0);
            if (spacing != p.d.tickSpacing()) {
                throw new IllegalStateException("tick spacing " + spacing + " differs from the whitelist's " + p.d.tickSpacing());
            }
        }));
        if (withTicks) {
            bitmap(p, reads, minWord(p.d.tickSpacing()), maxWord(p.d.tickSpacing()), lens);
        }
    }

    /**
     * Adds reads of the pool's tick-bitmap words {@code fromWord}..{@code toWord}: through the lens, a scan returning
     * the non-empty words; else V3 {@code tickBitmap(int16)} calls, V4 {@code extsload}.
     */
    private void bitmap(Partial p, List<Read> reads, int fromWord, int toWord, boolean lens) {
        boolean v3 = p.d.protocol() == Protocol.UNISWAP_V3;
        if (lens) {
            Bytes32 base = v3 ? V3StateLayout.TICK_BITMAP : V4StateLayout.bitmapBase(V4StateLayout.stateSlot(p.d.id().v4Id()));
            lensScan(p, v3 ? p.d.id().address() : p.d.factory(), base, fromWord, toWord, reads);
        } else if (v3) {
            Address pool = p.d.id().address();
            for (int w = fromWord; w <= toWord; w++) {
                int word = w;
                reads.add(new Read(p.d.id(), "tickBitmap(" + w + ")", new Multicall3.Call(pool, AbiWords.call(TICK_BITMAP, w)), r -> {
                    BigInteger bits = AbiWords.uint(r, 0);
                    if (bits.signum() != 0) {
                        synchronized (p) {
                            p.words.put(word, bits);
                        }
                    }
                }));
            }
        } else {
            Bytes32 state = V4StateLayout.stateSlot(p.d.id().v4Id());
            List<Bytes32> slots = new ArrayList<>();
            List<Integer> words = new ArrayList<>();
            for (int w = fromWord; w <= toWord; w++) {
                slots.add(V4StateLayout.bitmapSlot(state, w));
                words.add(w);
            }
            extsload(p, "tickBitmap", slots, reads, (i, word) -> {
                if (!word.equals(Bytes32.ZERO)) {
                    synchronized (p) {
                        p.words.put(words.get(i), word.toBigInteger());
                    }
                }
            });
        }
    }

    private void v4Round1(Partial p, List<Read> reads, boolean withTicks, boolean lens) {
        Bytes32 state = V4StateLayout.stateSlot(p.d.id().v4Id());
        extsload(p, "slot0/liquidity", List.of(state, V4StateLayout.offset(state, V4StateLayout.LIQUIDITY_OFFSET)), reads, (i, word) -> {
            if (i == 0) {
                V4StateLayout.Slot0 s = V4StateLayout.Slot0.unpack(word);
                if (s.sqrtPriceX96().signum() == 0) {
                    throw new IllegalStateException("pool is not initialised");
                }
                p.sqrtPrice = s.sqrtPriceX96();
                p.tick = s.tick();
                p.fee = s.lpFee();
                p.protocolFee = s.protocolFee();
            } else {
                p.liquidity = word.toBigInteger();
            }
        });
        if (withTicks) {
            bitmap(p, reads, minWord(p.d.tickSpacing()), maxWord(p.d.tickSpacing()), lens);
        }
    }

    /**
     * Adds lens scans of the pool's tick-bitmap words {@code min}..{@code max} ({@code mapping(int16 => uint256)} at
     * {@code base} in the storage of {@code target}), split into word ranges that each fit the lens gas budget; the
     * non-empty words go to the pool.
     */
    private void lensScan(Partial p, Address target, Bytes32 base, int min, int max, List<Read> reads) {
        int perCall = (int) Math.max(1, (settings.lensBudget() - StorageLens.GAS_PER_CALL) / StorageLens.GAS_PER_WORD);
        for (long from = min; from <= max; from += perCall) {
            int first = (int) from;
            int last = (int) Math.min(max, from + perCall - 1);
            reads.add(new Read(p.d.id(), "lens scan tickBitmap [" + first + ".." + last + "]",
                    new Multicall3.Call(target, StorageLens.scanCall(base, first, last)), StorageLens.scanGas(last - first + 1), r -> {
                        Map<Integer, BigInteger> words = StorageLens.decodeScan(r, first, last);
                        synchronized (p) {
                            p.words.putAll(words);
                        }
                    }));
        }
    }

    /** Adds lens reads of {@code slots} in the storage of {@code target}, in chunks of at most {@code slotsPerExtsload} and the gas budget. */
    private void lensSlots(Partial p, Address target, String what, List<Bytes32> slots, List<Read> reads, SlotSink sink) {
        int perCall = (int) Math.max(1, Math.min(settings.slotsPerExtsload(), (settings.lensBudget() - StorageLens.GAS_PER_CALL) / StorageLens.GAS_PER_SLOT));
        for (int from = 0; from < slots.size(); from += perCall) {
            int to = Math.min(slots.size(), from + perCall);
            List<Bytes32> chunk = slots.subList(from, to);
            int offset = from;
            reads.add(new Read(p.d.id(), "lens " + what + " [" + from + ".." + (to - 1) + "]", new Multicall3.Call(target, StorageLens.slotsCall(chunk)),
                    StorageLens.slotsGas(chunk.size()), r -> {
                        List<Bytes32> words = StorageLens.decodeSlots(r, chunk.size());
                        for (int i = 0; i < words.size(); i++) {
                            sink.accept(offset + i, words.get(i));
                        }
                    }));
        }
    }

    /** Adds reads of {@code slots} through {@code extsload(bytes32[])} on the pool's PoolManager, in chunks. */
    private void extsload(Partial p, String what, List<Bytes32> slots, List<Read> reads, SlotSink sink) {
        Address manager = p.d.factory();
        for (int from = 0; from < slots.size(); from += settings.slotsPerExtsload()) {
            int to = Math.min(slots.size(), from + settings.slotsPerExtsload());
            byte[][] arg = new byte[to - from][];
            for (int i = from; i < to; i++) {
                arg[i - from] = slots.get(i).toBytes();
            }
            int offset = from;
            int count = to - from;
            reads.add(new Read(p.d.id(), "extsload " + what + " [" + from + ".." + (to - 1) + "]",
                    new Multicall3.Call(manager, EXTSLOAD.encodeCall(Tuple.singleton(arg)).array()), r -> {
                        byte[][] words = EXTSLOAD.decodeReturn(r).get(0);
                        if (words.length != count) {
                            throw new IllegalStateException("extsload returned " + words.length + " slots for " + count);
                        }
                        for (int i = 0; i < count; i++) {
                            sink.accept(offset + i, Bytes32.wrap(words[i]));
                        }
                    }));
        }
    }

    private interface SlotSink {
        void accept(int index, Bytes32 word);
    }

    private static void putTick(Partial p, int tick, BigInteger gross, BigInteger net) {
        if (gross.signum() == 0) {
            throw new IllegalStateException("bitmap marks tick " + tick + " initialised but its liquidityGross is 0");
        }
        synchronized (p) {
            p.ticks.put(tick, new TickInfo(gross, net));
        }
    }

    private static List<Integer> initializedTicks(Partial p) {
        List<Integer> out = new ArrayList<>();
        int spacing = p.d.tickSpacing();
        for (Map.Entry<Integer, BigInteger> e : p.words.entrySet()) {
            BigInteger bits = e.getValue();
            for (int b = bits.getLowestSetBit(); b >= 0 && b < 256; b = nextSetBit(bits, b + 1)) {
                out.add((e.getKey() * 256 + b) * spacing);
            }
        }
        return out;
    }

    private static int nextSetBit(BigInteger bits, int from) {
        for (int b = from; b < 256; b++) {
            if (bits.testBit(b)) {
                return b;
            }
        }
        return -1;
    }

    /** The bitmap word holding {@code tick} (v3-core {@code TickBitmap.position} of the compressed tick). */
    static int wordOf(int tick, int spacing) {
        return Math.floorDiv(Math.floorDiv(tick, spacing), 256);
    }

    /** The first and last bitmap words that can hold a usable tick for this spacing. */
    static int minWord(int spacing) {
        return wordOf(TickMath.MIN_TICK, spacing);
    }

    static int maxWord(int spacing) {
        return wordOf(TickMath.MAX_TICK, spacing);
    }

    /**
     * Executes reads in chunks, several requests at once; failures are recorded per pool. Plain calls travel in
     * multicalls of {@code callsPerMulticall}; lens calls in multicalls packed up to the lens gas budget (and
     * {@code callsPerMulticall}), the lens placed at their targets; {@code multicallsPerRequest} multicalls per request.
     * Every chunk's outcome is collected: a read that was never answered (a chunk that failed in an unexpected way)
     * fails its pool, so no pool is ever built from part of its reads.
     */
    private void run(List<Read> reads0, BlockRef at, Map<PoolId, String> failures, AtomicInteger requests) {
        if (reads0.isEmpty()) {
            return;
        }
        List<Read> reads = new ArrayList<>(reads0.size());
        reads0.stream().filter(r -> r.lensGas() == 0).forEach(reads::add);
        int firstLens = reads.size();
        reads0.stream().filter(r -> r.lensGas() > 0).forEach(reads::add);
        List<int[]> chunks = new ArrayList<>();
        int perRequest = settings.callsPerMulticall() * settings.multicallsPerRequest();
        for (int from = 0; from < firstLens; from += perRequest) {
            chunks.add(new int[] {from, Math.min(firstLens, from + perRequest)});
        }
        lensChunks(reads, firstLens, chunks);
        Multicall3 mc = new Multicall3(eth, multicall, settings.callsPerMulticall(), settings.multicallsPerRequest());
        Semaphore inFlight = new Semaphore(settings.concurrency());
        boolean[] answered = new boolean[reads.size()];
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int[] c : chunks) {
                List<Read> chunk = reads.subList(c[0], c[1]);
                boolean lens = c[0] >= firstLens;
                futures.add(pool.submit(() -> {
                    inFlight.acquireUninterruptibly();
                    try {
                        requests.incrementAndGet();
                        runChunk(mc, chunk, lens, at, failures, answered, c[0]);
                    } finally {
                        inFlight.release();
                    }
                }));
            }
        }
        for (java.util.concurrent.Future<?> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                // recorded below: the chunk's reads stay unanswered
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CancellationException("scrape interrupted");
            }
        }
        for (int i = 0; i < answered.length; i++) {
            if (!answered[i]) {
                Read r = reads.get(i);
                failures.putIfAbsent(r.pool(), r.what() + " at " + at + " got no answer");
            }
        }
    }

    /** Adds chunks (index ranges) of the lens reads from {@code firstLens}: requests of multicalls packed by gas. */
    private void lensChunks(List<Read> reads, int firstLens, List<int[]> chunks) {
        int from = firstLens;
        int multicalls = 0;
        long gas = 0;
        int calls = 0;
        for (int i = firstLens; i < reads.size(); i++) {
            long g = reads.get(i).lensGas();
            if (calls > 0 && (gas + g > settings.lensBudget() || calls == settings.callsPerMulticall())) {
                multicalls++;
                gas = 0;
                calls = 0;
                if (multicalls == settings.multicallsPerRequest()) {
                    chunks.add(new int[] {from, i});
                    from = i;
                    multicalls = 0;
                }
            }
            gas += g;
            calls++;
        }
        if (from < reads.size()) {
            chunks.add(new int[] {from, reads.size()});
        }
    }

    /** Splits a lens chunk into its multicalls, by the same packing as {@link #lensChunks}. */
    private List<List<Multicall3.Call>> lensGroups(List<Read> chunk) {
        List<List<Multicall3.Call>> groups = new ArrayList<>();
        List<Multicall3.Call> group = new ArrayList<>();
        long gas = 0;
        for (Read r : chunk) {
            if (!group.isEmpty() && (gas + r.lensGas() > settings.lensBudget() || group.size() == settings.callsPerMulticall())) {
                groups.add(group);
                group = new ArrayList<>();
                gas = 0;
            }
            group.add(r.call());
            gas += r.lensGas();
        }
        groups.add(group);
        return groups;
    }

    private void runChunk(Multicall3 mc, List<Read> chunk, boolean lens, BlockRef at, Map<PoolId, String> failures, boolean[] answered, int first) {
        List<Multicall3.Result> results;
        try {
            if (lens) {
                results = new ArrayList<>(chunk.size());
                mc.aggregateWithCode(lensGroups(chunk), at, StorageLens.CODE, settings.lensGas()).forEach(results::addAll);
            } else {
                results = mc.aggregate(chunk.stream().map(Read::call).toList(), at);
            }
            if (results.size() != chunk.size()) {
                throw new IllegalStateException("multicall answered " + results.size() + " results for " + chunk.size() + " calls");
            }
        } catch (RuntimeException e) {
            for (Read r : chunk) {
                failures.putIfAbsent(r.pool(), r.what() + " at " + at + " failed: " + e.getMessage());
            }
            return;
        }
        for (int i = 0; i < chunk.size(); i++) {
            Read r = chunk.get(i);
            Multicall3.Result res = results.get(i);
            answered[first + i] = true;
            if (!res.success()) {
                failures.putIfAbsent(r.pool(), r.what() + " reverted at " + at + (r.lensGas() > 0 ? " (lens, out of gas?)" : ""));
                continue;
            }
            try {
                r.sink().accept(res.returnData());
            } catch (RuntimeException e) {
                failures.putIfAbsent(r.pool(), r.what() + " at " + at + ": " + e.getMessage());
            }
        }
    }
}
