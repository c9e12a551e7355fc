package io.poolstate.it;

import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.PoolCatalog;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.scrape.StorageReads;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.BlockRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arena is stopped mid-traffic and started again from its checkpoint: it catches up without a scrape and without a difference. */
class ArenaRestartIntegrationTest {
    @Test
    void restartsFromTheCheckpoint(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        Path checkpoint = dir.resolve("arena-checkpoint.json");
        ArenaAgent.Settings settings = ArenaAgent.Settings.DEFAULT.withCheckpoint(checkpoint, 10);
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), DevnetDeployer.Options.defaults());
             ArenaFixture f = new ArenaFixture(devnet, dir.resolve("feed.sock"), 55, 0)) {
            long stoppedAt;
            try (ArenaAgent first = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, f.socket, PoolCatalog.of(f.d.pools()), settings, new ArenaMetrics()).start()) {
                ArenaEndToEndIntegrationTest.waitFor(() -> first.view().mode() == ArenaMode.LIVE, "arena live");
                f.stepwise();
                for (int i = 0; i < 25; i++) {
                    f.step();
                }
                BlockHeader head = devnet.eth().latestHeader();
                ArenaEndToEndIntegrationTest.waitFor(() -> first.view().blockHash().equals(head.hash()), "first arena at the head");
                stoppedAt = head.number();
            }
            assertThat(Files.exists(checkpoint)).isTrue();
            for (int i = 0; i < 12; i++) {
                f.step(); // traffic goes on while the arena is down
            }
            ArenaMetrics metrics = new ArenaMetrics();
            try (ArenaAgent second = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, f.socket, PoolCatalog.of(f.d.pools()), settings, metrics).start()) {
                for (int i = 0; i < 5; i++) {
                    f.step();
                }
                BlockHeader head = devnet.eth().latestHeader();
                ArenaEndToEndIntegrationTest.waitFor(() -> second.view().blockHash().equals(head.hash()), "restarted arena catches up to " + head.number());
                assertThat(metrics.rescrapes.count()).as("no rescrape").isZero();
                assertThat(second.view().scrapedAt().values()).as("states come from the checkpoint, not a new scrape").allMatch(b -> b < stoppedAt);
                ScrapeResult chain = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT.withStorageReads(StorageReads.CALLS)).scrape(f.d.pools(),
                        BlockRef.hash(head.hash()), head.number());
                List<String> diffs = new ArrayList<>();
                for (PoolDescriptor p : f.d.pools()) {
                    second.view().pools().get(p.id()).differences(chain.states().get(p.id()).snapshot()).forEach(x -> diffs.add(p.id() + " " + x));
                }
                assertThat(diffs).isEmpty();
                System.out.println("arena: restarted from its checkpoint at block " + stoppedAt + " and caught up to " + head.number()
                        + " without a scrape; blocks applied after restart=" + metrics.blocksApplied.count());
            }
        }
    }
}
