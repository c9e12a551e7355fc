package io.poolstate.bench;

import io.poolstate.dex.math.FullMath;
import io.poolstate.dex.math.SqrtPriceMath;
import io.poolstate.dex.math.SwapMath;
import io.poolstate.dex.math.TickMath;
import io.poolstate.dex.math.Uint256;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickTable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;

/**
 * The functions of a concentrated-liquidity swap step timed one by one, by the thread's CPU time, on the inputs
 * the {@link QuoteCases} ladder gives them (prices of the initialised ticks 0, 60, ..., 6000, liquidity about
 * 10^21, amounts about 10^18): where the time of {@link QuoteCpuTimeHarness}'s steps goes. Per function: 1 s of
 * warm-up, then the best of 10 rounds of 0.2 s (the best resists the load of a shared machine), in ns of CPU time per call.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar io.poolstate.bench.MathCpuTimeHarness [name part]}
 */
public final class MathCpuTimeHarness {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final int N = 101;
    private static long sink;
    /** Only the functions whose name contains this (the first argument), or all. */
    private static String only = "";

    private MathCpuTimeHarness() {
    }

    public static void main(String[] args) {
        only = args.length > 0 ? args[0] : "";
        Uint256[] prices = new Uint256[N];
        int[] ticks = new int[N];
        for (int i = 0; i < N; i++) {
            ticks[i] = 60 * i;
            prices[i] = new Uint256();
            TickMath.getSqrtRatioAtTick(ticks[i], prices[i]);
        }
        Uint256[] inside = new Uint256[N - 1];
        for (int i = 0; i < N - 1; i++) {
            // a price strictly inside each range, as a step ending within it leaves
            inside[i] = Uint256.of(prices[i].toBigInteger().add(prices[i + 1].toBigInteger()).shiftRight(1));
        }
        Uint256 liquidity = Uint256.of(BigInteger.TEN.pow(21).add(BigInteger.TEN.pow(20)));
        Uint256 amount = Uint256.of(new BigInteger("1234567890123456789"));
        Uint256 result = new Uint256();
        Uint256 scratch = new Uint256();
        Uint256 complement = new Uint256(997_000);
        Uint256 pips = new Uint256(1_000_000);
        Uint256 fee = new Uint256(3_000);
        SwapMath.Step step = new SwapMath.Step();
        TickTable table = QuoteCases.pool("v3").tickTable();
        int[] i = {0};
        report("getAmount0Delta (one range, round down)", () -> {
            int k = next(i);
            SqrtPriceMath.getAmount0Delta(prices[k], prices[k + 1], liquidity, false, result);
            sink += result.word(0);
        });
        report("getAmount0Delta (one range, round up)", () -> {
            int k = next(i);
            SqrtPriceMath.getAmount0Delta(prices[k], prices[k + 1], liquidity, true, result);
            sink += result.word(0);
        });
        report("getAmount0Delta (same range again)", () -> {
            int k = next(i);
            SqrtPriceMath.getAmount0Delta(prices[50], prices[51], liquidity, false, result);
            sink += result.word(0) + k;
        });
        report("getAmount1Delta (one range, round up)", () -> {
            int k = next(i);
            SqrtPriceMath.getAmount1Delta(prices[k], prices[k + 1], liquidity, true, result);
            sink += result.word(0);
        });
        report("FullMath.mulDiv(amount, 997000, 1e6)", () -> {
            int k = next(i);
            amount.setWords(0, 0, 0, 1234567890123456789L + k);
            FullMath.mulDiv(amount, complement, pips, result);
            sink += result.word(0);
        });
        report("FullMath.mulDivRoundingUp(amount, 3000, 997000)", () -> {
            int k = next(i);
            amount.setWords(0, 0, 0, 1234567890123456789L + k);
            FullMath.mulDivRoundingUp(amount, fee, complement, result);
            sink += result.word(0);
        });
        report("getNextSqrtPriceFromInput (token1 in)", () -> {
            int k = next(i);
            amount.setWords(0, 0, 0, 1234567890123456789L + k);
            SqrtPriceMath.getNextSqrtPriceFromInput(prices[k], liquidity, amount, false, result);
            sink += result.word(0);
        });
        report("getNextSqrtPriceFromInput (token0 in)", () -> {
            int k = next(i);
            amount.setWords(0, 0, 0, 1234567890123456789L + k);
            SqrtPriceMath.getNextSqrtPriceFromInput(prices[k + 1], liquidity, amount, true, result);
            sink += result.word(0);
        });
        report("TickMath.getSqrtRatioAtTick (cached)", () -> {
            int k = next(i);
            TickMath.getSqrtRatioAtTick(ticks[k], result);
            sink += result.word(0);
        });
        report("TickMath.computeSqrtRatioAtTick (uncached)", () -> {
            int k = next(i);
            TickMath.computeSqrtRatioAtTick(ticks[k], result);
            sink += result.word(0);
        });
        report("TickMath.getTickAtSqrtRatio", () -> {
            int k = next(i);
            sink += TickMath.getTickAtSqrtRatio(inside[k], scratch);
        });
        report("TickTable.nextInitializedTickWithinOneWord", () -> {
            int k = next(i);
            sink += table.nextInitializedTickWithinOneWord(ticks[k], 60, false);
        });
        report("computeSwapStepV3 (exact input, reaches the tick)", () -> {
            int k = next(i);
            amount.setWords(0, 0, 1, 0);
            SwapMath.computeSwapStepV3(prices[k], prices[k + 1], liquidity, amount, true, 3000, step);
            sink += step.amountOut.word(0);
        });
        report("computeSwapStepV3 (exact input, ends inside)", () -> {
            int k = next(i);
            amount.setWords(0, 0, 0, 1234567890123456789L + k);
            SwapMath.computeSwapStepV3(prices[k], prices[k + 1], liquidity, amount, true, 3000, step);
            sink += step.amountOut.word(0);
        });
        report("computeSwapStepV4 (exact input, reaches the tick)", () -> {
            int k = next(i);
            amount.setWords(0, 0, 1, 0);
            SwapMath.computeSwapStepV4(prices[k], prices[k + 1], liquidity, amount, true, 3000, step);
            sink += step.amountOut.word(0);
        });
        report("computeSwapStepV3 (exact output, reaches the tick)", () -> {
            int k = next(i);
            amount.setWords(0, 0, 1, 0);
            SwapMath.computeSwapStepV3(prices[k], prices[k + 1], liquidity, amount, false, 3000, step);
            sink += step.amountOut.word(0);
        });
        if (sink == 42) {
            System.out.println();
        }
    }

    private static int next(int[] i) {
        int k = i[0] + 1;
        if (k == N - 1) {
            k = 0;
        }
        i[0] = k;
        return k;
    }

    private static void report(String name, Runnable op) {
        if (!name.contains(only)) {
            return;
        }
        round(op, 1_000_000_000L);
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 10; r++) {
            best = Math.min(best, round(op, 200_000_000L));
        }
        System.out.printf("%-52s %8.1f ns%n", name, best);
    }

    private static double round(Runnable op, long cpuNanos) {
        long start = CPU.getCurrentThreadCpuTime();
        long calls = 0;
        long now = start;
        while (now - start < cpuNanos) {
            for (int r = 0; r < 1000; r++) {
                op.run();
            }
            calls += 1000;
            now = CPU.getCurrentThreadCpuTime();
        }
        return (double) (now - start) / calls;
    }
}
