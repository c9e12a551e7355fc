package io.poolstate.bench;

import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.WriterIdle;
import io.poolstate.arena.ArenaView;
import io.poolstate.arena.PoolCatalog;
import io.poolstate.arena.checkpoint.CheckpointStore;
import io.poolstate.arena.http.ArenaHttpServer;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.traffic.TrafficGenerator;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.scrape.StorageReads;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.v3.V3StateLayout;
import io.poolstate.dex.v4.V4StateLayout;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;
import io.poolstate.eth.lens.StorageLens;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.JsonRpcClient;
import io.poolstate.feed.chain.FeedAgent;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.feed.socket.BlockFrames;
import io.poolstate.feed.socket.FrameServer;
import io.poolstate.feed.whitelist.Whitelist;
import io.poolstate.feed.whitelist.WhitelistTracker;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The arena on the saved 10,000-pool devnet ({@link BigDevnet}: V2/V3/V4, 50–500 initialised ticks per V3/V4 pool), in
 * one run: (1) the node's own single-stream rates: Multicall3 sub-calls, {@code extsload} slots, storage-lens bitmap words
 * scanned and lens slots (lens calls through Multicall3 and, for comparison, as a JSON-RPC batch of plain calls);
 * (2) optionally, a full scrape of N pools (V2/V3/V4 in the devnet's proportions, spread over the list) at each scrape
 * concurrency through the lens, and once through the getters; (3) the feed and the arena cold-started with traffic
 * running, to live, with the ratio of the scrape to the node's rates, and the heap each holds after a full GC; (4) a checkpoint
 * of the live state written and read back (time, size); (5) an arena resumed from that checkpoint on a
 * harness-driven feed socket: block apply median and p99 for blocks of 200 events; (6) {@code /v1/pools/{id}} and
 * quote requests per second. Usage: {@code java -Xms3g -Xmx3g -XX:+AlwaysPreTouch -cp benchmarks.jar io.poolstate.bench.ArenaScaleHarness [pools]
 * [concurrency-table-pools] [minTicks] [maxTicks] [traffic-pause-ms] [warm-up-blocks]} (defaults 10000 0 50 500 2000 and the arena's default warm-up). The cold start's traffic
 * mines a block of 20 transactions, waits {@code traffic-pause-ms}, and again: by default a block every 3 s or so, four times
 * mainnet's pace. The node's rates are measured once on an idle node and once with that traffic running, and the cold start
 * is compared with both. Anvil spends about 1.1 s of CPU on each block it mines at 10,000 pools, whatever it holds
 * ({@link AnvilMiningHarness}): with short pauses (200 ms, the default before) mining keeps most of its core busy and the
 * cold start measures how little of the node is left for reads, 11–19 % of its idle rate (docs/BENCHMARKS.md). Give {@code -Xms} equal to {@code -Xmx}, and {@code -XX:+AlwaysPreTouch}: the
 * heap figures' full collections otherwise shrink the heap, and the first block-apply phase runs while it grows back
 * (frequent long young pauses, concurrent cycles), its allocations taking a page fault at each new page of the heap
 * (the arena's launcher sets {@code -XX:+AlwaysPreTouch} for the same reason). That phase was 1.5–3.7× the later ones in
 * eight runs without a fixed heap, and 1.05–1.8× in three runs with one (docs/BENCHMARKS.md).
 */
public final class ArenaScaleHarness {
    private ArenaScaleHarness() {
    }

    public static void main(String[] args) throws Exception {
        int poolCount = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int tablePools = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        int minTicks = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int maxTicks = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        int trafficPauseMs = args.length > 4 ? Integer.parseInt(args[4]) : 2000;
        int warmUpBlocks = args.length > 5 ? Integer.parseInt(args[5]) : ArenaAgent.Settings.DEFAULT_WARM_UP_BLOCKS;
        Path dir = Files.createTempDirectory("arena-scale");
        long t0 = System.nanoTime();
        try (Devnet devnet = BigDevnet.start(31545, dir.resolve("devnet"), poolCount, minTicks, maxTicks);
             EthClient ws = EthClient.open(devnet.deployment().wsUrl())) {
            Deployment d = devnet.deployment();
            System.out.printf("devnet: %d pools restored in %.1f s (load %s)%n", d.pools().size(), (System.nanoTime() - t0) / 1e9, load());
            devnet.chain().mineEmpty();
            long block = devnet.eth().blockNumber() - 1;
            Rates rates = nodeRates(devnet, d, block, false);
            ScrapeSettings coldSettings = ScrapeSettings.DEFAULT;
            if (tablePools > 0) {
                int best = concurrencyTable(devnet, mixed(d.pools(), tablePools), block, rates);
                long head = devnet.eth().blockNumber();
                System.out.printf("all %d pools through the lens at concurrency %d, at the head (block %d), no traffic, no feed:%n", d.pools().size(), best, head);
                tableRow(devnet, d.pools(), head, rates, ScrapeSettings.DEFAULT.withStorageReads(StorageReads.LENS).withConcurrency(best));
                System.out.printf("cold start below with the table's fastest concurrency, %d (default %d)%n", best, ScrapeSettings.DEFAULT.concurrency());
                coldSettings = coldSettings.withConcurrency(best);
            }
            Path checkpoint = dir.resolve("arena.checkpoint");
            System.out.printf("arena start-up warm-up: %d synthetic blocks (once in this process, with the first arena)%n", warmUpBlocks);
            ArenaView live = coldStart(devnet, ws, d, dir, checkpoint, rates, coldSettings, trafficPauseMs, warmUpBlocks);
            applyAndApi(devnet.eth(), d.chainId(), d.pools(), dir, checkpoint, live.blockNumber(), live.blockHash(), live.pools().size(), warmUpBlocks);
        }
    }

    static String load() {
        return String.format("%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** The node's single-stream rates at {@code block}, printed ({@code busy}: with the cold start's traffic running). */
    private static Rates nodeRates(Devnet devnet, Deployment d, long block, boolean busy) {
        double mcRate = multicallRate(devnet, d, block);
        double slotRate = extsloadRate(devnet, d, block);
        System.out.printf("node, one stream%s: %.0f Multicall3 sub-calls/s (aggregate3 of 500 slot0() calls, 2 per request); %.0f extsload slots/s"
                + " (1,000 slots per call, 2 calls per request) (load %s)%n", busy ? " (traffic running)" : "", mcRate, slotRate, load());
        return lensRates(devnet, d, block, mcRate, slotRate, busy);
    }

    private static double multicallRate(Devnet devnet, Deployment d, long block) {
        List<PoolDescriptor> v3 = d.pools(Protocol.UNISWAP_V3);
        List<Multicall3.Call> sub = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            sub.add(new Multicall3.Call(v3.get(i % v3.size()).id().address(), Hex.decode("0x3850c7bd")));
        }
        Multicall3 mc = new Multicall3(devnet.eth(), Multicall3.CANONICAL, 500, 2);
        mc.aggregate(sub.subList(0, 2000), BlockRef.number(block));
        long t0 = System.nanoTime();
        mc.aggregate(sub, BlockRef.number(block));
        return sub.size() / ((System.nanoTime() - t0) / 1e9);
    }

    private static double extsloadRate(Devnet devnet, Deployment d, long block) {
        com.esaulpaugh.headlong.abi.Function extsload = com.esaulpaugh.headlong.abi.Function.parse("extsload(bytes32[])", "(bytes32[])");
        List<PoolDescriptor> v4 = d.pools(Protocol.UNISWAP_V4);
        List<JsonRpcClient.Call> calls = new ArrayList<>();
        for (int c = 0; c < 40; c++) {
            byte[][] slots = new byte[1000][];
            for (int i = 0; i < 1000; i++) {
                Bytes32 state = V4StateLayout.stateSlot(v4.get((c * 1000 + i) % v4.size()).id().v4Id());
                slots[i] = V4StateLayout.bitmapSlot(state, i % 7 - 3).toBytes();
            }
            String data = Hex.encode(extsload.encodeCallWithArgs((Object) slots).array());
            calls.add(new JsonRpcClient.Call("eth_call", List.of(Map.of("to", d.contracts().poolManager().toString(), "data", data), Hex.quantity(block))));
        }
        devnet.eth().rpc().batch(calls.subList(0, 2));
        long t0 = System.nanoTime();
        for (int i = 0; i < calls.size(); i += 2) {
            devnet.eth().rpc().batch(calls.subList(i, i + 2));
        }
        return 40_000 / ((System.nanoTime() - t0) / 1e9);
    }

    /** The node's own single-stream rates: Multicall3 sub-calls, extsload slots, lens bitmap words scanned and lens slots, per second. */
    record Rates(double subCalls, double extsloadSlots, double lensWords, double lensSlots) {
        /** Seconds one stream needs for {@code w}. */
        double seconds(Work w) {
            return w.subCalls / subCalls + w.extsloadSlots / extsloadSlots + w.lensWords / lensWords + w.lensSlots / lensSlots;
        }
    }

    /** What a full scrape asks of the node. */
    record Work(long subCalls, long extsloadSlots, long lensWords, long lensSlots) {
        @Override
        public String toString() {
            return String.format("%,d Multicall3 sub-calls + %,d extsload slots + %,d lens bitmap words + %,d lens slots", subCalls, extsloadSlots,
                    lensWords, lensSlots);
        }
    }

    /**
     * The node's lens rates on one stream, the lens calls packed as the scraper packs them (Multicall3, 40 M gas per call, 2
     * calls per request): bitmap words scanned (the first V3 pools, whole bitmaps, until 1,000,000 words) and slots (1,000
     * tick slots per lens call); the scan also as a JSON-RPC batch of one plain call per pool (the same pools per request).
     */
    private static Rates lensRates(Devnet devnet, Deployment d, long block, double mcRate, double slotRate, boolean busy) {
        List<PoolDescriptor> v3 = d.pools(Protocol.UNISWAP_V3);
        List<Multicall3.Call> scans = new ArrayList<>();
        List<Long> gas = new ArrayList<>();
        long words = 0;
        for (int i = 0; i < v3.size() && words < 1_000_000; i++) {
            PoolDescriptor p = v3.get(i);
            int n = (int) words(p.tickSpacing());
            int first = Math.floorDiv(Math.floorDiv(-887272, p.tickSpacing()), 256);
            scans.add(new Multicall3.Call(p.id().address(), StorageLens.scanCall(V3StateLayout.TICK_BITMAP, first, first + n - 1)));
            gas.add(StorageLens.scanGas(n));
            words += n;
        }
        List<List<Multicall3.Call>> groups = pack(scans, gas);
        Multicall3 mc = new Multicall3(devnet.eth(), Multicall3.CANONICAL, 500, 2);
        BlockRef at = BlockRef.number(block);
        double scanRate = 0;
        double batchRate = 0;
        for (int round = 0; round < 2; round++) { // the second round of each counts: both read warm state
            long t0 = System.nanoTime();
            for (int i = 0; i < groups.size(); i += 2) {
                mc.aggregateWithCode(groups.subList(i, Math.min(groups.size(), i + 2)), at, StorageLens.CODE, ScrapeSettings.DEFAULT_LENS_GAS);
            }
            scanRate = words / ((System.nanoTime() - t0) / 1e9);
            long t1 = System.nanoTime();
            for (int i = 0; i < groups.size(); i += 2) {
                List<Multicall3.Call> calls = new ArrayList<>();
                groups.subList(i, Math.min(groups.size(), i + 2)).forEach(calls::addAll);
                for (StorageLens.Answer a : StorageLens.call(devnet.eth(), calls, at, ScrapeSettings.DEFAULT_LENS_GAS)) {
                    if (!(a instanceof StorageLens.Answer.Data)) {
                        throw new IllegalStateException("lens scan as a plain call failed: " + a);
                    }
                }
            }
            batchRate = words / ((System.nanoTime() - t1) / 1e9);
        }
        List<Multicall3.Call> slotCalls = new ArrayList<>();
        List<Long> slotGas = new ArrayList<>();
        for (int c = 0; c < 40; c++) {
            List<Bytes32> slots = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                slots.add(V3StateLayout.tickSlot(i - 500));
            }
            slotCalls.add(new Multicall3.Call(v3.get(c % v3.size()).id().address(), StorageLens.slotsCall(slots)));
            slotGas.add(StorageLens.slotsGas(1000));
        }
        List<List<Multicall3.Call>> slotGroups = pack(slotCalls, slotGas);
        long t2 = System.nanoTime();
        for (int i = 0; i < slotGroups.size(); i += 2) {
            mc.aggregateWithCode(slotGroups.subList(i, Math.min(slotGroups.size(), i + 2)), at, StorageLens.CODE, ScrapeSettings.DEFAULT_LENS_GAS);
        }
        double lensSlotRate = 40_000 / ((System.nanoTime() - t2) / 1e9);
        System.out.printf("node, one stream%s, storage lens: %.0f bitmap words/s scanned through Multicall3 (%,d words of %d V3 pools, %d lens calls of"
                + " <= 40 M gas, 2 per request), %.0f words/s as a JSON-RPC batch of one plain call per pool (the same pools per request); %.0f lens"
                + " slots/s (1,000 per lens call) (load %s)%n", busy ? " (traffic running)" : "", scanRate, words, scans.size(), groups.size(), batchRate, lensSlotRate, load());
        return new Rates(mcRate, slotRate, scanRate, lensSlotRate);
    }

    /** Calls packed into lens calls of at most 80% of the default lens gas, as the scraper packs them. */
    private static List<List<Multicall3.Call>> pack(List<Multicall3.Call> calls, List<Long> gas) {
        long budget = ScrapeSettings.DEFAULT.lensBudget();
        List<List<Multicall3.Call>> out = new ArrayList<>();
        List<Multicall3.Call> group = new ArrayList<>();
        long used = 0;
        for (int i = 0; i < calls.size(); i++) {
            if (!group.isEmpty() && used + gas.get(i) > budget) {
                out.add(group);
                group = new ArrayList<>();
                used = 0;
            }
            group.add(calls.get(i));
            used += gas.get(i);
        }
        out.add(group);
        return out;
    }

    /** About {@code n} pools with V2/V3/V4 in the list's proportions, each protocol's share spread evenly over its pools. */
    static List<PoolDescriptor> mixed(List<PoolDescriptor> all, int n) {
        List<PoolDescriptor> out = new ArrayList<>();
        for (Protocol protocol : Protocol.values()) {
            List<PoolDescriptor> of = all.stream().filter(p -> p.protocol() == protocol).toList();
            int share = (int) Math.round((double) n * of.size() / all.size());
            for (int i = 0; i < share; i++) {
                out.add(of.get((int) ((long) i * of.size() / share)));
            }
        }
        return out;
    }

    /** What a full scrape of {@code pools} asked of the node, from what it read and how it read storage. */
    private static Work work(List<PoolDescriptor> pools, ScrapeResult r, StorageReads reads) {
        long sub = 0;
        long slots = 0;
        long lensWords = 0;
        long lensSlots = 0;
        boolean lens = reads == StorageReads.LENS;
        for (PoolDescriptor p : pools) {
            int ticks = r.states().get(p.id()) instanceof io.poolstate.dex.state.ConcentratedPoolState c ? c.ticks().size() : 0;
            switch (p.protocol()) {
                case UNISWAP_V2 -> sub += 1;
                case UNISWAP_V3 -> {
                    if (lens) {
                        sub += 2;
                        lensSlots += 2 + ticks;
                        lensWords += words(p.tickSpacing());
                    } else {
                        sub += 4 + words(p.tickSpacing()) + ticks;
                    }
                }
                case UNISWAP_V4 -> {
                    slots += 2 + ticks;
                    if (lens) {
                        lensWords += words(p.tickSpacing());
                    } else {
                        slots += words(p.tickSpacing());
                    }
                }
            }
        }
        return new Work(sub, slots, lensWords, lensSlots);
    }

    private static long words(int spacing) {
        return Math.floorDiv(Math.floorDiv(887272, spacing), 256) - Math.floorDiv(Math.floorDiv(-887272, spacing), 256) + 1;
    }

    /** A full scrape of {@code pools} through the lens at concurrency 1, 2, 4, 8 and once through the getters at 4; the fastest lens concurrency. */
    private static int concurrencyTable(Devnet devnet, List<PoolDescriptor> pools, long block, Rates rates) {
        long[] count = new long[3];
        pools.forEach(p -> count[p.protocol().ordinal()]++);
        System.out.printf("scrape concurrency table, %d pools (%d V2, %d V3, %d V4, spread over the list) at block %d:%n", pools.size(), count[0], count[1],
                count[2], block);
        int best = 0;
        double bestSeconds = Double.MAX_VALUE;
        for (int c : new int[] {1, 2, 4, 8}) {
            double sec = tableRow(devnet, pools, block, rates, ScrapeSettings.DEFAULT.withStorageReads(StorageReads.LENS).withConcurrency(c));
            if (sec < bestSeconds) {
                bestSeconds = sec;
                best = c;
            }
        }
        tableRow(devnet, pools, block, rates, ScrapeSettings.DEFAULT.withStorageReads(StorageReads.CALLS).withConcurrency(4));
        // what the cold start adds: a block pinned by hash below the head, and traffic mining on the same node
        ScrapeSettings lens4 = ScrapeSettings.DEFAULT.withStorageReads(StorageReads.LENS).withConcurrency(4);
        BlockHeader pinned = devnet.eth().latestHeader();
        for (int i = 0; i < 20; i++) {
            devnet.chain().mineEmpty();
        }
        System.out.printf("  the lens row again, pinned by hash at block %d, 20 blocks below the head:%n", pinned.number());
        tableRow(devnet, pools, BlockRef.hash(pinned.hash()), pinned.number(), rates, lens4);
        TrafficGenerator traffic = new TrafficGenerator(devnet.chain(), devnet.deployment(), new TrafficGenerator.Options(Integer.MAX_VALUE, 3, 20, 0, 1));
        Thread t = Thread.ofPlatform().start(() -> traffic.run((n, txs) -> ArenaHarness.sleep(200)));
        ArenaHarness.sleep(2000);
        long head = devnet.eth().blockNumber();
        System.out.printf("  the lens row again, at block %d, with the cold start's traffic running (20 txs every 200 ms):%n", head);
        tableRow(devnet, pools, BlockRef.number(head), head, rates, lens4);
        traffic.stop();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return best;
    }

    private static double tableRow(Devnet devnet, List<PoolDescriptor> pools, long block, Rates rates, ScrapeSettings s) {
        return tableRow(devnet, pools, BlockRef.number(block), block, rates, s);
    }

    private static double tableRow(Devnet devnet, List<PoolDescriptor> pools, BlockRef at, long block, Rates rates, ScrapeSettings s) {
        long t0 = System.nanoTime();
        ScrapeResult r = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, s).scrape(pools, at, block);
        double sec = (System.nanoTime() - t0) / 1e9;
        Work w = work(pools, r, s.storageReads());
        System.out.printf("  %s, concurrency %d: %.1f s, %d failed, %d requests, %s; ratio to one node stream %.2f (load %s)%n", s.storageReads(),
                s.concurrency(), sec, r.failures().size(), r.rpcRequests(), w, rates.seconds(w) / sec, load());
        return sec;
    }

    /** CPU time the arena's writer thread has used so far. */
    private static long writerCpuNanos() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("arena-writer")) {
                return mx.getThreadCpuTime(t.threadId());
            }
        }
        throw new IllegalStateException("no arena-writer thread");
    }

    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static ArenaView coldStart(Devnet devnet, EthClient ws, Deployment d, Path dir, Path checkpoint, Rates rates, ScrapeSettings scrape,
                                       int trafficPauseMs, int warmUpBlocks) throws Exception {
        FeedMetrics feedMetrics = new FeedMetrics();
        long base = heapAfterGc();
        WhitelistTracker whitelist = new WhitelistTracker(Set.of(d.contracts().poolManager()), WhitelistFold.Guard.NONE);
        whitelist.offer(WhitelistMessage.full("devnet", 1, Instant.now(), d.pools()));
        TrafficGenerator traffic = new TrafficGenerator(devnet.chain(), d, new TrafficGenerator.Options(Integer.MAX_VALUE, 3, 20, 0, 1));
        try (FrameServer server = new FrameServer(dir.resolve("feed.sock"), d.chainId(), 256, new FrameServer.Limits(100_000, 2_000), feedMetrics).start();
             FeedAgent feed = new FeedAgent(ws, whitelist, server, feedMetrics, FeedAgent.Settings.DEFAULT).start()) {
            java.util.concurrent.atomic.AtomicLong mined = new java.util.concurrent.atomic.AtomicLong();
            Thread t = Thread.ofPlatform().start(() -> traffic.run((n, txs) -> {
                mined.incrementAndGet();
                ArenaHarness.sleep(trafficPauseMs);
            }));
            ArenaHarness.sleep(3000);
            // the node's rates again, with the traffic running: what it can give the cold start besides mining
            long busyBlock = devnet.eth().blockNumber() - 1;
            long m0 = mined.get();
            long b0 = System.nanoTime();
            Rates busy = nodeRates(devnet, d, busyBlock, true);
            System.out.printf("node, one stream, with the cold start's traffic running (a block of 20 txs, then %d ms, and again: %d blocks mined in %.1f s):"
                    + " %.0f Multicall3 sub-calls/s, %.0f extsload slots/s, %.0f lens bitmap words/s, %.0f lens slots/s (load %s)%n", trafficPauseMs,
                    mined.get() - m0, (System.nanoTime() - b0) / 1e9, busy.subCalls(), busy.extsloadSlots(), busy.lensWords(), busy.lensSlots(), load());
            long feedHeap = heapAfterGc() - base;
            System.out.printf("feed: heap after full GC with a %d-pool whitelist, following the chain: %.1f MiB (load %s)%n", d.pools().size(),
                    feedHeap / 1048576.0, load());
            long before = heapAfterGc();
            long t0 = System.nanoTime();
            ArenaMetrics metrics = new ArenaMetrics();
            ArenaView v;
            ArenaAgent.Settings settings = new ArenaAgent.Settings(ArenaAgent.Settings.DEFAULT.bufferBlocks(), ArenaAgent.Settings.DEFAULT.journalDepth(),
                    scrape, 0, 0, null, ArenaAgent.Settings.DEFAULT.checkpointEvery(), 0, ArenaAgent.Settings.DEFAULT.feedReadDeadline(),
                    ArenaAgent.Settings.DEFAULT.metadataWait(), ArenaAgent.Settings.DEFAULT.writerIdle(), warmUpBlocks);
            try (ArenaAgent arena = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, server.path(), PoolCatalog.of(d.pools()), settings, metrics).start()) {
                while (arena.view().mode() != ArenaMode.LIVE) {
                    Thread.sleep(5);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                v = arena.view();
                long pinned = v.scrapedAt().values().iterator().next();
                double scrapeSeconds = metrics.scrapeDuration.totalTime(TimeUnit.NANOSECONDS) / 1e9;
                ScrapeResult shape = new ScrapeResult(pinned, toStates(v), Map.of(), 0);
                StorageReads reads = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, scrape).storageReads(d.pools(), BlockRef.number(pinned));
                Work w = work(d.pools(), shape, reads);
                long ticks = v.pools().values().stream().mapToLong(p -> p instanceof PoolSnapshot.Concentrated c ? c.tickTable().size() : 0).sum();
                System.out.printf("cold start: %d pools (%,d initialised ticks) live in %.1f s (scrape %.1f s at block %d, live at block %d), storage reads"
                        + " %s, scrape concurrency %d, traffic of a block of 20 txs, then %d ms, running (load %s)%n", v.pools().size(), ticks, seconds, scrapeSeconds, pinned,
                        v.blockNumber(), reads, scrape.concurrency(), trafficPauseMs, load());
                System.out.printf("cold start scrape: %s; the node needs %.1f s for them on one stream at its own rates: ratio %.2f;"
                        + " %.1f s at its rates with the same traffic running: ratio %.2f%n", w, rates.seconds(w), rates.seconds(w) / scrapeSeconds,
                        busy.seconds(w), busy.seconds(w) / scrapeSeconds);
                awaitWarmUp();
                ArenaHarness.sleep(2000);
                long arenaHeap = heapAfterGc() - before;
                System.out.printf("arena: heap after full GC, live at %d pools: %.1f MiB (load %s)%n", v.pools().size(), arenaHeap / 1048576.0, load());
                v = arena.view();
                CheckpointStore store = new CheckpointStore(checkpoint);
                long w0 = System.nanoTime();
                long bytes = store.write(v);
                double write = (System.nanoTime() - w0) / 1e6;
                long r0 = System.nanoTime();
                CheckpointStore.Checkpoint back = store.read(d.chainId());
                double read = (System.nanoTime() - r0) / 1e6;
                System.out.printf("checkpoint at %d pools: %,d bytes, written in %.0f ms, read back (%d pools) in %.0f ms (load %s)%n", v.pools().size(),
                        bytes, write, back.states().size(), read, load());
            }
            traffic.stop();
            t.join();
            return v;
        }
    }

    private static Map<io.poolstate.dex.pool.PoolId, io.poolstate.dex.state.PoolState> toStates(ArenaView v) {
        Map<io.poolstate.dex.pool.PoolId, io.poolstate.dex.state.PoolState> out = new java.util.HashMap<>();
        v.pools().forEach((id, p) -> {
            if (p instanceof PoolSnapshot.Concentrated c) {
                out.put(id, new io.poolstate.dex.state.ConcentratedPoolState(c.descriptor(), c.sqrtPriceX96(), c.tick(), c.liquidity(), c.fee(),
                        c.protocolFee(), c.ticks()));
            }
        });
        return out;
    }

    /**
     * An arena resumed from {@code checkpoint} (ending at {@code blockNumber}/{@code blockHash}, {@code poolCount} pools) on a
     * harness-driven feed socket: its heap after a full GC, block apply for blocks of 200 events with the writer parked
     * between blocks, then spinning, then parked again (each arena resumed from the previous one's final checkpoint), API
     * throughput.
     */
    static void applyAndApi(EthClient eth, long chainId, List<PoolDescriptor> all0, Path dir, Path checkpoint, long blockNumber, Bytes32 blockHash,
                            int poolCount, int warmUpBlocks) throws Exception {
        Whitelist all = Whitelist.of(1, all0.stream().map(PoolDescriptor::id).toList());
        FeedMetrics feedMetrics = new FeedMetrics();
        SplittableRandom r = new SplittableRandom(5);
        try (FrameServer server = new FrameServer(dir.resolve("synthetic.sock"), chainId, 256, new FrameServer.Limits(1_000_000, 2_000), feedMetrics).start()) {
            SyntheticTip tip = new SyntheticTip(blockNumber, blockHash);
            server.publishCommit(BlockFrames.of(tip.number, tip.hash, ArenaHarness.hash(tip.number - 1), 0, List.of(), all, null));
            warmFeedSide(tip, all, all0, new SplittableRandom(6));
            long heapBase = heapAfterGc();
            // parked, spinning, parked again: an effect of the order (the JIT, the heap) shows as a difference between the two
            // parked runs; the API is measured on the last, parked arena (the default), whose writer leaves the cores alone
            WriterIdle[] modes = {WriterIdle.PARK, WriterIdle.SPIN, WriterIdle.PARK};
            for (int m = 0; m < modes.length; m++) {
                ArenaMetrics metrics = new ArenaMetrics();
                // each arena writes its final checkpoint on close: the next one resumes from it at the block the server is at
                ArenaAgent.Settings settings = ArenaAgent.Settings.DEFAULT.withSelfCheck(0, 0).withCheckpoint(checkpoint, 0).withWriterIdle(modes[m])
                        .withWarmUp(warmUpBlocks);
                long t0 = System.nanoTime();
                try (ArenaAgent arena = new ArenaAgent(eth, Multicall3.CANONICAL, server.path(), PoolCatalog.of(all0), settings, metrics).start()) {
                    while (arena.view().mode() != ArenaMode.LIVE || arena.view().pools().size() < poolCount || arena.view().blockNumber() != tip.number) {
                        if (System.nanoTime() - t0 > 600_000_000_000L) {
                            throw new IllegalStateException("the arena did not resume from its checkpoint (mode " + arena.view().mode() + ")");
                        }
                        Thread.sleep(5);
                    }
                    System.out.printf("arena (writer idle %s) resumed from the checkpoint: %d pools live in %.2f s (load %s)%n", modes[m],
                            arena.view().pools().size(), (System.nanoTime() - t0) / 1e9, load());
                    if (m == 0) {
                        awaitWarmUp();
                        ArenaHarness.sleep(1000);
                        System.out.printf("arena: heap after full GC, live at %d pools (resumed from the checkpoint): %.1f MiB (load %s)%n",
                                arena.view().pools().size(), (heapAfterGc() - heapBase) / 1048576.0, load());
                    }
                    applyBlocks(server, arena, metrics, all, all0, tip, r, modes[m]);
                    if (m == modes.length - 1) {
                        api(arena, metrics, all0, r);
                    }
                }
            }
        }
    }

    /**
     * The harness's own side of the synthetic feed (its updates built and encoded as frames, as {@link #applyBlocks} does),
     * run for 2,000 blocks that are not sent, so that the JIT's work on the harness's code is not done during the first
     * phase, on the cores the arena's threads use: in production the feed is another process, long warm.
     */
    private static void warmFeedSide(SyntheticTip tip, Whitelist all, List<PoolDescriptor> pools, SplittableRandom r) {
        long frames = 0;
        for (int b = 0; b < 2000; b++) {
            long n = tip.number + 1 + b;
            List<FeedFrame.PoolUpdate> updates = new ArrayList<>(200);
            for (int i = 0; i < 200; i++) {
                updates.add(ArenaHarness.update(n, i, pools.get(r.nextInt(pools.size())), r));
            }
            frames += BlockFrames.of(n, ArenaHarness.hash(n), ArenaHarness.hash(n - 1), 0, updates, all, all).live().size();
        }
        System.out.printf("harness: its feed side warmed up (2,000 blocks built and encoded, not sent: %d frames)%n", frames);
    }

    /**
     * Waits for the arena's start-up warm-up (once per process, from the first arena live) to end, and says how long that
     * was: the heap figures and the block-apply phases are of an arena after it (its own objects would otherwise be in the
     * heap, and its thread on a core), as a production arena is some seconds after it goes live.
     */
    private static void awaitWarmUp() {
        long t0 = System.nanoTime();
        while (ArenaAgent.warmingUp()) {
            ArenaHarness.sleep(50);
        }
        System.out.printf("arena start-up warm-up: waited %.1f s for its end (load %s)%n", (System.nanoTime() - t0) / 1e9, load());
    }

    /** The percentile {@code p} a timer's snapshot publishes, in µs (NaN when it does not publish it). */
    private static double percentileMicros(HistogramSnapshot snap, double p) {
        for (ValueAtPercentile v : snap.percentileValues()) {
            if (v.percentile() == p) {
                return v.value(TimeUnit.MICROSECONDS);
            }
        }
        return Double.NaN;
    }

    /** The synthetic chain's tip: the last block the harness's feed socket sent. */
    private static final class SyntheticTip {
        long number;
        Bytes32 hash;

        SyntheticTip(long number, Bytes32 hash) {
            this.number = number;
            this.hash = hash;
        }
    }

    /** 2,000 blocks of 200 events over random pools, each sent when the arena has applied the one before: the arena's timer and its writer's CPU. */
    private static void applyBlocks(FrameServer server, ArenaAgent arena, ArenaMetrics metrics, Whitelist all, List<PoolDescriptor> pools, SyntheticTip tip,
                                    SplittableRandom r, WriterIdle idle) {
        int blocks = 2000;
        long cpu0 = 0;
        // the blocks' updates are built BATCH blocks at a time, between blocks, outside the arena's timer (in production the
        // feed builds them in its own process): building all 2,000 first kept about 240 MB of updates live through the
        // phase, and this JVM's collector then ran concurrent cycles and long young pauses that the arena's threads paid
        // for (the first phase most, while the heap was still growing)
        final int batch = 50;
        List<List<FeedFrame.PoolUpdate>> built = new ArrayList<>(batch);
        System.gc();
        long[] endToEnd = new long[blocks];
        for (int b = 0; b < blocks; b++) {
            if (b % batch == 0) {
                built.clear();
                for (int k = 0; k < batch; k++) {
                    List<FeedFrame.PoolUpdate> updates = new ArrayList<>(200);
                    for (int i = 0; i < 200; i++) {
                        updates.add(ArenaHarness.update(tip.number + 1 + k, i, pools.get(r.nextInt(pools.size())), r));
                    }
                    built.add(updates);
                }
            }
            Bytes32 parent = tip.hash;
            long n = ++tip.number;
            tip.hash = ArenaHarness.hash(n);
            List<FeedFrame.PoolUpdate> updates = built.set(b % batch, null);
            long s0 = System.nanoTime();
            server.publishCommit(BlockFrames.of(n, tip.hash, parent, 0, updates, all, all));
            while (arena.view().blockNumber() != n) {
                if (System.nanoTime() - s0 > 20_000_000_000L) {
                    throw new IllegalStateException("the arena did not apply synthetic block " + n + " (mode " + arena.view().mode() + ")");
                }
                // parked, not spinning: a spinning harness thread would take one of the machine's two cores from the
                // arena's threads (its writer, the feed client's reader) while they apply the block
                LockSupport.parkNanos(20_000);
            }
            endToEnd[b] = System.nanoTime() - s0;
            if (b == blocks / 3) {
                metrics.blockApply.takeSnapshot();
                metrics.blockDecode.takeSnapshot();
                cpu0 = writerCpuNanos();
            }
        }
        var snap = metrics.blockApply.takeSnapshot();
        double p50 = percentileMicros(snap, 0.5);
        double p99 = percentileMicros(snap, 0.99);
        System.out.printf("block apply, writer idle %s (arena timer: look-ups, apply with journal, snapshots, publish the view; decoded before, on the feed client thread), 200 events over %d pools:"
                + " median %.0f us, p99 %.0f us over %d blocks (load %s)%n", idle, pools.size(), p50, p99, blocks, load());
        double decode = percentileMicros(metrics.blockDecode.takeSnapshot(), 0.5);
        System.out.printf("block apply, writer idle %s, decoding each block's updates on the feed client thread before (poolstate_arena_block_decode):"
                + " median %.0f us%n", idle, decode);
        StringBuilder quarters = new StringBuilder();
        for (int q = 0; q < 4; q++) {
            long[] part = Arrays.copyOfRange(endToEnd, q * blocks / 4, (q + 1) * blocks / 4);
            Arrays.sort(part);
            quarters.append(q == 0 ? "" : " / ").append(part[part.length / 2] / 1000);
        }
        // the phase's course: a difference between its first and later quarters is warm-up (the JIT), not the steady state
        System.out.printf("block apply, writer idle %s, publish to view by quarter of the %d blocks (harness clock, medians): %s us%n", idle, blocks,
                quarters);
        System.out.printf("block apply, writer idle %s, CPU time of the arena's writer thread per block%s: mean %.0f us over the last %d blocks%n", idle,
                idle == WriterIdle.SPIN ? " (its spinning between blocks included)" : "", (writerCpuNanos() - cpu0) / 1e3 / (blocks - blocks / 3 - 1),
                blocks - blocks / 3 - 1);
    }

    /** {@code /v1/pools/{id}}, quote and page requests per second against {@code arena}'s API. */
    private static void api(ArenaAgent arena, ArenaMetrics metrics, List<PoolDescriptor> all0, SplittableRandom r) throws Exception {
        try (ArenaHttpServer api = new ArenaHttpServer("127.0.0.1", 0, arena::view,
                v -> new io.poolstate.arena.ChainWatch.Freshness(false, null, v.blockNumber(), v.blockNumber(), 0), metrics).start()) {
            String base = "http://127.0.0.1:" + api.address().getPort();
            List<PoolDescriptor> v3 = all0.stream().filter(p -> p.protocol() == Protocol.UNISWAP_V3).toList();
            System.out.printf("API (load %s):%n", load());
            ArenaHarness.load("GET /v1/pools/{id} (V3 pools with their ticks)", () -> base + "/v1/pools/" + v3.get(r.nextInt(v3.size())).id());
            ArenaHarness.load("GET /v1/pools/{id}/quote (V3, exact input)", () -> base + "/v1/pools/" + v3.get(r.nextInt(v3.size())).id()
                    + "/quote?zero_for_one=" + r.nextBoolean() + "&amount_in=" + BigInteger.TEN.pow(6 + r.nextInt(12)));
            ArenaHarness.load("GET /v1/pools?limit=100 (a page)", () -> base + "/v1/pools?limit=100");
        }
    }
}
