package io.poolstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.stress.WhitelistStorm;
import io.poolstate.testkit.LoopbackPorts;
import io.poolstate.testkit.NatsServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whitelist storm at small scale, the invariant it guards held in every test run: 200 pools, 100 whitelist updates
 * a second for 20 s through the publisher and a NATS server of its own (adds, removes, the same pool added and removed
 * back to back, bursts at every reorg, a full list every 1,000 snapshots) while traffic with reorgs runs; a consumer
 * resumed twice mid-storm. Both consumers' forwarded sets equal the whitelist fold of what was published at every block,
 * every arena view serves the list it names, and at the end the arena equals a fresh read of every pool. The full-size
 * run is {@code WhitelistStormHarness} (docs/BENCHMARKS.md).
 */
class WhitelistStormIntegrationTest {
    @Test
    void feedAndArenaFollowTheWhitelistThroughAStorm(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        long seed = Long.getLong("poolstate.seed", 16L);
        System.out.println("whitelist storm seed=" + seed);
        WhitelistStorm.Settings settings = WhitelistStorm.Settings.defaults(seed).withDuration(Duration.ofSeconds(20)).withRate(100);
        WhitelistStorm.Report report;
        try (NatsServerProcess nats = NatsServerProcess.start(Files.createDirectories(dir.resolve("nats")));
             Devnet devnet = Devnet.start(LoopbackPorts.free(), dir.resolve("devnet"), new DevnetDeployer.Options(200, 4, seed))) {
            report = new WhitelistStorm(devnet, nats.url(), dir, settings).run();
        }
        System.out.print(report.describe());
        assertThat(report.differences()).as("differences (seed %d):%n%s", seed, report.describe()).isZero();
        assertThat(report.updates()).as("updates published (the rate reached depends on the machine's load)").isGreaterThan(200);
        assertThat(report.updatesByKind()).containsKeys("add", "remove", "add+remove same pool", "remove+add same pool", "full");
        assertThat(report.stormReorgs()).as("reorgs during the storm").isPositive();
        assertThat(report.reorgsWithUpdates()).as("reorgs during the storm whose replacement block applied queued updates").isPositive();
        assertThat(report.resumes()).isEqualTo(2);
        assertThat(report.arenaPoolsCompared()).as("every listed pool compared with the chain at the end").isEqualTo(report.finalPools());
    }
}
