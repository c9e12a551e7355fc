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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feed is killed mid-traffic and started again: the arena resumes from its last block, with no rescrape and no difference. */
class ArenaFeedRestartIntegrationTest {
    @Test
    void arenaResumesAcrossAFeedRestart(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), DevnetDeployer.Options.defaults());
             ArenaFixture f = new ArenaFixture(devnet, dir.resolve("feed.sock"), 44, 0)) {
            ArenaMetrics metrics = new ArenaMetrics();
            try (ArenaAgent arena = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, f.socket, PoolCatalog.of(f.d.pools()), ArenaAgent.Settings.DEFAULT, metrics).start()) {
                ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().mode() == ArenaMode.LIVE, "arena live");
                f.stepwise();
                for (int i = 0; i < 10; i++) {
                    f.step();
                }
                BlockHeader before = devnet.eth().latestHeader();
                ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().blockHash().equals(before.hash()), "arena at the head");
                f.stopFeed();
                for (int i = 0; i < 8; i++) {
                    f.step(); // blocks the arena cannot see while the feed is down
                }
                f.startFeed();
                for (int i = 0; i < 5; i++) {
                    f.step();
                }
                BlockHeader head = devnet.eth().latestHeader();
                ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().blockHash().equals(head.hash()), "arena catches up to " + head.number());
                assertThat(metrics.rescrapes.count()).as("no rescrape").isZero();
                assertThat(arena.view().scrapedAt().values()).allMatch(b -> b < before.number());
                ScrapeResult chain = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT.withStorageReads(StorageReads.CALLS)).scrape(f.d.pools(),
                        BlockRef.hash(head.hash()), head.number());
                List<String> diffs = new ArrayList<>();
                for (PoolDescriptor p : f.d.pools()) {
                    arena.view().pools().get(p.id()).differences(chain.states().get(p.id()).snapshot()).forEach(x -> diffs.add(p.id() + " " + x));
                }
                assertThat(diffs).isEmpty();
                System.out.println("arena: resumed across a feed restart from block " + before.number() + " to " + head.number()
                        + " without a rescrape; blocks applied=" + metrics.blocksApplied.count());
            }
        }
    }
}
