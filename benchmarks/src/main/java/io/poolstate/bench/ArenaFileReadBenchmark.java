package io.poolstate.bench;

import io.poolstate.mmap.ArenaFileReader;
import io.poolstate.mmap.PoolHandle;
import io.poolstate.mmap.PoolRecord;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Reading a pool from the arena file in another process: the benchmark starts {@link ArenaFileWriterProcess} (its
 * own JVM) writing 1,000 V3 pools with a block every 100 ms changing 100 of them, maps the file and reads one
 * pool's price and liquidity ({@link ArenaFileReader#readPrice}, record seqlock) or the whole pool with its 50 ticks
 * at the header's block ({@link ArenaFileReader#readPool}, both seqlocks), cycling over the pools.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ArenaFileReadBenchmark {
    @Param("1000")
    int pools;

    private Process writer;
    private Path dir;
    private ArenaFileReader reader;
    private PoolHandle[] handles;
    private final PoolRecord rec = new PoolRecord();
    private int next;

    @Setup(Level.Trial)
    public void start() throws Exception {
        dir = Files.createTempDirectory("arena-file-bench");
        Path file = dir.resolve("arena.mmap");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ArenaFileWriterProcess.class.getName(), file.toString(),
                Integer.toString(pools), "100", "100").redirectOutput(new File("/dev/null")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (Files.exists(file)) {
                reader = ArenaFileReader.open(file);
                if (reader.blockNumber() >= 2) {
                    break;
                }
            }
            if (System.nanoTime() > deadline || !writer.isAlive()) {
                throw new IllegalStateException("the writer process did not write two blocks within 60 s");
            }
            Thread.sleep(100);
        }
        handles = new PoolHandle[pools];
        for (int i = 0; i < pools; i++) {
            handles[i] = PoolHandle.of(ArenaFileWriterProcess.poolId(i));
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        writer.destroy();
        writer.waitFor(10, TimeUnit.SECONDS);
        try (var files = Files.list(dir)) {
            files.forEach(f -> f.toFile().delete());
        }
        Files.deleteIfExists(dir);
    }

    private PoolHandle nextHandle() {
        int i = next++;
        if (next == handles.length) {
            next = 0;
        }
        return handles[i];
    }

    /** A pool's sqrtPriceX96 and liquidity (and tick, fee, reserves) as one version. */
    @Benchmark
    public long priceAndLiquidity() {
        if (!reader.readPrice(nextHandle(), rec)) {
            throw new IllegalStateException("pool missing");
        }
        return rec.sqrtPriceX96Limb(1) ^ rec.liquidityLimb(0);
    }

    /** The whole pool with its 50 ticks at the header's block. */
    @Benchmark
    public long wholePool() {
        if (!reader.readPool(nextHandle(), rec)) {
            throw new IllegalStateException("pool missing");
        }
        return rec.tickCount() ^ rec.blockNumber();
    }
}
