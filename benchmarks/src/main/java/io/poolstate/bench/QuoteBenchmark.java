package io.poolstate.bench;

import io.poolstate.dex.quote.ConcentratedSwap;
import io.poolstate.dex.quote.SwapQuote;
import io.poolstate.dex.state.ConcentratedPoolState;
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
 * V3 exact-input quote latency crossing 0, 10 and 100 initialised ticks. The pool has an initialised tick
 * every spacing; the input amount is chosen (by bisection, at set-up) so the swap crosses exactly
 * {@code ticks} of them. The quote is checked to cross that many.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class QuoteBenchmark {
    @Param({"0", "10", "100"})
    public int ticks;

    private ConcentratedPoolState pool;
    private BigInteger amountIn;

    @Setup(Level.Trial)
    public void setUp() {
        pool = Fixtures.ladder(Fixtures.v3(1), 200);
        BigInteger lo = BigInteger.ONE;
        BigInteger hi = BigInteger.TEN.pow(40);
        while (lo.compareTo(hi) < 0) {
            BigInteger mid = lo.add(hi).add(BigInteger.ONE).shiftRight(1);
            if (crossed(mid) <= ticks) {
                lo = mid;
            } else {
                hi = mid.subtract(BigInteger.ONE);
            }
        }
        amountIn = lo;
        if (crossed(amountIn) != ticks) {
            throw new IllegalStateException("could not size a swap crossing " + ticks + " ticks");
        }
    }

    private int crossed(BigInteger amount) {
        return ConcentratedSwap.quote(pool, false, true, amount, null).ticksCrossed();
    }

    @Benchmark
    public SwapQuote exactInput() {
        return ConcentratedSwap.quote(pool, false, true, amountIn, null);
    }
}
