package io.poolstate.devnet.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.IntegrationTests;
import io.poolstate.devnet.chain.DevChain;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.event.DecodedLog;
import io.poolstate.dex.event.LogDecoder;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.PoolStateBook;
import io.poolstate.eth.Address;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.Log;
import io.poolstate.eth.rpc.LogFilter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrape every devnet pool at block R, then for 200+ blocks of traffic with reorgs apply each block's events
 * (reverting orphaned blocks through the journal) and compare every pool, field and initialised tick with a
 * fresh scrape at that block.
 */
class EngineTrackingIntegrationTest {
    @Test
    void engineEqualsAFreshScrapeAfterEveryBlock(@TempDir Path dir) throws Exception {
        IntegrationTests.assumeEnabled();
        long seed = Long.getLong("poolstate.seed", 11L);
        System.out.println("engine tracking seed=" + seed + " (rerun with -Dpoolstate.seed=" + seed + ")");
        try (Devnet devnet = Devnet.start(IntegrationTests.port(getClass()), dir, DevnetDeployer.Options.defaults())) {
            Deployment d = devnet.deployment();
            PoolScraper scraper = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT);
            BlockHeader r = devnet.eth().latestHeader();
            ScrapeResult initial = scraper.scrape(d.pools(), r.number());
            assertThat(initial.failures()).isEmpty();
            PoolStateBook book = new PoolStateBook(64);
            initial.states().values().forEach(book::put);

            List<Address> emitters = new ArrayList<>();
            d.pools().stream().filter(p -> p.protocol() != Protocol.UNISWAP_V4).forEach(p -> emitters.add(p.id().address()));
            emitters.add(d.contracts().poolManager());
            List<PoolStateBook.BlockId> applied = new ArrayList<>();
            int[] compared = {0};
            int[] reverted = {0};
            TrafficGenerator.Report report = new TrafficGenerator(devnet.chain(), d, new TrafficGenerator.Options(210, seed, 8, 25, 3))
                    .run(new TrafficGenerator.Listener() {
                        @Override
                        public void onBlock(long number, List<DevChain.Mined> txs) {
                            BlockHeader h = devnet.eth().header(number);
                            List<DecodedLog> events = new ArrayList<>();
                            for (Log l : devnet.eth().logs(LogFilter.block(h.hash(), emitters))) {
                                try {
                                    DecodedLog e = LogDecoder.decode(l);
                                    if (e != null) {
                                        events.add(e);
                                    }
                                } catch (Exception e) {
                                    throw new AssertionError(e);
                                }
                            }
                            PoolStateBook.BlockId id = new PoolStateBook.BlockId(h.number(), h.hash());
                            try {
                                book.applyBlock(id, events);
                            } catch (Exception e) {
                                throw new AssertionError(e);
                            }
                            applied.add(id);
                            compare(scraper, book, d, number);
                            compared[0]++;
                        }

                        @Override
                        public void onReorg(int depth, long newHead) {
                            for (int i = 0; i < depth; i++) {
                                try {
                                    book.revertBlock(applied.remove(applied.size() - 1));
                                } catch (Exception e) {
                                    throw new AssertionError(e);
                                }
                                reverted[0]++;
                            }
                            compare(scraper, book, d, newHead);
                        }
                    });
            System.out.println("engine tracking: " + report.blocks() + " blocks, " + report.transactions() + " txs, " + report.reorgs()
                    + " reorgs, blocks reverted=" + reverted[0] + ", compared=" + compared[0] + ", events applied=" + book.appliedEvents());
            assertThat(compared[0]).isGreaterThanOrEqualTo(200);
            assertThat(report.reorgs()).isGreaterThanOrEqualTo(3);
        }
    }

    private static void compare(PoolScraper scraper, PoolStateBook book, Deployment d, long block) {
        ScrapeResult fresh = scraper.scrape(d.pools(), block);
        assertThat(fresh.failures()).as("scrape failures at block %d", block).isEmpty();
        List<String> diffs = new ArrayList<>();
        for (PoolDescriptor p : d.pools()) {
            PoolSnapshot mine = book.get(p.id()).snapshot();
            PoolSnapshot chain = fresh.states().get(p.id()).snapshot();
            mine.differences(chain).forEach(x -> diffs.add(p.protocol().wireName() + " " + p.id() + " " + x));
        }
        assertThat(diffs).as("differences from the chain at block %d", block).isEmpty();
    }
}
