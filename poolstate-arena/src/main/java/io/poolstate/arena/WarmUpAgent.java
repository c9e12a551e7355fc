package io.poolstate.arena;

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
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The arena's block path run on synthetic pools when the process starts, so that the JIT has compiled it before the
 * feed's blocks need it fast: a fresh JVM runs the path interpreted, then through profiling code, and only after some
 * thousands of blocks through optimised code (on the 10,000-pool devnet the first 2,000 blocks after start-up took
 * 1.2–1.9× the later ones, docs/BENCHMARKS.md). At 12 s a block that is hours of slow blocks; here it is seconds, off
 * the served state, while start-up reads the pools.
 *
 * <p>Each synthetic block goes the way a feed block goes: encoded as frames ({@link FrameCodec}), read by a
 * {@link FrameReader}, checked by a {@link FeedSession}, decoded as it arrives by a {@link FeedInbox}, applied by
 * {@link ArenaAgent#applyBlock} to a {@link LiveBook} of its own and published to a {@link ViewPublisher} of its own
 * (with a {@link ViewHistory}). The workload: {@value #POOLS} pools (a third each V2, V3, V4, the V3/V4 pools with
 * up to 160 initialised ticks), blocks of {@value #EVENTS} updates: V2 {@code Sync}s and V3/V4 {@code Swap}s over random
 * pools, {@value #IGNORED} updates that change no state (V2 {@code Swap}, V3 {@code Collect}), {@value #NOT_SERVED} of
 * forwarded pools the book does not serve, updates of pools read after the block (skipped, as during start-up's replay),
 * and up to {@value #POSITIONS} positions a block added (V3 {@code Mint}, V4 {@code ModifyLiquidity}) over ticks no
 * pool has, which the next block removes ({@code Burn}, a negative {@code ModifyLiquidity}). At the end the book must
 * hold what a plain model of those events says (reserves, price, tick, liquidity, the ticks back as they were): a
 * difference is logged as an error and counted ({@code poolstate_arena_warm_up_failures}), since the path that applies
 * the feed's blocks would then be wrong; the served state is not involved either way.
 *
 * <p>Threads: owns the {@code arena-warm-up} thread, once per process (the JIT's work is the process's); everything it
 * touches is its own, metrics included, except the failure counter of the arena that started it.
 */
final class WarmUpAgent {
    private static final Logger LOG = LoggerFactory.getLogger(WarmUpAgent.class);
    static final int POOLS = 3_000;
    static final int EVENTS = 200;
    static final int POSITIONS = 12;
    /** Per block, updates that change no state (V2 {@code Swap}, V3 {@code Collect}), and updates of forwarded pools not served. */
    static final int IGNORED = 8;
    static final int NOT_SERVED = 4;
    /** Forwarded pools the book does not serve (waiting for a read, on the real path): their updates are looked up and skipped. */
    private static final int UNSERVED_POOLS = 60;
    private static final int JOURNAL = 64;
    private static final long FIRST_BLOCK = 1_000;
    /** Pools read at a block after every synthetic block (read during start-up's replay, on the real path): their events are skipped. */
    private static final long READ_LATER = FIRST_BLOCK + 1_000_000;
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /** Swap outcomes, (tick, price) pairs, computed once: new BigIntegers from TickMath per update would cost more than applying them. */
    private static final int SLOTS = 256;
    /**
     * One block in this many is encoded as frames and read back (the feed client's reading), the others handed to the
     * session as frames already read: encoding, the feed's work, would otherwise take most of the warm-up's time.
     */
    private static final int BYTES_EVERY = 4;

    private WarmUpAgent() {
    }

    /** What a warm-up did: blocks and events applied, blocks handed over decoded as they arrived, seconds it took. */
    record Result(long blocks, long events, long decodedAhead, double seconds) {
    }

    /**
     * Starts a warm-up of {@code blocks} blocks on its own thread unless this process has started one; a failure is
     * logged and counted in {@code metrics}. Returns the thread, or null when none was started.
     */
    static Thread startOnce(int blocks, ArenaMetrics metrics) {
        if (blocks <= 0 || !STARTED.compareAndSet(false, true)) {
            return null;
        }
        return Thread.ofPlatform().name("arena-warm-up").daemon().start(() -> {
            try {
                Result r = run(blocks, () -> false);
                LOG.info("arena warm-up done: blocks={} events={} decoded_ahead={} seconds={}", r.blocks(), r.events(), r.decodedAhead(),
                        String.format("%.2f", r.seconds()));
            } catch (RuntimeException e) {
                metrics.warmUpFailures.increment();
                LOG.error("arena warm-up failed: the block path did not apply synthetic blocks as expected: reason={}", e.getMessage(), e);
            }
        });
    }

    /**
     * Runs {@code blocks} synthetic blocks (and one more that removes the positions still open) through the block path
     * on the calling thread, stopping early when {@code stop} says so, and checks the state it ends at.
     *
     * @throws IllegalStateException when a block is refused or the state at the end is not the one expected
     */
    static Result run(int blocks, BooleanSupplier stop) {
        long t0 = System.nanoTime();
        Workload w = new Workload(new SplittableRandom(20_261_203));
        Path path = new Path(w);
        path.send(List.of(new FeedFrame.PoolSet(FIRST_BLOCK + 1, 1, true, false, w.ids(), List.of())), true);
        long applied = 0;
        for (int b = 0; b < blocks && !stop.getAsBoolean(); b++) {
            path.send(w.block(false), b % BYTES_EVERY == 0);
            applied++;
        }
        path.send(w.block(true), true);
        applied++;
        path.check(w, applied);
        return new Result(applied, path.book.eventsApplied(), path.inbox.decodedAhead(), (System.nanoTime() - t0) / 1e9);
    }

    /** The arena's objects the warm-up's blocks go through, its own. */
    private static final class Path {
        final ArenaMetrics metrics = new ArenaMetrics();
        final LiveBook book = new LiveBook(JOURNAL, FIRST_BLOCK, Workload.hash(FIRST_BLOCK));
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

        Path(Workload w) {
            for (int i = 0; i < w.states.size(); i++) {
                book.put(w.states.get(i), Workload.readLater(i) ? READ_LATER : FIRST_BLOCK);
            }
            // no pool waits for a read: the follower's scraper, which has no node, is never asked
            follower = new PoolSetFollower(PoolCatalog.of(w.pools), new PoolScraper(null, Multicall3.CANONICAL, ScrapeSettings.DEFAULT), metrics);
            views.listen(new ViewHistory(JOURNAL));
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
                    default -> throw new IllegalStateException("unexpected warm-up event: " + e);
                }
            }
        }

        /** The view at the end against what the workload's events leave. */
        void check(Workload w, long blocks) {
            ArenaView v = views.current();
            if (v.blockNumber() != FIRST_BLOCK + blocks || book.blocksApplied() != blocks) {
                throw new IllegalStateException("warm-up blocks not all applied: expected_block=" + (FIRST_BLOCK + blocks) + " view_block=" + v.blockNumber()
                        + " applied=" + book.blocksApplied());
            }
            for (int i = 0; i < w.pools.size(); i++) {
                PoolDescriptor d = w.pools.get(i);
                PoolSnapshot s = v.pools().get(d.id());
                if (!w.holds(i, s)) {
                    throw new IllegalStateException("warm-up state differs from its events: pool=" + d.id() + " protocol=" + d.protocol().wireName()
                            + " " + w.difference(i, s));
                }
            }
        }
    }

    /**
     * The synthetic pools and their blocks, and what their events leave in each pool (a plain model: a sync or swap sets,
     * a position adds or removes its liquidity, always in range). The logs' payloads are made once ({@value #SLOTS} per
     * kind) and picked per update: making each one new would cost more than applying it.
     */
    private static final class Workload {
        final SplittableRandom r;
        final List<PoolDescriptor> pools = new ArrayList<>(POOLS);
        final List<io.poolstate.dex.state.PoolState> states = new ArrayList<>(POOLS);
        final List<PoolDescriptor> unserved = new ArrayList<>(UNSERVED_POOLS);
        final Map<Integer, Map<Integer, TickInfo>> initialTicks = new java.util.HashMap<>();
        final BigInteger[] slotPrice = new BigInteger[SLOTS];
        final int[] slotTick = new int[SLOTS];
        /** At least 2^80, so that the positions (below 2^40) never take a pool's liquidity below zero. */
        final BigInteger[] slotLiquidity = new BigInteger[SLOTS];
        final BigInteger[] slotReserve0 = new BigInteger[SLOTS];
        final BigInteger[] slotReserve1 = new BigInteger[SLOTS];
        final LogEncoder.Encoded[] syncs = new LogEncoder.Encoded[SLOTS];
        final LogEncoder.Encoded[] v3Swaps = new LogEncoder.Encoded[SLOTS];
        final byte[][] v4SwapData = new byte[SLOTS][];
        /** Per V4 pool, its swaps' topics (they name the pool). */
        final List<List<Bytes32>> v4Topics = new ArrayList<>(POOLS);
        /** Per pool, the slot its last sync or swap set. */
        final int[] slot = new int[POOLS];
        /** Per concentrated pool, its active liquidity (the last swap's, with the positions added since). */
        final BigInteger[] liquidity = new BigInteger[POOLS];
        /** The positions the last block added: pool index, lower, upper, amount. */
        List<Object[]> open = List.of();
        long number = FIRST_BLOCK;

        Workload(SplittableRandom r) {
            this.r = r;
            Address factory = address(r);
            Address manager = address(r);
            for (int i = 0; i < POOLS; i++) {
                Token a = new Token(address(r), 18, "W" + i);
                Token b = new Token(address(r), 6, "U" + i);
                Token t0 = a.address().compareTo(b.address()) < 0 ? a : b;
                Token t1 = t0 == a ? b : a;
                pools.add(switch (i % 3) {
                    case 0 -> new PoolDescriptor(PoolId.of(address(r)), Protocol.UNISWAP_V2, t0, t1, factory, null, null, null);
                    case 1 -> new PoolDescriptor(PoolId.of(address(r)), Protocol.UNISWAP_V3, t0, t1, factory, 3000, 60, null);
                    default -> {
                        V4PoolKey key = new V4PoolKey(t0.address(), t1.address(), 500, 10, Address.ZERO);
                        yield new PoolDescriptor(PoolId.of(key.id()), Protocol.UNISWAP_V4, t0, t1, manager, 500, 10, Address.ZERO);
                    }
                });
            }
            for (int i = 0; i < UNSERVED_POOLS; i++) {
                unserved.add(new PoolDescriptor(PoolId.of(address(r)), Protocol.UNISWAP_V3, pools.get(1).token0(), pools.get(1).token1(), factory, 3000, 60,
                        null));
            }
            for (int k = 0; k < SLOTS; k++) {
                slotTick[k] = r.nextInt(-50_000, 50_000);
                slotPrice[k] = TickMath.getSqrtRatioAtTick(slotTick[k]);
                slotLiquidity[k] = BigInteger.ONE.shiftLeft(80).add(BigInteger.valueOf(r.nextLong(0, Long.MAX_VALUE)));
                slotReserve0[k] = BigInteger.valueOf(r.nextLong(1, Long.MAX_VALUE));
                slotReserve1[k] = BigInteger.valueOf(r.nextLong(1, Long.MAX_VALUE));
                syncs[k] = LogEncoder.sync(slotReserve0[k], slotReserve1[k]);
                v3Swaps[k] = LogEncoder.swap(pools.get(1), slotPrice[k], slotTick[k], slotLiquidity[k]);
                v4SwapData[k] = LogEncoder.swap(pools.get(2), slotPrice[k], slotTick[k], slotLiquidity[k]).data(); // every V4 pool's fee is 500
            }
            for (int i = 0; i < POOLS; i++) {
                PoolDescriptor d = pools.get(i);
                int k = r.nextInt(SLOTS);
                slot[i] = k;
                v4Topics.add(d.protocol() == Protocol.UNISWAP_V4 ? LogEncoder.swap(d, slotPrice[k], slotTick[k], slotLiquidity[k]).topics() : null);
                if (d.protocol() == Protocol.UNISWAP_V2) {
                    states.add(new V2PoolState(d, slotReserve0[k], slotReserve1[k]));
                    continue;
                }
                liquidity[i] = slotLiquidity[k];
                TreeMap<Integer, TickInfo> ticks = new TreeMap<>();
                int n = r.nextInt(20, 81);
                for (int p = 0; p < n; p++) {
                    // within ±60,000: the positions below use ticks beyond, so each adds two ticks and its removal clears them
                    int lo = d.tickSpacing() * r.nextInt(-1000, 0);
                    int hi = d.tickSpacing() * r.nextInt(1, 1000);
                    BigInteger l = BigInteger.valueOf(r.nextLong(1, 1L << 40));
                    ticks.merge(lo, new TickInfo(l, l), WarmUpAgent::sum);
                    ticks.merge(hi, new TickInfo(l, l.negate()), WarmUpAgent::sum);
                }
                initialTicks.put(i, Map.copyOf(ticks));
                states.add(new ConcentratedPoolState(d, slotPrice[k], slotTick[k], liquidity[i], d.fee(), 0, ticks));
            }
        }

        /** The forwarded pools: those served, and those not. */
        List<PoolId> ids() {
            List<PoolId> ids = new ArrayList<>(pools.stream().map(PoolDescriptor::id).toList());
            unserved.forEach(d -> ids.add(d.id()));
            return ids;
        }

        /** Whether pool {@code i} is read at a block after the synthetic ones (its events skipped, its state as read). */
        static boolean readLater(int i) {
            return i % 97 == 5;
        }

        /** The next block's frames: Begin, its updates, End; {@code last}: only the removal of the positions still open. */
        List<FeedFrame> block(boolean last) {
            long n = ++number;
            Bytes32 hash = hash(n);
            List<FeedFrame> frames = new ArrayList<>(EVENTS + 2);
            frames.add(new FeedFrame.BeginBlock(n, hash, hash(n - 1), 0, false));
            int log = 0;
            for (Object[] p : open) {
                frames.add(position((int) p[0], (int) p[1], (int) p[2], ((BigInteger) p[3]).negate(), n, hash, log++));
            }
            List<Object[]> opened = new ArrayList<>(POSITIONS);
            if (!last) {
                for (int k = 0; k < POSITIONS; k++) {
                    int i = 1 + 3 * r.nextInt(POOLS / 3) + r.nextInt(2); // a V3 or a V4 pool
                    if (readLater(i)) {
                        continue;
                    }
                    int spacing = pools.get(i).tickSpacing();
                    int lo = spacing * (-100_000 / spacing - 1 - r.nextInt(100));
                    int hi = spacing * (100_000 / spacing + 1 + r.nextInt(100));
                    if (open.stream().noneMatch(o -> (int) o[0] == i) && opened.stream().noneMatch(o -> (int) o[0] == i)) {
                        BigInteger amount = BigInteger.valueOf(r.nextLong(1, 1L << 40));
                        opened.add(new Object[] {i, lo, hi, amount});
                        frames.add(position(i, lo, hi, amount, n, hash, log++));
                    }
                }
                for (int k = 0; k < IGNORED; k++) {
                    frames.add(ignored(r.nextInt(POOLS / 3), k % 2 == 0, n, hash, log++));
                }
                for (int k = 0; k < NOT_SERVED; k++) {
                    PoolDescriptor d = unserved.get(r.nextInt(UNSERVED_POOLS));
                    int s = r.nextInt(SLOTS);
                    frames.add(update(d, n, hash, log++, v3Swaps[s].kind(), v3Swaps[s].topics(), v3Swaps[s].data()));
                }
                while (log < EVENTS) {
                    frames.add(setting(r.nextInt(POOLS), n, hash, log++));
                }
            }
            open = opened;
            frames.add(new FeedFrame.EndBlock(n, hash, log, 1, POOLS + UNSERVED_POOLS));
            return frames;
        }

        /**
         * A Sync (V2) or a Swap (V3, V4) of pool {@code i} to a random slot, remembered as what the pool now holds (unless it
         * is read later: the arena skips it).
         */
        private FeedFrame.PoolUpdate setting(int i, long n, Bytes32 hash, int log) {
            PoolDescriptor d = pools.get(i);
            int k = r.nextInt(SLOTS);
            if (!readLater(i)) {
                slot[i] = k;
                if (d.protocol() != Protocol.UNISWAP_V2) {
                    liquidity[i] = slotLiquidity[k];
                }
            }
            return switch (d.protocol()) {
                case UNISWAP_V2 -> update(d, n, hash, log, syncs[k].kind(), syncs[k].topics(), syncs[k].data());
                case UNISWAP_V3 -> update(d, n, hash, log, v3Swaps[k].kind(), v3Swaps[k].topics(), v3Swaps[k].data());
                case UNISWAP_V4 -> update(d, n, hash, log, io.poolstate.dex.event.EventKind.V4_SWAP, v4Topics.get(i), v4SwapData[k]);
            };
        }

        /** An update that changes no state: a V2 {@code Swap} of the {@code third}-th V2 pool, or a V3 {@code Collect} of the V3 one. */
        private FeedFrame.PoolUpdate ignored(int third, boolean v2, long n, Bytes32 hash, int log) {
            PoolDescriptor d = pools.get(3 * third + (v2 ? 0 : 1));
            LogEncoder.Encoded e = v2 ? LogEncoder.v2Swap(BigInteger.valueOf(1 + log), BigInteger.valueOf(2 + log))
                    : LogEncoder.v3Collect(-60, 60, BigInteger.valueOf(1 + log), BigInteger.ONE);
            return update(d, n, hash, log, e.kind(), e.topics(), e.data());
        }

        /** A position of pool {@code i} changed by {@code delta} over [lo, hi), which holds every tick its swaps set. */
        private FeedFrame.PoolUpdate position(int i, int lo, int hi, BigInteger delta, long n, Bytes32 hash, int log) {
            PoolDescriptor d = pools.get(i);
            liquidity[i] = liquidity[i].add(delta);
            LogEncoder.Encoded e = d.protocol() == Protocol.UNISWAP_V3
                    ? (delta.signum() > 0 ? LogEncoder.v3Mint(lo, hi, delta) : LogEncoder.v3Burn(lo, hi, delta.negate()))
                    : LogEncoder.v4ModifyLiquidity(d.id(), lo, hi, delta);
            return update(d, n, hash, log, e.kind(), e.topics(), e.data());
        }

        private static FeedFrame.PoolUpdate update(PoolDescriptor d, long n, Bytes32 hash, int log, io.poolstate.dex.event.EventKind kind,
                                                   List<Bytes32> topics, byte[] data) {
            return new FeedFrame.PoolUpdate(n, log, 0, hash, d.id(), kind, topics, data);
        }

        /** Whether pool {@code i}'s snapshot holds what its events say. */
        boolean holds(int i, PoolSnapshot s) {
            int k = slot[i];
            return switch (s) {
                case PoolSnapshot.V2 v2 -> v2.reserve0().equals(slotReserve0[k]) && v2.reserve1().equals(slotReserve1[k]);
                case PoolSnapshot.Concentrated c -> c.sqrtPriceX96().equals(slotPrice[k]) && c.tick() == slotTick[k] && c.liquidity().equals(liquidity[i])
                        && c.ticks().equals(initialTicks.get(i));
                case null -> false;
            };
        }

        /** Pool {@code i}'s served values beside the expected ones (for the error). */
        String difference(int i, PoolSnapshot s) {
            int k = slot[i];
            return switch (s) {
                case PoolSnapshot.V2 v2 -> "reserves=" + v2.reserve0() + "/" + v2.reserve1() + " expected=" + slotReserve0[k] + "/" + slotReserve1[k];
                case PoolSnapshot.Concentrated c -> "sqrt_price_x96=" + c.sqrtPriceX96() + " tick=" + c.tick() + " liquidity=" + c.liquidity() + " ticks="
                        + c.ticks().size() + " expected=" + slotPrice[k] + " " + slotTick[k] + " " + liquidity[i] + " " + initialTicks.get(i).size()
                        + (c.ticks().size() == initialTicks.get(i).size() && !c.ticks().equals(initialTicks.get(i)) ? " (other tick values)" : "");
                case null -> "not served";
            };
        }

        static Bytes32 hash(long n) {
            return Bytes32.of(BigInteger.valueOf(n).shiftLeft(8).or(BigInteger.valueOf(0xa5)));
        }

        private static Address address(SplittableRandom r) {
            byte[] a = new byte[20];
            for (int i = 0; i < a.length; i++) {
                a[i] = (byte) r.nextInt(256);
            }
            return Address.wrap(a);
        }
    }

    private static TickInfo sum(TickInfo a, TickInfo b) {
        return new TickInfo(a.liquidityGross().add(b.liquidityGross()), a.liquidityNet().add(b.liquidityNet()));
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
