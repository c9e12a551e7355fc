package io.poolstate.it;

import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.PoolCatalog;
import io.poolstate.protocol.whitelist.WhitelistFold;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.feed.chain.FeedAgent;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.feed.socket.FrameServer;
import io.poolstate.feed.whitelist.WhitelistTracker;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-check finds a pool that drifted: the feed here leaves one pool off its whitelist, so the arena never
 * hears of its events; the check spots the difference, counts it and rescrapes the pool.
 */
class ArenaSelfCheckIntegrationTest {
    @Test
    void selfCheckRescrapesADriftingPool(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), new DevnetDeployer.Options(3, 2, 1));
             EthClient ws = EthClient.open(devnet.deployment().wsUrl())) {
            FeedMetrics feedMetrics = new FeedMetrics();
            var d = devnet.deployment();
            PoolDescriptor hidden = d.pools().get(0); // a V2 pair: every swap changes its reserves
            WhitelistTracker whitelist = new WhitelistTracker(Set.of(d.contracts().poolManager()), WhitelistFold.Guard.NONE);
            whitelist.offer(WhitelistMessage.full("devnet", 1, Instant.now(), d.pools().subList(1, d.pools().size())));
            ArenaMetrics metrics = new ArenaMetrics();
            ArenaAgent.Settings settings = ArenaAgent.Settings.DEFAULT.withSelfCheck(1, 3);
            try (FrameServer server = new FrameServer(dir.resolve("feed.sock"), d.chainId(), 256, new FrameServer.Limits(10_000, 2_000), feedMetrics).start();
                 FeedAgent feed = new FeedAgent(ws, whitelist, server, feedMetrics, new FeedAgent.Settings(256, Duration.ofSeconds(2), Duration.ofMillis(50))).start();
                 ArenaAgent arena = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, server.path(), PoolCatalog.of(d.pools()), settings, metrics).start()) {
                Thread.sleep(300);
                devnet.chain().mineEmpty();
                ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().mode() == ArenaMode.LIVE, "arena live");
                var token = hidden.token0().address();
                devnet.chain().queue("move the hidden pool", d.contracts().v2Router(), io.poolstate.devnet.contract.Abi.call(
                        "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)", java.math.BigInteger.TEN.pow(15), java.math.BigInteger.ZERO,
                        new com.esaulpaugh.headlong.abi.Address[] {io.poolstate.devnet.contract.Abi.addr(token),
                            io.poolstate.devnet.contract.Abi.addr(hidden.token1().address())},
                        io.poolstate.devnet.contract.Abi.addr(d.trader()), io.poolstate.devnet.contract.Abi.MAX_UINT256), null, 5_000_000);
                devnet.chain().mineAll(10);
                for (int i = 0; i < 6; i++) {
                    devnet.chain().mineEmpty();
                    Thread.sleep(100);
                }
                ArenaEndToEndIntegrationTest.waitFor(() -> metrics.selfCheckDifferences.count() >= 1, "the self-check notices the drift");
                BlockHeader head = devnet.eth().latestHeader();
                ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().blockHash().equals(head.hash()), "arena at the head");
                var chain = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT).scrape(List.of(hidden), BlockRef.hash(head.hash()), head.number());
                PoolId id = hidden.id();
                assertThat(arena.view().pools().get(id).differences(chain.states().get(id).snapshot())).as("rescraped pool equals the chain").isEmpty();
                assertThat(arena.view().scrapedAt().get(id)).as("the pool was rescraped after start-up").isGreaterThan(arena.view().scrapedAt().get(d.pools().get(1).id()));
                System.out.println("arena: self-check found " + metrics.selfCheckDifferences.count() + " difference(s) in " + metrics.selfCheckedPools.count()
                        + " checks and rescraped the pool");
            }
        }
    }
}
