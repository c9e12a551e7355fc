package io.poolstate.arena;

import io.poolstate.dex.event.EventKind;
import io.poolstate.dex.event.LogEncoder;
import io.poolstate.dex.math.TickMath;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.pool.V4PoolKey;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.scrape.V4LpFeeReader;
import io.poolstate.dex.state.ConcentratedPoolState;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.PoolState;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.dex.state.V2PoolState;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.feed.client.FeedSession;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.feed.FrameCodec;
import io.poolstate.protocol.feed.FrameFormatException;
import io.poolstate.protocol.feed.FrameReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The arena's block path run on synthetic pools once the arena is live, so that the JIT has compiled it before the
 * feed's blocks need it fast: a fresh JVM runs the path interpreted, then through profiling code, and only after some
 * thousands of blocks through optimised code (on the 10,000-pool devnet the first 2,000 blocks after start-up took up to
 * 1.6× the later ones, docs/BENCHMARKS.md). At 12 s a block that is hours of slower blocks; here it is seconds of one
 * core, off the served state.
 *
 * <p>Each synthetic block goes the way a feed block goes: checked by a {@link FeedSession} as the feed client checks
 * frames (one block in {@value #BYTES_EVERY} first encoded with {@link FrameCodec} and read back by a {@link FrameReader};
 * encoding, the feed's work, would otherwise take most of the time), decoded as its updates arrive by a
 * {@link FeedInbox}, applied by {@link ArenaAgent#applyBlock} to a {@link LiveBook} of its own and published by a
 * {@link ViewPublisher} of its own. The workload: {@value #POOLS} served pools (a third each V2, V3, V4, the V3/V4 pools
 * with up to 160 initialised ticks) and {@value #UNSERVED_POOLS} forwarded but not served; blocks of {@value #EVENTS}
 * updates: V2 {@code Sync}s and V3/V4 {@code Swap}s over random pools (some read after every block: skipped),
 * {@value #IGNORED} updates that change no state (V2 {@code Swap}, V3 {@code Collect}), {@value #NOT_SERVED} of pools
 * not served, and up to {@value #POSITIONS} positions (V3 {@code Mint}, V4 {@code ModifyLiquidity}) on ticks no pool
 * has, in range or not, which the next block removes; every {@value #REVERT_EVERY}th block is reverted and replaced.
 * Numbers span their types (liquidity from 2^41 to 2^127, reserves to 2^112).
 *
 * <p>The warm-up checks what it applies against a plain model of its events (a sync or swap sets, a position adds its
 * liquidity to its ticks, and to the pool's when in range; a revert restores): the pools a position touched after every
 * block, every pool every {@value #CHECK_EVERY} blocks and at the end. A difference, or any other failure, is logged
 * with the pool and fields and counted ({@code poolstate_arena_warm_up_failures}): the same code applies the feed's
 * blocks. The served state is never involved.
 *
 * <p>Threads: owns the {@code arena-warm-up} thread, one per process (the JIT's work is the process's); everything it
 * touches is its own except the gauge and failure counter of the arena that started it.
 */
final class WarmUpAgent {
    private static final Logger LOG = LoggerFactory.getLogger(WarmUpAgent.class);
    static final int POOLS = 3_000;
    static final int EVENTS = 200;
    static final int POSITIONS = 12;
    /** Per block, updates that change no state (V2 {@code Swap}, V3 {@code Collect}). */
    static final int IGNORED = 8;
    /** Per block, updates of forwarded pools the book does not serve (waiting for a read, on the real path). */
    static final int NOT_SERVED = 4;
    static final int REVERT_EVERY = 50;
    static final int CHECK_EVERY = 1_000;
    /** At most this many blocks: the pools read later are read after all of them. */
    static final int MAX_BLOCKS = 100_000;
    private static final int UNSERVED_POOLS = 60;
    private static final int JOURNAL = 64;
    private static final long FIRST_BLOCK = 1_000;
    /** Pools read at a block after every synthetic block (read during start-up's replay, on the real path): their events are skipped. */
    private static final long READ_LATER = FIRST_BLOCK + 2L * MAX_BLOCKS;
    /** One block in this many is encoded as frames and read back; the others are handed to the session as frames already read. */
    private static final int BYTES_EVERY = 4;
    /** Swap and sync outcomes made once and picked per update: making each one new would cost more than applying it. */
    private static final int SLOTS = 256;
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /** A warm-up thread of this process is running. */
    private static final AtomicBoolean RUNNING = new AtomicBoolean();

    private final int blocks;
    private final ArenaMetrics metrics;
    private final BooleanSupplier stop;

    private WarmUpAgent(int blocks, ArenaMetrics metrics, BooleanSupplier stop) {
        this.blocks = blocks;
        this.metrics = metrics;
        this.stop = stop;
    }

    /** What a warm-up did: blocks committed (reverted ones included), blocks reverted, events applied, blocks handed over decoded ahead, seconds. */
    record Result(long blocks, long reverts, long events, long decodedAhead, double seconds) {
    }

    /**
     * Starts a warm-up of {@code blocks} blocks on its own thread unless this process has started one, stopping early
     * when {@code stop} says so; its duration and any failure go to {@code metrics}. Returns the thread, or null when
     * none was started.
     */
    static Thread startOnce(int blocks, ArenaMetrics metrics, BooleanSupplier stop) {
        return startOnce(STARTED, blocks, metrics, stop, -1);
    }

    /** {@link #startOnce} with its own once-flag, and {@code corruptPool} as {@link #run} takes it (tests). */
    static Thread startOnce(AtomicBoolean once, int blocks, ArenaMetrics metrics, BooleanSupplier stop, int corruptPool) {
        if (blocks <= 0 || !once.compareAndSet(false, true)) {
            return null;
        }
        WarmUpAgent agent = new WarmUpAgent(blocks, metrics, stop);
        RUNNING.set(true);
        try {
            return Thread.ofPlatform().name("arena-warm-up").daemon().start(() -> {
                try {
                    agent.runCounted(corruptPool);
                } finally {
                    RUNNING.set(false);
                }
            });
        } catch (RuntimeException | OutOfMemoryError e) {
            RUNNING.set(false);
            metrics.warmUpFailures.increment();
            LOG.error("arena warm-up not started: reason={}", e.toString());
            return null;
        }
    }

    /** Whether a warm-up of this process is running now (any thread). */
    static boolean running() {
        return RUNNING.get();
    }

    private void runCounted(int corruptPool) {
        LOG.info("arena warm-up starting: blocks={} pools={} events_per_block={}", blocks, POOLS, EVENTS);
        try {
            Result r = run(blocks, stop, corruptPool);
            metrics.warmUpMillis.set(Math.max(1, Math.round(r.seconds() * 1000)));
            LOG.info("arena warm-up done: blocks={} reverts={} events={} decoded_ahead={} seconds={}", r.blocks(), r.reverts(), r.events(),
                    r.decodedAhead(), String.format("%.2f", r.seconds()));
        } catch (Throwable e) {
            metrics.warmUpFailures.increment();
            LOG.error("arena warm-up failed: the block path did not apply its synthetic blocks as their events say: reason={}", e.toString(), e);
            if (e instanceof VirtualMachineError vme) {
                throw vme;
            }
        }
    }

    /**
     * Runs {@code blocks} synthetic blocks (and one more that removes the positions still open) through the block path
     * on the calling thread, stopping early when {@code stop} says so, checking the state as it goes.
     * {@code corruptPool} ≥ 0 makes the model expect another liquidity for that (concentrated) pool: the check must then
     * fail (tests); -1 otherwise.
     *
     * @throws IllegalStateException when a block is refused, or a pool's state is not the one its events say
     */
    static Result run(int blocks, BooleanSupplier stop, int corruptPool) {
        if (blocks < 0 || blocks > MAX_BLOCKS) {
            throw new IllegalArgumentException("warm-up blocks must be 0.." + MAX_BLOCKS + ": blocks=" + blocks);
        }
        long t0 = System.nanoTime();
        Workload w = new Workload(new SplittableRandom(20_261_203), corruptPool);
        BlockPath path = new BlockPath(w);
        path.send(List.of(new FeedFrame.PoolSet(FIRST_BLOCK + 1, 1, true, false, w.ids(), List.of())), true);
        long committed = 0;
        long reverts = 0;
        for (int b = 0; b < blocks && !stop.getAsBoolean(); b++) {
            if (b % REVERT_EVERY == REVERT_EVERY - 1) {
                Workload.Saved before = w.save();
                List<FeedFrame> block = w.block(false);
                path.send(block, false);
                committed++;
                path.send(w.revert(block, before), b % (BYTES_EVERY * REVERT_EVERY) == REVERT_EVERY - 1);
                reverts++;
                path.checkTouched(w);
            }
            path.send(w.block(false), b % BYTES_EVERY == 0);
            committed++;
            path.checkTouched(w);
            if (b % CHECK_EVERY == CHECK_EVERY - 1) {
                path.checkAll(w);
            }
        }
        path.send(w.block(true), true);
        committed++;
        path.checkAll(w);
        path.checkTip(w, committed - reverts);
        return new Result(committed, reverts, path.book.eventsApplied(), path.inbox.decodedAhead(), (System.nanoTime() - t0) / 1e9);
    }

    /** The arena's objects the warm-up's blocks go through, its own. */
    private static final class BlockPath {
        final ArenaMetrics metrics = new ArenaMetrics();
        final LiveBook book = new LiveBook(JOURNAL, FIRST_BLOCK, Workload.hash(FIRST_BLOCK, 0));
        final PoolSetFollower follower;
        final LpFeeRefresher lpFees = new LpFeeRefresher(new V4LpFeeReader(null, ScrapeSettings.DEFAULT.slotsPerExtsload()), metrics);
        final ViewPublisher views = new ViewPublisher(1, metrics);
        final FeedInbox inbox = new FeedInbox(16, new AtomicLong(), metrics);
        final MemoryChannel channel = new MemoryChannel();
        final FrameReader reader = new FrameReader(channel, 64 * 1024, "warm-up");
        final FeedSession session = new FeedSession(inbox, new FeedSession.TipSink() {
            @Override
            public void advanced(long number, Bytes32 hash) {
            }

            @Override
            public void reset() {
            }
        });

        BlockPath(Workload w) {
            for (int i = 0; i < w.states.size(); i++) {
                book.put(w.states.get(i), Workload.readLater(i) ? READ_LATER : FIRST_BLOCK);
            }
            // no pool waits for a read: the follower's scraper, which has no node, is never asked
            follower = new PoolSetFollower(PoolCatalog.of(w.pools), new PoolScraper(null, Multicall3.CANONICAL, ScrapeSettings.DEFAULT), metrics);
            // the real view has up to three listeners of different classes (history, push stream, arena file): three here
            // too, so that the call telling them is compiled for any number of classes, not for the history's alone
            views.listen(new ViewHistory(JOURNAL));
            views.listen(new Listened());
            views.listen((v, reset) -> { });
            views.reset(book, follower, ArenaMode.LIVE);
        }

        /**
         * {@code frames} checked by the session as the feed client checks them ({@code bytes}: first written as the feed
         * writes them and read back), then handled as the arena's writer handles them.
         */
        void send(List<FeedFrame> frames, boolean bytes) {
            try {
                if (bytes) {
                    channel.fill(frames);
                    for (int k = 0; k < frames.size(); k++) {
                        session.accept(reader.next());
                    }
                } else {
                    for (FeedFrame f : frames) {
                        session.accept(f);
                    }
                }
            } catch (IOException | FrameFormatException e) {
                throw new IllegalStateException("warm-up frames not read back: reason=" + e.getMessage(), e);
            }
            FeedEvent e;
            while ((e = inbox.poll()) != null) {
                switch (e) {
                    // the pool set is the book's from the start: a change is rare on the real path, and the follower would log it as the feed's
                    case FeedEvent.PoolSetChanged p -> book.poolSetChanged(p.change().snapshotId());
                    case FeedEvent.Block b -> ArenaAgent.applyBlock(b.block(), b.updates(), book, follower, lpFees, views, metrics);
                    default -> throw new IllegalStateException("unexpected warm-up event: event=" + e.getClass().getSimpleName());
                }
            }
        }

        /** The pools a position touched in the last block, against the model. */
        void checkTouched(Workload w) {
            ArenaView v = views.current();
            for (int i : w.touched) {
                check(w, i, v);
            }
        }

        /** Every pool against the model. */
        void checkAll(Workload w) {
            ArenaView v = views.current();
            for (int i = 0; i < POOLS; i++) {
                check(w, i, v);
            }
        }

        private void check(Workload w, int i, ArenaView v) {
            PoolSnapshot served = v.pools().get(w.pools.get(i).id());
            PoolSnapshot expected = w.expected(i);
            if (expected == null ? served != null : !expected.equals(served)) {
                throw new IllegalStateException("warm-up state differs from its events: block=" + v.blockNumber() + " pool=" + w.pools.get(i).id()
                        + " protocol=" + w.pools.get(i).protocol().wireName() + " " + (served == null || expected == null
                        ? "served=" + (served != null) + " expected=" + (expected != null) : String.join(" ", expected.differences(served))));
            }
        }

        void checkTip(Workload w, long applied) {
            ArenaView v = views.current();
            if (v.blockNumber() != FIRST_BLOCK + applied || !v.blockHash().equals(w.tipHash)) {
                throw new IllegalStateException("warm-up blocks not all applied: expected_block=" + (FIRST_BLOCK + applied) + " view_block="
                        + v.blockNumber());
            }
        }
    }

    /** A listener of its own class that does nothing (see {@link BlockPath}). */
    private static final class Listened implements ViewListener {
        @Override
        public void published(ArenaView view, boolean reset) {
        }
    }

    /** A position a block added: pool index, ticks, liquidity. */
    private record Position(int pool, int lower, int upper, BigInteger amount) {
    }

    /**
     * The synthetic pools and their blocks, and a plain model of what their events leave in each pool: a sync or swap
     * sets, a position adds its liquidity to its two ticks and, when it holds the pool's tick, to the pool's liquidity.
     */
    static final class Workload {
        private final SplittableRandom r;
        final List<PoolDescriptor> pools = new ArrayList<>(POOLS);
        final List<PoolState> states = new ArrayList<>(POOLS);
        private final List<PoolDescriptor> unserved = new ArrayList<>(UNSERVED_POOLS);
        private final List<NavigableMap<Integer, TickInfo>> initialTicks = new ArrayList<>(Collections.nCopies(POOLS, null));
        private final BigInteger[] slotPrice = new BigInteger[SLOTS];
        private final int[] slotTick = new int[SLOTS];
        /** At least 2^41, so that a position (below 2^40) never takes a pool's liquidity below zero. */
        private final BigInteger[] slotLiquidity = new BigInteger[SLOTS];
        private final BigInteger[] slotReserve0 = new BigInteger[SLOTS];
        private final BigInteger[] slotReserve1 = new BigInteger[SLOTS];
        private final LogEncoder.Encoded[] syncs = new LogEncoder.Encoded[SLOTS];
        private final LogEncoder.Encoded[] v3Swaps = new LogEncoder.Encoded[SLOTS];
        private final byte[][] v4SwapData = new byte[SLOTS][];
        /** Per V4 pool, its swaps' topics (they name the pool). */
        private final List<List<Bytes32>> v4Topics = new ArrayList<>(POOLS);
        /** Per pool, the slot its last sync or swap set. */
        private int[] slot = new int[POOLS];
        /** Per concentrated pool, its active liquidity. */
        final BigInteger[] liquidity = new BigInteger[POOLS];
        /** The positions the last block added. */
        private List<Position> open = List.of();
        /** Pools a position was added to or removed from in the last block. */
        final List<Integer> touched = new ArrayList<>();
        private boolean reverted;
        private long number = FIRST_BLOCK;
        private int fork;
        Bytes32 tipHash = hash(FIRST_BLOCK, 0);

        /** A pool whose expected liquidity the model gets wrong by one, or -1 (tests of the check). */
        private final int corruptPool;

        Workload(SplittableRandom r, int corruptPool) {
            this.r = r;
            this.corruptPool = corruptPool;
            Address factory = address(r);
            Address manager = address(r);
            for (int i = 0; i < POOLS; i++) {
                pools.add(descriptor(i, factory, manager));
            }
            for (int i = 0; i < UNSERVED_POOLS; i++) {
                unserved.add(new PoolDescriptor(PoolId.of(address(r)), Protocol.UNISWAP_V3, pools.get(1).token0(), pools.get(1).token1(), factory, 3000, 60,
                        null));
            }
            for (int k = 0; k < SLOTS; k++) {
                slotTick[k] = r.nextInt(-50_000, 50_000);
                slotPrice[k] = TickMath.getSqrtRatioAtTick(slotTick[k]);
                slotLiquidity[k] = BigInteger.ONE.shiftLeft(41 + r.nextInt(86)).add(BigInteger.valueOf(r.nextLong(0, Long.MAX_VALUE)));
                slotReserve0[k] = new BigInteger(1 + r.nextInt(112), new java.util.Random(r.nextLong()));
                slotReserve1[k] = new BigInteger(1 + r.nextInt(112), new java.util.Random(r.nextLong()));
                syncs[k] = LogEncoder.sync(slotReserve0[k], slotReserve1[k]);
                v3Swaps[k] = LogEncoder.swap(pools.get(1), slotPrice[k], slotTick[k], slotLiquidity[k]);
                v4SwapData[k] = LogEncoder.swap(pools.get(2), slotPrice[k], slotTick[k], slotLiquidity[k]).data(); // every V4 pool's fee is 500
            }
            for (int i = 0; i < POOLS; i++) {
                states.add(initialState(i));
            }
        }

        private PoolDescriptor descriptor(int i, Address factory, Address manager) {
            Token a = new Token(address(r), 18, "W" + i);
            Token b = new Token(address(r), 6, "U" + i);
            Token t0 = a.address().compareTo(b.address()) < 0 ? a : b;
            Token t1 = t0 == a ? b : a;
            return switch (i % 3) {
                case 0 -> new PoolDescriptor(PoolId.of(address(r)), Protocol.UNISWAP_V2, t0, t1, factory, null, null, null);
                case 1 -> new PoolDescriptor(PoolId.of(address(r)), Protocol.UNISWAP_V3, t0, t1, factory, 3000, 60, null);
                default -> {
                    V4PoolKey key = new V4PoolKey(t0.address(), t1.address(), 500, 10, Address.ZERO);
                    yield new PoolDescriptor(PoolId.of(key.id()), Protocol.UNISWAP_V4, t0, t1, manager, 500, 10, Address.ZERO);
                }
            };
        }

        /** Pool {@code i} at a random slot, a concentrated pool with 20–80 positions within ±60,000 (the synthetic positions use ticks beyond). */
        private PoolState initialState(int i) {
            PoolDescriptor d = pools.get(i);
            int k = r.nextInt(SLOTS);
            slot[i] = k;
            v4Topics.add(d.protocol() == Protocol.UNISWAP_V4 ? LogEncoder.swap(d, slotPrice[k], slotTick[k], slotLiquidity[k]).topics() : null);
            if (d.protocol() == Protocol.UNISWAP_V2) {
                return new V2PoolState(d, slotReserve0[k], slotReserve1[k]);
            }
            liquidity[i] = slotLiquidity[k];
            TreeMap<Integer, TickInfo> ticks = new TreeMap<>();
            int n = r.nextInt(20, 81);
            for (int p = 0; p < n; p++) {
                BigInteger l = BigInteger.valueOf(r.nextLong(1, 1L << 40));
                ticks.merge(d.tickSpacing() * r.nextInt(-1000, 0), new TickInfo(l, l), Workload::sum);
                ticks.merge(d.tickSpacing() * r.nextInt(1, 1000), new TickInfo(l, l.negate()), Workload::sum);
            }
            initialTicks.set(i, Collections.unmodifiableNavigableMap(ticks));
            return new ConcentratedPoolState(d, slotPrice[k], slotTick[k], liquidity[i], d.fee(), 0, ticks);
        }

        private static TickInfo sum(TickInfo a, TickInfo b) {
            return new TickInfo(a.liquidityGross().add(b.liquidityGross()), a.liquidityNet().add(b.liquidityNet()));
        }

        /** The forwarded pools: those served, and those not. */
        List<PoolId> ids() {
            List<PoolId> ids = new ArrayList<>(pools.stream().map(PoolDescriptor::id).toList());
            unserved.forEach(d -> ids.add(d.id()));
            return ids;
        }

        /** Whether pool {@code i} is read at a block after the synthetic ones (its events skipped; a revert then drops it). */
        static boolean readLater(int i) {
            return i % 97 == 5;
        }

        /** The model before a block, to restore when the block is reverted. */
        record Saved(int[] slot, BigInteger[] liquidity, List<Position> open, Bytes32 tipHash) {
        }

        Saved save() {
            return new Saved(slot.clone(), liquidity.clone(), open, tipHash);
        }

        /** {@code block}'s revert frames (its updates in reverse order); the model back to {@code before}. */
        List<FeedFrame> revert(List<FeedFrame> block, Saved before) {
            FeedFrame.BeginBlock begin = (FeedFrame.BeginBlock) block.get(0);
            List<FeedFrame> frames = new ArrayList<>(block.size());
            frames.add(new FeedFrame.BeginBlock(begin.blockNumber(), begin.blockHash(), begin.parentHash(), 0, true));
            for (int k = block.size() - 2; k >= 1; k--) {
                frames.add(block.get(k));
            }
            frames.add(block.get(block.size() - 1));
            slot = before.slot();
            System.arraycopy(before.liquidity(), 0, liquidity, 0, POOLS);
            open = before.open();
            tipHash = before.tipHash();
            number--;
            fork++;
            reverted = true;
            return frames; // touched still names the reverted block's position pools: checked after the revert
        }

        /** The next block's frames: Begin, its updates, End; {@code last}: only the removal of the positions still open. */
        List<FeedFrame> block(boolean last) {
            long n = ++number;
            Bytes32 hash = hash(n, fork);
            List<FeedFrame> frames = new ArrayList<>(EVENTS + 2);
            frames.add(new FeedFrame.BeginBlock(n, hash, tipHash, 0, false));
            tipHash = hash;
            touched.clear();
            int log = 0;
            for (Position p : open) {
                frames.add(position(p, p.amount().negate(), n, hash, log++));
            }
            open = last ? List.of() : openPositions(frames, n, hash, log);
            log = frames.size() - 1;
            if (!last) {
                for (int k = 0; k < IGNORED; k++) {
                    frames.add(ignored(r.nextInt(POOLS / 3), k % 2 == 0, n, hash, log++));
                }
                for (int k = 0; k < NOT_SERVED; k++) {
                    int s = r.nextInt(SLOTS);
                    frames.add(update(unserved.get(r.nextInt(UNSERVED_POOLS)), n, hash, log++, v3Swaps[s].kind(), v3Swaps[s].topics(), v3Swaps[s].data()));
                }
                while (log < EVENTS) {
                    frames.add(setting(r.nextInt(POOLS), n, hash, log++));
                }
            }
            frames.add(new FeedFrame.EndBlock(n, hash, log, 1, POOLS + UNSERVED_POOLS));
            return frames;
        }

        /** Up to {@value #POSITIONS} new positions on concentrated pools without one, added to {@code frames}. */
        private List<Position> openPositions(List<FeedFrame> frames, long n, Bytes32 hash, int log) {
            List<Position> opened = new ArrayList<>(POSITIONS);
            for (int k = 0; k < POSITIONS; k++) {
                int i = 1 + 3 * r.nextInt(POOLS / 3) + r.nextInt(2); // a V3 or a V4 pool
                if (readLater(i) || touched.contains(i) || opened.stream().anyMatch(p -> p.pool() == i)) {
                    continue;
                }
                int spacing = pools.get(i).tickSpacing();
                int lower = spacing * (-100_000 / spacing - 1 - r.nextInt(100));
                int upper = spacing * (100_000 / spacing + 1 + r.nextInt(100));
                if (k % 3 == 2) { // out of range: above every tick a swap sets
                    lower = spacing * (60_000 / spacing + 1 + r.nextInt(100));
                    upper = lower + spacing * (1 + r.nextInt(100));
                }
                Position p = new Position(i, lower, upper, BigInteger.valueOf(r.nextLong(1, 1L << 40)));
                opened.add(p);
                frames.add(position(p, p.amount(), n, hash, log++));
            }
            return List.copyOf(opened);
        }

        /** A Sync (V2) or a Swap (V3, V4) of pool {@code i} to a random slot, remembered unless the pool is read later (then skipped). */
        private FeedFrame.PoolUpdate setting(int i, long n, Bytes32 hash, int log) {
            PoolDescriptor d = pools.get(i);
            int k = r.nextInt(SLOTS);
            if (!readLater(i)) {
                slot[i] = k;
                if (d.protocol() != Protocol.UNISWAP_V2) {
                    liquidity[i] = slotLiquidity[k]; // a swap logs the active liquidity, positions in range included
                }
            }
            return switch (d.protocol()) {
                case UNISWAP_V2 -> update(d, n, hash, log, syncs[k].kind(), syncs[k].topics(), syncs[k].data());
                case UNISWAP_V3 -> update(d, n, hash, log, v3Swaps[k].kind(), v3Swaps[k].topics(), v3Swaps[k].data());
                case UNISWAP_V4 -> update(d, n, hash, log, EventKind.V4_SWAP, v4Topics.get(i), v4SwapData[k]);
            };
        }

        /** An update that changes no state: a V2 {@code Swap} of the {@code third}-th V2 pool, or a V3 {@code Collect} of the V3 one. */
        private FeedFrame.PoolUpdate ignored(int third, boolean v2, long n, Bytes32 hash, int log) {
            PoolDescriptor d = pools.get(3 * third + (v2 ? 0 : 1));
            LogEncoder.Encoded e = v2 ? LogEncoder.v2Swap(BigInteger.valueOf(1 + log), BigInteger.valueOf(2 + log))
                    : LogEncoder.v3Collect(-60, 60, BigInteger.valueOf(1 + log), BigInteger.ONE);
            return update(d, n, hash, log, e.kind(), e.topics(), e.data());
        }

        /** Position {@code p} changed by {@code delta}: its pool's liquidity changes when the position holds the pool's tick. */
        private FeedFrame.PoolUpdate position(Position p, BigInteger delta, long n, Bytes32 hash, int log) {
            int i = p.pool();
            PoolDescriptor d = pools.get(i);
            if (slotTick[slot[i]] >= p.lower() && slotTick[slot[i]] < p.upper()) {
                liquidity[i] = liquidity[i].add(delta);
            }
            touched.add(i);
            LogEncoder.Encoded e = d.protocol() == Protocol.UNISWAP_V3
                    ? (delta.signum() > 0 ? LogEncoder.v3Mint(p.lower(), p.upper(), delta) : LogEncoder.v3Burn(p.lower(), p.upper(), delta.negate()))
                    : LogEncoder.v4ModifyLiquidity(d.id(), p.lower(), p.upper(), delta);
            return update(d, n, hash, log, e.kind(), e.topics(), e.data());
        }

        private static FeedFrame.PoolUpdate update(PoolDescriptor d, long n, Bytes32 hash, int log, EventKind kind, List<Bytes32> topics, byte[] data) {
            return new FeedFrame.PoolUpdate(n, log, 0, hash, d.id(), kind, topics, data);
        }

        /** What pool {@code i} holds by the model; null when it is not served (read later, and a revert dropped it). */
        PoolSnapshot expected(int i) {
            if (readLater(i) && reverted) {
                return null;
            }
            PoolDescriptor d = pools.get(i);
            int k = slot[i];
            if (d.protocol() == Protocol.UNISWAP_V2) {
                return new PoolSnapshot.V2(d, slotReserve0[k], slotReserve1[k]);
            }
            NavigableMap<Integer, TickInfo> ticks = initialTicks.get(i);
            for (Position p : open) {
                if (p.pool() == i) {
                    TreeMap<Integer, TickInfo> with = new TreeMap<>(ticks);
                    with.put(p.lower(), new TickInfo(p.amount(), p.amount()));
                    with.put(p.upper(), new TickInfo(p.amount(), p.amount().negate()));
                    ticks = with;
                }
            }
            BigInteger l = i == corruptPool ? liquidity[i].add(BigInteger.ONE) : liquidity[i];
            return new PoolSnapshot.Concentrated(d, slotPrice[k], slotTick[k], l, d.fee(), 0, ticks);
        }

        static Bytes32 hash(long n, int fork) {
            return Bytes32.of(BigInteger.valueOf(n).shiftLeft(32).or(BigInteger.valueOf(fork)).shiftLeft(8).or(BigInteger.valueOf(0xa5)));
        }

        private static Address address(SplittableRandom r) {
            byte[] a = new byte[20];
            for (int i = 0; i < a.length; i++) {
                a[i] = (byte) r.nextInt(256);
            }
            return Address.wrap(a);
        }
    }

    /** Frames as the feed's socket carries them (length-prefixed, back to back), read by the warm-up's {@link FrameReader}. */
    private static final class MemoryChannel implements ReadableByteChannel {
        private ByteBuffer bytes = ByteBuffer.allocate(0);

        void fill(List<FeedFrame> frames) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(frames.size() * 512);
            for (FeedFrame f : frames) {
                out.writeBytes(FrameCodec.encode(f));
            }
            bytes = ByteBuffer.wrap(out.toByteArray());
        }

        @Override
        public int read(ByteBuffer dst) {
            if (!bytes.hasRemaining()) {
                return -1;
            }
            int n = Math.min(dst.remaining(), bytes.remaining());
            dst.put(dst.position(), bytes, bytes.position(), n);
            dst.position(dst.position() + n);
            bytes.position(bytes.position() + n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
