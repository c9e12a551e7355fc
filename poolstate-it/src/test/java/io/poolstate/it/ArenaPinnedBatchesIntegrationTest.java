package io.poolstate.it;

import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.WriterIdle;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up with the scrape split into small batches, each pinned to the newest block the feed has sent, while
 * traffic runs: the pools end up scraped at several different blocks, replay gives each only its later blocks,
 * and every pool equals the chain afterwards, through further traffic with reorgs.
 */
class ArenaPinnedBatchesIntegrationTest {
    @Test
    void batchesPinnedToSuccessiveBlocksEndExact(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), DevnetDeployer.Options.defaults());
             ArenaFixture f = new ArenaFixture(devnet, dir.resolve("feed.sock"), 45, 12)) {
            ArenaMetrics metrics = new ArenaMetrics();
            // five pools per batch, scrapes slowed to a few calls per request and no storage lens (which reads a pool in one
            // call): the chain moves between batches
            ArenaAgent.Settings settings = new ArenaAgent.Settings(10_000, 256, new ScrapeSettings(4, 1, 1, 1000).withStorageReads(StorageReads.CALLS), 0, 0,
                    null, 100, 5,
                    java.time.Duration.ofSeconds(15), java.time.Duration.ofSeconds(10), WriterIdle.PARK);
            // the chain stands still until the arena has connected: its first batch is pinned to this head, below the
            // seed's first reorg (rolled back to block 20), so no revert can take that batch back to be read again at
            // the block the later ones are re-read at (which left every pool at one block)
            f.stepwise();
            long head0 = devnet.eth().latestHeader().number();
            assertThat(head0).as("head before the arena starts, below the seed's first reorg").isLessThan(20);
            try (ArenaAgent arena = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, f.socket, PoolCatalog.of(f.d.pools()), settings, metrics).start()) {
                // then a block every 100 ms while the batches are read: each later batch's pin is a newer block
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (arena.view().mode() != ArenaMode.LIVE) {
                    assertThat(System.nanoTime()).as("arena live within 120 s").isLessThan(deadline);
                    f.step();
                    Thread.sleep(100);
                }
                Set<Long> pins = new HashSet<>(arena.view().scrapedAt().values());
                System.out.println("arena: start-up scraped " + f.d.pools().size() + " pools at " + pins.size() + " different blocks " + pins
                        + "; restarts=" + metrics.rescrapes.count());
                assertThat(pins.size()).as("pools scraped at successive blocks").isGreaterThan(1);
                for (int round = 0; round < 30; round++) {
                    f.step();
                    BlockHeader head = devnet.eth().latestHeader();
                    ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().blockHash().equals(head.hash()), "arena at " + head.number());
                    ScrapeResult chain = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT.withStorageReads(StorageReads.CALLS)).scrape(f.d.pools(),
                            BlockRef.hash(head.hash()), head.number());
                    List<String> diffs = new ArrayList<>();
                    for (PoolDescriptor p : f.d.pools()) {
                        arena.view().pools().get(p.id()).differences(chain.states().get(p.id()).snapshot()).forEach(x -> diffs.add(p.id() + " " + x));
                    }
                    assertThat(diffs).as("block %d", head.number()).isEmpty();
                }
            }
        }
    }
}
