package io.poolstate.arena;

import io.poolstate.arena.mmap.ArenaFileWriter;
import io.poolstate.arena.stream.StreamHub;
import io.poolstate.bench.ArenaCheckpointHarness;
import io.poolstate.bench.ArenaHarness;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.scrape.V4LpFeeReader;
import io.poolstate.dex.state.PoolState;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.feed.FrameCodec;
import io.poolstate.protocol.feed.FrameFormatException;
import io.poolstate.testkit.SyntheticPools;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One block through the arena writer's real per-block path ({@link ArenaAgent#applyBlock}: the pools looked up, the
 * book applied with its journal, the touched pools' snapshots, the view and its {@code PoolTable} published, the view
 * history told), at {@code pools} mainnet-shaped pools ({@link SyntheticPools}, V3/V4 with 50–500 initialised ticks
 * each) and blocks of {@code events} state-setting events (V2 {@code Sync}, V3/V4 {@code Swap}) over random pools. One
 * operation is one block. {@code listeners}: {@code history} (the view history only, as in {@code ArenaCheckpointHarness}),
 * or {@code all} (also the stream hub, on its own thread, and the memory-mapped arena file). {@code updates}: the same
 * update objects again ({@code shared}, the default, as in the figures recorded before the parameter), or each block's
 * updates read from their frames just before it, as the feed client hands them over ({@code decoded}: the reading is in
 * JMH's score, not in the printed CPU time). Either way each block's updates are then decoded into events
 * ({@link DecodedUpdates#read}, as the feed client's thread does when a block arrives) before the wait: in JMH's
 * score, not in the printed CPU time. {@code pauseMicros}: the thread waits that long before each block, as the
 * arena's writer waits for the next one, sleeping or spinning as {@code pause} says (0: back to back, caches warm; the
 * wait is in JMH's score, not in the printed CPU time). Each iteration also prints
 * the applying thread's CPU time per block (median, p90, p99; read around each block, which adds two clock reads to the
 * wall time), which the load of a shared machine does not inflate as it does wall time.
 *
 * <p>In the arena's package (the apply path is package-private). Run: {@code java -jar benchmarks.jar ArenaBlockApplyBenchmark
 * -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class ArenaBlockApplyBenchmark {
    private static final int DISTINCT_BLOCKS = 128;
    private static final int HASHES = 1024;

    @Param({"10000"})
    public int pools;

    @Param({"200"})
    public int events;

    @Param({"history"})
    public String listeners;

    /**
     * {@code decoded}: each block's updates are new objects read from their encoded frames just before the block (as the
     * feed client hands them over: pool ids, topics and data of their own, not the catalog's objects), outside the
     * printed CPU time; {@code shared}: the same update objects, built from the catalog's descriptors, every
     * {@value #DISTINCT_BLOCKS} blocks.
     */
    @Param({"shared"})
    public String updates;

    /**
     * Microseconds the applying thread waits before each block ({@link #pause} says how), outside the printed CPU time, as
     * the arena's writer waits for the feed's next block; 0: blocks back to back.
     */
    @Param({"0"})
    public int pauseMicros;

    /** How the thread waits out {@code pauseMicros}: {@code park} (sleeps, as {@link WriterIdle#PARK}) or {@code spin} (as {@link WriterIdle#SPIN}). */
    @Param({"park"})
    public String pause;
    private WriterIdle pauseIdle;

    private LiveBook book;
    private PoolSetFollower follower;
    private LpFeeRefresher lpFees;
    private ViewPublisher views;
    private ArenaMetrics metrics;
    private StreamHub hub;
    private ArenaFileWriter file;
    private Path dir;
    private List<List<FeedFrame.PoolUpdate>> blocks;
    /** Per block, its updates' encoded frames (length prefix included), for {@code updates=decoded}. */
    private List<List<byte[]>> frames;
    private final Bytes32[] hashes = new Bytes32[HASHES];
    private long number;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** CPU time of each block of the iteration (ns), for the median the iteration prints. */
    private long[] blockCpu = new long[1 << 16];
    private int blocksTimed;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        List<PoolDescriptor> descriptors = SyntheticPools.list(pools, 16);
        List<PoolState> states = ArenaCheckpointHarness.liveStates(descriptors, 50, 500, new SplittableRandom(16));
        for (int i = 0; i < HASHES; i++) {
            hashes[i] = Bytes32.of(BigInteger.valueOf(i + 1L));
        }
        number = 1_000;
        metrics = new ArenaMetrics();
        book = new LiveBook(ArenaAgent.Settings.DEFAULT.journalDepth(), number, hash(number));
        states.forEach(s -> book.put(s, number));
        follower = new PoolSetFollower(PoolCatalog.of(descriptors), new PoolScraper(null, Multicall3.CANONICAL, ScrapeSettings.DEFAULT), metrics);
        lpFees = new LpFeeRefresher(new V4LpFeeReader(null, ScrapeSettings.DEFAULT.slotsPerExtsload()), metrics);
        views = new ViewPublisher(1, metrics);
        views.listen(new ViewHistory(ArenaAgent.Settings.DEFAULT.journalDepth()));
        if (listeners.equals("all")) {
            hub = new StreamHub(metrics, 1024).start();
            views.listen(hub);
            dir = Files.createTempDirectory("arena-apply");
            file = ArenaFileWriter.create(dir.resolve("arena.bin"), 1);
            views.file(file);
        } else if (!listeners.equals("history")) {
            throw new IllegalArgumentException("listeners must be history or all: listeners=" + listeners);
        }
        views.reset(book, follower, ArenaMode.LIVE);
        SplittableRandom r = new SplittableRandom(5);
        blocks = new ArrayList<>(DISTINCT_BLOCKS);
        for (int b = 0; b < DISTINCT_BLOCKS; b++) {
            List<FeedFrame.PoolUpdate> block = new ArrayList<>(events);
            for (int i = 0; i < events; i++) {
                block.add(ArenaHarness.update(number + 1 + b, i, descriptors.get(r.nextInt(descriptors.size())), r));
            }
            blocks.add(block);
        }
        pauseIdle = WriterIdle.parse(pause);
        if (updates.equals("decoded")) {
            frames = blocks.stream().map(b -> b.stream().map(FrameCodec::encode).toList()).toList();
        } else if (!updates.equals("shared")) {
            throw new IllegalArgumentException("updates must be decoded or shared: updates=" + updates);
        }
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        blocksTimed = 0;
    }

    /**
     * Prints the applying thread's CPU time per block (median, p90, p99 of the iteration's blocks): time the thread was
     * descheduled on a loaded machine is not in it, as it is in the wall time JMH reports.
     */
    @TearDown(Level.Iteration)
    public void endIteration() {
        long[] t = Arrays.copyOf(blockCpu, Math.min(blocksTimed, blockCpu.length));
        Arrays.sort(t);
        if (t.length > 0) {
            System.out.printf("  [applying thread CPU per block: median %.1f us, p90 %.1f us, p99 %.1f us over %d blocks, load %.1f]%n", t[t.length / 2] / 1e3,
                    t[(int) (t.length * 0.9)] / 1e3, t[(int) (t.length * 0.99)] / 1e3, t.length,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (file != null) {
            file.close();
        }
    }

    private Bytes32 hash(long n) {
        return hashes[(int) (n % HASHES)];
    }

    private static List<FeedFrame.PoolUpdate> decode(List<byte[]> encoded) {
        List<FeedFrame.PoolUpdate> out = new ArrayList<>(encoded.size());
        try {
            for (byte[] f : encoded) {
                out.add((FeedFrame.PoolUpdate) FrameCodec.decode(ByteBuffer.wrap(f, 4, f.length - 4)));
            }
        } catch (FrameFormatException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** One committed block of {@code events} updates, applied and published. */
    @Benchmark
    public ArenaView applyBlock() {
        long n = ++number;
        int k = (int) (n % DISTINCT_BLOCKS);
        FeedBlock b = new FeedBlock(new FeedFrame.BeginBlock(n, hash(n), hash(n - 1), 0, false), frames != null ? decode(frames.get(k)) : blocks.get(k),
                new FeedFrame.EndBlock(n, hash(n), events, 1, pools));
        DecodedUpdates updates = DecodedUpdates.read(b); // as the feed client's thread reads them when the block arrives
        if (pauseMicros > 0) {
            long until = System.nanoTime() + pauseMicros * 1_000L;
            if (pauseIdle == WriterIdle.PARK) {
                java.util.concurrent.locks.LockSupport.parkNanos(pauseMicros * 1_000L);
            } else {
                while (System.nanoTime() < until) {
                    Thread.yield(); // as FeedInbox.spin waits
                }
            }
        }
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        ArenaAgent.applyBlock(b, updates, book, follower, lpFees, views, metrics);
        blockCpu[blocksTimed++ & (blockCpu.length - 1)] = THREADS.getCurrentThreadCpuTime() - cpu0;
        return views.current();
    }
}
