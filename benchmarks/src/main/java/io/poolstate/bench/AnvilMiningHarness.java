package io.poolstate.bench;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.traffic.TrafficGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What mining costs the devnet's node at a given size: traffic mines blocks of N transactions with a pause between
 * them, for 15 s per setting, and the node's CPU time (its process's, as the operating system counts it) is divided by
 * the blocks mined. Tells how much of the node a cold start's traffic leaves for the scrape ({@link ArenaScaleHarness}).
 * Usage: {@code java -cp benchmarks.jar io.poolstate.bench.AnvilMiningHarness [pools] [txs]x[pause-ms] ...} (defaults
 * 10000 20x200 1x200 20x2000).
 */
public final class AnvilMiningHarness {
    private AnvilMiningHarness() {
    }

    public static void main(String[] args) throws Exception {
        int pools = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        String[] settings = args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length) : new String[] {"20x200", "1x200", "20x2000"};
        Path dir = Files.createTempDirectory("anvil-mining");
        try (Devnet devnet = BigDevnet.start(31549, dir.resolve("devnet"), pools, 0, 0)) {
            ProcessHandle node = ProcessHandle.current().descendants().filter(h -> h.info().command().orElse("").contains("anvil")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the devnet's anvil process is not a child of this one"));
            for (String setting : settings) {
                String[] p = setting.split("x");
                int txs = Integer.parseInt(p[0]);
                int pauseMs = Integer.parseInt(p[1]);
                TrafficGenerator traffic = new TrafficGenerator(devnet.chain(), devnet.deployment(), new TrafficGenerator.Options(Integer.MAX_VALUE, 3, txs, 0, 1));
                AtomicLong mined = new AtomicLong();
                Thread t = Thread.ofPlatform().start(() -> traffic.run((n, mine) -> {
                    mined.incrementAndGet();
                    ArenaHarness.sleep(pauseMs);
                }));
                ArenaHarness.sleep(3000);
                Duration c0 = cpu(node);
                long b0 = mined.get();
                long t0 = System.nanoTime();
                ArenaHarness.sleep(15_000);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double cpu = cpu(node).minus(c0).toNanos() / 1e9;
                long blocks = mined.get() - b0;
                System.out.printf("%d pools, blocks of %d txs, %d ms between blocks: %d blocks in %.1f s, node CPU %.0f %% of a core, %.0f ms of node CPU per"
                        + " block (load %s)%n", pools, txs, pauseMs, blocks, seconds, cpu / seconds * 100, cpu * 1000 / Math.max(1, blocks),
                        ArenaScaleHarness.load());
                traffic.stop();
                t.join();
            }
        }
    }

    private static Duration cpu(ProcessHandle h) {
        return h.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("the node's CPU time is not available here"));
    }
}
