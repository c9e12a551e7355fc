package io.poolstate.bench;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.DevnetStateCache;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.stress.WhitelistStorm;
import io.poolstate.testkit.LoopbackPorts;
import io.poolstate.testkit.NatsServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The whitelist storm ({@link WhitelistStorm}) on a devnet of {@code pools} pools with a private NATS server:
 * {@code rate} whitelist updates a second for {@code seconds} while traffic with reorgs runs, the feed and the arena
 * checked against the published whitelist at every block and against the chain at the end. Prints the report
 * (feed head → EndBlock latency during the storm, the differences found) and exits 1 when there is any difference.
 * From 1,000 pools on the devnet is restored from the saved devnets ({@link DevnetStateCache}) instead of deployed.
 * Usage: {@code java -cp benchmarks.jar io.poolstate.bench.WhitelistStormHarness [pools] [seconds] [rate] [seed]}.
 */
public final class WhitelistStormHarness {
    private static final int SAVED_FROM = 1_000;

    private WhitelistStormHarness() {
    }

    public static void main(String[] args) throws Exception {
        int pools = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        Path dir = Files.createTempDirectory("whitelist-storm");
        WhitelistStorm.Settings settings = WhitelistStorm.Settings.defaults(seed).withDuration(Duration.ofSeconds(seconds)).withRate(rate);
        System.out.printf("whitelist storm: %d pools, %d s, %d updates/s, seed %d%n", pools, seconds, rate, seed);
        long t0 = System.nanoTime();
        WhitelistStorm.Report report;
        try (NatsServerProcess nats = NatsServerProcess.start(Files.createDirectories(dir.resolve("nats")));
             Devnet devnet = startDevnet(dir.resolve("devnet"), new DevnetDeployer.Options(pools, 6, seed))) {
            System.out.printf("devnet with %d pools up in %.1f s%n", devnet.deployment().pools().size(), (System.nanoTime() - t0) / 1e9);
            report = new WhitelistStorm(devnet, nats.url(), dir, settings).run();
        }
        System.out.print(report.describe());
        System.exit(report.differences() == 0 ? 0 : 1);
    }

    /**
     * From {@code SAVED_FROM} pools on, the devnet is restored from the user's saved devnets
     * ({@link DevnetStateCache#userDefault()}, deployed and saved there the first time): at 10,000 pools a deployment by
     * transactions takes over half an hour, a restore seconds. Smaller devnets are deployed afresh.
     */
    private static Devnet startDevnet(Path dir, DevnetDeployer.Options options) {
        if (options.pools() < SAVED_FROM) {
            return Devnet.start(LoopbackPorts.free(), dir, options);
        }
        return BigDevnet.clockAtHead(Devnet.start(LoopbackPorts.free(), dir, options, DevnetStateCache.userDefault()));
    }
}
