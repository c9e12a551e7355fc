package io.poolstate.bench;

import io.poolstate.dex.math.Uint256;
import io.poolstate.dex.quote.ConcentratedSwap;
import io.poolstate.dex.quote.V2Swap;
import io.poolstate.dex.state.PoolSnapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;

/**
 * The cases of {@link QuoteBenchmark} and {@link V2QuoteBenchmark} timed by the thread's CPU time instead of the wall
 * clock: on a machine shared with other work, time spent descheduled does not count (cache and core sharing still
 * do). Per case: 2 s of warm-up, then the best of 5 rounds of 2 s, in ns of CPU time per quote.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar io.poolstate.bench.QuoteCpuTimeHarness [filter]},
 * the filter (e.g. {@code "v3 exactInput"}, {@code v2}) selecting the cases whose protocol and mode contain it.
 */
public final class QuoteCpuTimeHarness {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static long sink;

    private QuoteCpuTimeHarness() {
    }

    public static void main(String[] args) {
        String only = args.length > 0 ? args[0] : "";
        System.out.printf("%-8s %-12s %6s %14s%n", "pool", "mode", "ticks", "CPU ns/quote");
        for (String protocol : new String[] {"v3", "v4"}) {
            PoolSnapshot.Concentrated pool = QuoteCases.pool(protocol);
            for (String mode : new String[] {"exactInput", "exactOutput"}) {
                boolean exactInput = mode.equals("exactInput");
                if (!(protocol + " " + mode).contains(only)) {
                    continue;
                }
                for (int ticks : new int[] {0, 10, 100}) {
                    Uint256 amount = Uint256.of(QuoteCases.amount(pool, exactInput, ticks));
                    ConcentratedSwap swap = new ConcentratedSwap();
                    double ns = time(() -> {
                        swap.simulate(pool, false, exactInput, amount, null);
                        sink += swap.amountOut().word(0);
                    });
                    System.out.printf("%-8s %-12s %6d %14.1f%n", protocol, mode, ticks, ns);
                }
            }
        }
        if (!only.isEmpty() && !only.startsWith("v2")) {
            return;
        }
        Uint256 r0 = Uint256.of(new BigInteger("1200000000000000000000000"));
        Uint256 r1 = Uint256.of(new BigInteger("3500000000000"));
        Uint256 in = Uint256.of(new BigInteger("1500000000000000000"));
        Uint256 out = Uint256.of(new BigInteger("4000000000"));
        Uint256 result = new Uint256();
        System.out.printf("%-8s %-12s %6s %14.1f%n", "v2", "exactInput", "-", time(() -> {
            V2Swap.UNISWAP.getAmountOut(in, r0, r1, result);
            sink += result.word(0);
        }));
        System.out.printf("%-8s %-12s %6s %14.1f%n", "v2", "exactOutput", "-", time(() -> {
            V2Swap.UNISWAP.getAmountIn(out, r0, r1, result);
            sink += result.word(0);
        }));
        if (sink == 42) {
            System.out.println();
        }
    }

    /** Best of 5 rounds of about 2 s CPU time each, after 2 s of warm-up: ns of CPU time per call. */
    private static double time(Runnable op) {
        round(op, 2_000_000_000L);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            best = Math.min(best, round(op, 2_000_000_000L));
        }
        return best;
    }

    private static double round(Runnable op, long cpuNanos) {
        long start = CPU.getCurrentThreadCpuTime();
        long calls = 0;
        long now = start;
        while (now - start < cpuNanos) {
            for (int i = 0; i < 1000; i++) {
                op.run();
            }
            calls += 1000;
            now = CPU.getCurrentThreadCpuTime();
        }
        return (double) (now - start) / calls;
    }
}
