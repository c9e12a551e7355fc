package io.poolstate.bench;

import io.poolstate.dex.event.DecodedLog;
import io.poolstate.dex.event.PoolEvent;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.state.PoolStateBook;
import io.poolstate.dex.state.V2PoolState;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Events applied per second, one thread, through {@link PoolStateBook#applyBlock} (journal included):
 * blocks of 200 events over 100 pools. Pre-decoded events; the block number advances every call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventApplyBenchmark {
    private static final int EVENTS = 200;

    private PoolStateBook book;
    private List<DecodedLog> syncs;
    private List<DecodedLog> v3Swaps;
    private List<DecodedLog> v3Mints;
    private long block;

    @Setup(Level.Trial)
    public void setUp() {
        book = new PoolStateBook(256);
        List<PoolDescriptor> v2 = new ArrayList<>();
        List<PoolDescriptor> v3 = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            v2.add(Fixtures.v2(i));
            v3.add(Fixtures.v3(i));
            book.put(new V2PoolState(v2.get(i), BigInteger.TEN, BigInteger.TEN));
            book.put(Fixtures.ladder(v3.get(i), 50));
        }
        syncs = new ArrayList<>();
        v3Swaps = new ArrayList<>();
        v3Mints = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            syncs.add(Fixtures.sync(v2.get(i % 100), 1000L + i, 2000L + i));
            v3Swaps.add(Fixtures.swap(v3.get(i % 100), (i % 40) - 20));
            BigInteger amount = BigInteger.valueOf(1000 + i);
            v3Mints.add(new DecodedLog(v3.get(i % 100).id(), i % 2 == 0
                    ? new PoolEvent.V3Mint(Address.ZERO, Address.ZERO, -600, 600, amount, BigInteger.ONE, BigInteger.ONE)
                    : new PoolEvent.V3Burn(Address.ZERO, -600, 600, BigInteger.valueOf(1000 + i - 1), BigInteger.ONE, BigInteger.ONE), Fixtures.LOG));
        }
    }

    private PoolStateBook.BlockId next() {
        block++;
        return new PoolStateBook.BlockId(block, Bytes32.ZERO);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public PoolStateBook v2Sync() throws Exception {
        book.applyBlock(next(), syncs);
        return book;
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public PoolStateBook v3Swap() throws Exception {
        book.applyBlock(next(), v3Swaps);
        return book;
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public PoolStateBook v3MintBurn() throws Exception {
        book.applyBlock(next(), v3Mints);
        return book;
    }
}
