package io.poolstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.DeploymentFile;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.mmap.ArenaFileReader;
import io.poolstate.mmap.PoolRecord;
import io.poolstate.testkit.ArenaApiClient;
import io.poolstate.testkit.LoopbackPorts;
import io.poolstate.testkit.PoolstateProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./poolstate feed} and {@code ./poolstate arena} on a devnet where no block is mined: the arena reads
 * its pools pinned at the feed's newest block and is live within seconds, without waiting for a new block; its
 * {@code --mmap} file, read from this process, holds what its API answers.
 */
class IdleChainLauncherIntegrationTest {
    static final Duration LIVE_BOUND = Duration.ofSeconds(20);

    @Test
    void arenaIsLiveOnAnIdleChainWithinSeconds(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), DevnetDeployer.Options.defaults())) {
            var d = devnet.deployment();
            String pools = dir.resolve("devnet").resolve(DeploymentFile.POOLS).toString();
            Path socket = dir.resolve("feed.sock");
            int http = LoopbackPorts.free();
            try (PoolstateProcess feed = PoolstateProcess.start("feed", dir.resolve("feed"), "feed", "--rpc", d.wsUrl(), "--socket", socket.toString(),
                    "--pools", pools, "--metrics", "off");
                 ArenaApiClient api = new ArenaApiClient("http://127.0.0.1:" + http)) {
                feed.waitForLine("feed socket listening", Duration.ofSeconds(60));
                BlockHeader head = devnet.eth().latestHeader();
                long t0 = System.nanoTime();
                Path mmap = dir.resolve("arena.mmap");
                try (PoolstateProcess arena = PoolstateProcess.start("arena", dir.resolve("arena"), "arena", "--feed-socket", socket.toString(), "--rpc",
                        d.httpUrl(), "--pools", pools, "--http", "127.0.0.1:" + http, "--multicall", Multicall3.CANONICAL.toString(), "--mmap",
                        mmap.toString())) {
                    Duration live = api.awaitHealthy(LIVE_BOUND.plusSeconds(30));
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    JsonNode status = api.status();
                    System.out.printf("idle chain: arena process started to live in %.1f s (health answered after %.1f s) at block %d, %d pools%n", seconds,
                            live.toMillis() / 1000.0, status.path("block_number").asLong(), status.path("pools").asInt());
                    assertThat(devnet.eth().latestHeader().hash()).as("no block was mined meanwhile").isEqualTo(head.hash());
                    assertThat(status.path("block_number").asLong()).isEqualTo(head.number());
                    assertThat(status.path("pools").asInt()).isEqualTo(d.pools().size());
                    try (ArenaFileReader file = ArenaFileReader.open(mmap)) {
                        ArenaFileReader.Snapshot snap = file.snapshot();
                        assertThat(snap.blockHash()).as("the arena process's --mmap file").isEqualTo(head.hash().toString());
                        assertThat(snap.pools()).hasSize(d.pools().size());
                        for (PoolRecord r : snap.pools()) {
                            assertThat(ArenaFileIntegrationTest.render(r)).isEqualTo(ArenaFileIntegrationTest.render(api.pool(r.id())));
                        }
                    }
                    assertThat(seconds).as("seconds from start to live").isLessThan(LIVE_BOUND.toSeconds());
                    assertThat(new ChainOracle(devnet.eth(), d).differences("http://127.0.0.1:" + http, d.pools(), head.number(), head.hash())).isEmpty();
                }
            }
        }
    }
}
