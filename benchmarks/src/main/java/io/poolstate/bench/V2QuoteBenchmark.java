package io.poolstate.bench;

import io.poolstate.dex.math.Uint256;
import io.poolstate.dex.quote.SwapQuote;
import io.poolstate.dex.quote.V2Swap;
import java.math.BigInteger;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * V2 quote latency on a pair holding 1.2e24 and 3.5e12 (an 18- and a 6-decimal token): getAmountOut and getAmountIn
 * on registers (allocation-free), and the BigInteger quote the HTTP server calls.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class V2QuoteBenchmark {
    private static final BigInteger RESERVE0 = new BigInteger("1200000000000000000000000");
    private static final BigInteger RESERVE1 = new BigInteger("3500000000000");
    private static final BigInteger AMOUNT_IN = new BigInteger("1500000000000000000");
    private static final BigInteger AMOUNT_OUT = new BigInteger("4000000000");

    private final Uint256 reserve0 = Uint256.of(RESERVE0);
    private final Uint256 reserve1 = Uint256.of(RESERVE1);
    private final Uint256 amountIn = Uint256.of(AMOUNT_IN);
    private final Uint256 amountOut = Uint256.of(AMOUNT_OUT);
    private final Uint256 result = new Uint256();

    @Benchmark
    public Uint256 getAmountOut() {
        V2Swap.UNISWAP.getAmountOut(amountIn, reserve0, reserve1, result);
        return result;
    }

    @Benchmark
    public Uint256 getAmountIn() {
        V2Swap.UNISWAP.getAmountIn(amountOut, reserve0, reserve1, result);
        return result;
    }

    @Benchmark
    public SwapQuote quoteBigInteger() {
        return V2Swap.UNISWAP.quote(RESERVE0, RESERVE1, true, true, AMOUNT_IN);
    }
}
