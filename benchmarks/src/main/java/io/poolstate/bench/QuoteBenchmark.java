package io.poolstate.bench;

import io.poolstate.dex.math.Uint256;
import io.poolstate.dex.quote.ConcentratedSwap;
import io.poolstate.dex.quote.SwapQuote;
import io.poolstate.dex.state.PoolSnapshot;
import java.math.BigInteger;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * V3 and V4 quote latency, exact input and exact output, crossing 0, 10 and 100 initialised ticks
 * ({@link QuoteCases}): {@code simulate} is the allocation-free API on a reused simulator, {@code quoteBigInteger}
 * the BigInteger API the HTTP server calls (amounts converted in and out, a result record). The quote is checked to
 * cross that many ticks at set-up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class QuoteBenchmark {
    @Param({"v3", "v4"})
    public String protocol;

    @Param({"0", "10", "100"})
    public int ticks;

    @Param({"exactInput", "exactOutput"})
    public String mode;

    private PoolSnapshot.Concentrated pool;
    private boolean exactInput;
    private BigInteger amountBig;
    private Uint256 amount;
    private final ConcentratedSwap swap = new ConcentratedSwap();

    @Setup(Level.Trial)
    public void setUp() {
        pool = QuoteCases.pool(protocol);
        exactInput = mode.equals("exactInput");
        amountBig = QuoteCases.amount(pool, exactInput, ticks);
        amount = Uint256.of(amountBig);
        swap.simulate(pool, false, exactInput, amount, null);
        if (swap.ticksCrossed() != ticks) {
            throw new IllegalStateException("the swap crosses " + swap.ticksCrossed() + " ticks, not " + ticks);
        }
    }

    @Benchmark
    public Uint256 simulate() {
        swap.simulate(pool, false, exactInput, amount, null);
        return exactInput ? swap.amountOut() : swap.amountIn();
    }

    @Benchmark
    public SwapQuote quoteBigInteger() {
        return ConcentratedSwap.quote(pool, false, exactInput, amountBig, null);
    }
}
