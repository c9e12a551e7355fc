package io.poolstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.PoolCatalog;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.event.EventKind;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.scrape.StorageReads;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.feed.chain.FeedAgent;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.feed.socket.FrameServer;
import io.poolstate.feed.whitelist.WhitelistTracker;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.testkit.RpcCall;
import io.poolstate.testkit.RpcFault;
import io.poolstate.testkit.RpcFaultProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that consistently misreports one pool's Sync events (the same wrong reserve in every answer, so the
 * feed has nothing to refuse) makes the arena drift from what the chain's storage says; the self-check compares
 * a sample with a fresh read, finds the difference and replaces the pool's state, which then equals the chain.
 */
class ArenaSelfCheckIntegrationTest {
    @Test
    void selfCheckRepairsAPoolTheNodeMisreports(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), new DevnetDeployer.Options(3, 2, 1, false));
             RpcFaultProxy proxy = RpcFaultProxy.start(devnet.deployment().httpUrl(), 1);
             EthClient feedNode = EthClient.open(proxy.url())) {
            var d = devnet.deployment();
            PoolDescriptor lied = d.pools().get(0); // a V2 pair: every swap logs a Sync with its reserves
            proxy.add(new MisreportedSync(lied.id()));
            FeedMetrics feedMetrics = new FeedMetrics();
            WhitelistTracker whitelist = new WhitelistTracker(Set.of(d.contracts().poolManager()), WhitelistFold.Guard.NONE);
            whitelist.offer(WhitelistMessage.full("devnet", 1, Instant.now(), d.pools()));
            ArenaMetrics metrics = new ArenaMetrics();
            ArenaAgent.Settings settings = ArenaAgent.Settings.DEFAULT.withSelfCheck(1, 3);
            try (FrameServer server = new FrameServer(dir.resolve("feed.sock"), d.chainId(), 256, FrameServer.Limits.DEFAULT, feedMetrics).start();
                 FeedAgent feed = new FeedAgent(feedNode, whitelist, server, feedMetrics, new FeedAgent.Settings(256, Duration.ofSeconds(2),
                         Duration.ofMillis(50))).start();
                 ArenaAgent arena = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, server.path(), PoolCatalog.of(d.pools()), settings, metrics).start()) {
                Thread.sleep(300);
                devnet.chain().mineEmpty();
                ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().mode() == ArenaMode.LIVE, "arena live");
                var token = lied.token0().address();
                devnet.chain().queue("move the misreported pool", d.contracts().v2Router(), io.poolstate.devnet.contract.Abi.call(
                        "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)", java.math.BigInteger.TEN.pow(15), java.math.BigInteger.ZERO,
                        new com.esaulpaugh.headlong.abi.Address[] {io.poolstate.devnet.contract.Abi.addr(token),
                            io.poolstate.devnet.contract.Abi.addr(lied.token1().address())},
                        io.poolstate.devnet.contract.Abi.addr(d.trader()), io.poolstate.devnet.contract.Abi.MAX_UINT256), null, 5_000_000);
                devnet.chain().mineAll(10);
                ArenaEndToEndIntegrationTest.waitFor(() -> metrics.selfCheckDifferences.count() >= 1, "the self-check notices the drift");
                assertThat(proxy.applied("eth_getLogs Sync misreported")).as("the node misreported the Sync").isPositive();
                for (int i = 0; i < 3; i++) {
                    devnet.chain().mineEmpty();
                    Thread.sleep(100);
                }
                BlockHeader head = devnet.eth().latestHeader();
                ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().blockHash().equals(head.hash()), "arena at the head");
                var chain = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT.withStorageReads(StorageReads.CALLS)).scrape(List.of(lied), BlockRef.hash(head.hash()),
                        head.number());
                PoolId id = lied.id();
                assertThat(arena.view().pools().get(id).differences(chain.states().get(id).snapshot())).as("the repaired pool equals the chain").isEmpty();
                assertThat(arena.view().scrapedAt().get(id)).as("the pool was read again after start-up")
                        .isGreaterThan(arena.view().scrapedAt().get(d.pools().get(1).id()));
                System.out.println("arena: self-check found " + metrics.selfCheckDifferences.count() + " difference(s) in " + metrics.selfCheckedPools.count()
                        + " checks and replaced the misreported pool");
            }
        }
    }

    /** Every eth_getLogs answer carries the pool's Sync with reserve0 one higher than the chain logged. */
    private record MisreportedSync(PoolId pool) implements RpcFault {
        @Override
        public String name() {
            return "eth_getLogs Sync misreported";
        }

        @Override
        public boolean targets(RpcCall call) {
            return call.method().equals("eth_getLogs");
        }

        @Override
        public JsonNode rewrite(RpcCall call, JsonNode result, Random random) {
            if (!(result instanceof ArrayNode logs)) {
                return null;
            }
            ArrayNode out = logs.deepCopy();
            boolean changed = false;
            for (JsonNode l : out) {
                if (l.path("address").asText().equalsIgnoreCase(pool.toString())
                        && l.path("topics").path(0).asText().equalsIgnoreCase(EventKind.V2_SYNC.topic0().toString())) {
                    String data = l.path("data").asText();
                    char last = data.charAt(65);
                    String bumped = data.substring(0, 65) + (last == 'f' ? '0' : Character.forDigit(Character.digit(last, 16) + 1, 16)) + data.substring(66);
                    ((ObjectNode) l).put("data", bumped);
                    changed = true;
                }
            }
            return changed ? out : null;
        }
    }
}
