package io.poolstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ChainWatch;
import io.poolstate.arena.PoolCatalog;
import io.poolstate.arena.http.ArenaHttpServer;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.Confirmation;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.feed.chain.FeedAgent;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.feed.client.FeedClient;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.feed.socket.FrameServer;
import io.poolstate.feed.whitelist.WhitelistTracker;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Confirmed mode against devnet traffic with reorgs of at most 3 blocks: a feed following the head sends reverts
 * (the control), one with {@code --confirmations 3} and one with {@code --finalized} (Anvil: head − 64) never do, every
 * block they sent is still canonical at the end, and an arena on the 3-confirmation feed never reverts, serves the
 * block 3 below the head and equals a fresh read of the chain at its served block.
 */
class ConfirmedModeIntegrationTest {
    /** What one consumer received. */
    private static final class Received implements FeedClient.Listener {
        final ConcurrentSkipListMap<Long, Bytes32> blocks = new ConcurrentSkipListMap<>();
        final AtomicInteger reverts = new AtomicInteger();
        final AtomicInteger parentBreaks = new AtomicInteger();
        volatile Bytes32 lastHash;

        @Override
        public void onBlock(FeedBlock b) {
            if (b.isRevert()) {
                reverts.incrementAndGet();
                blocks.remove(b.number());
                lastHash = b.begin().parentHash();
                return;
            }
            if (lastHash != null && !b.begin().parentHash().equals(lastHash)) {
                parentBreaks.incrementAndGet();
            }
            lastHash = b.begin().blockHash();
            blocks.put(b.number(), b.begin().blockHash());
        }
    }

    private record Feed(FrameServer server, FeedAgent agent, EthClient ws) implements AutoCloseable {
        static Feed start(ArenaFixture f, Path socket, Confirmation c) throws Exception {
            EthClient ws = EthClient.open(f.d.wsUrl());
            WhitelistTracker whitelist = new WhitelistTracker(Set.of(f.d.contracts().poolManager()), WhitelistFold.Guard.DEFAULT);
            whitelist.offer(WhitelistMessage.full("devnet", 1, Instant.now(), f.d.pools()));
            FeedMetrics metrics = new FeedMetrics();
            FrameServer server = new FrameServer(socket, f.d.chainId(), 256, new FrameServer.Limits(100_000, 2_000), metrics).start();
            FeedAgent agent = new FeedAgent(ws, whitelist, server, metrics, new FeedAgent.Settings(256, Duration.ofSeconds(2), Duration.ofMillis(100))
                    .withConfirmation(c)).start();
            return new Feed(server, agent, ws);
        }

        @Override
        public void close() {
            agent.close();
            server.close();
            ws.close();
        }
    }

    @Test
    void noRevertReachesAConfirmedConsumer(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        long seed = Long.getLong("poolstate.seed", 21L);
        System.out.println("confirmed seed=" + seed);
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        int n = 3;
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), DevnetDeployer.Options.defaults());
             ArenaFixture f = new ArenaFixture(devnet, dir.resolve("head.sock"), seed, 5);
             Feed confirmed = Feed.start(f, dir.resolve("confirmed.sock"), new Confirmation.Depth(n));
             Feed finalized = Feed.start(f, dir.resolve("finalized.sock"), new Confirmation.Finalized())) {
            Received head = new Received();
            Received deep = new Received();
            Received fin = new Received();
            ArenaMetrics metrics = new ArenaMetrics();
            try (FeedClient c1 = new FeedClient(f.socket, 0, null, head, FeedClient.Settings.DEFAULT).start();
                 FeedClient c2 = new FeedClient(dir.resolve("confirmed.sock"), 0, null, deep, FeedClient.Settings.DEFAULT).start();
                 FeedClient c3 = new FeedClient(dir.resolve("finalized.sock"), 0, null, fin, FeedClient.Settings.DEFAULT).start();
                 ArenaAgent arena = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, dir.resolve("confirmed.sock"), PoolCatalog.of(f.d.pools()),
                         ArenaAgent.Settings.DEFAULT, metrics).start();
                 ChainWatch watch = new ChainWatch(devnet.eth(), new ChainWatch.Settings(3, Duration.ofSeconds(30), Duration.ofMillis(200),
                         new Confirmation.Depth(n))).start();
                 ArenaHttpServer api = new ArenaHttpServer("127.0.0.1", 0, arena::view, v -> watch.freshness(v.blockNumber(), arena.lastAdvanceNanos()),
                         metrics).confirmation(new Confirmation.Depth(n).describe()).start()) {
                String base = "http://127.0.0.1:" + api.address().getPort();
                String status = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/v1/status"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(status).path("confirmation").asText())
                        .as("/v1/status names the block rule").isEqualTo(n + " confirmations");
                ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().mode() == ArenaMode.LIVE, "arena live");
                ChainOracle oracle = new ChainOracle(devnet.eth(), f.d);
                int compared = 0;
                for (int round = 0; round < 8; round++) {
                    long target = devnet.eth().blockNumber() + 12;
                    ArenaEndToEndIntegrationTest.waitFor(() -> devnet.eth().blockNumber() >= target, "traffic to block " + target);
                    f.stepwise();
                    f.step();
                    BlockHeader tip = devnet.eth().latestHeader();
                    // at least n below the head; after a reorg that shortened the chain the confirmed block can be closer to the
                    // new head (it was n below the longest head seen), never replaced
                    ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().blockNumber() >= tip.number() - n, "arena at block " + (tip.number() - n));
                    ArenaEndToEndIntegrationTest.waitFor(() -> {
                        try {
                            Thread.sleep(300);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return true;
                    }, "settle");
                    BlockHeader want = devnet.eth().header(arena.view().blockNumber());
                    assertThat(arena.view().blockHash()).as("the served block is canonical").isEqualTo(want.hash());
                    assertThat(want.number()).isLessThan(tip.number());
                    assertThat(watch.freshness(arena.view().blockNumber(), arena.lastAdvanceNanos()).stale()).isFalse();
                    List<String> diffs = oracle.differences(base, f.d.pools(), want.number(), want.hash());
                    assertThat(diffs).as("arena at block %d (head %d)", want.number(), tip.number()).isEmpty();
                    compared++;
                    f.resume();
                }
                f.stepwise(); // the chain stands still from here
                long end = devnet.eth().blockNumber();
                BlockHeader finalizedHead = devnet.eth().finalizedHeader();
                // a last reorg that shortened the chain leaves the node's finalized block (head - 64) below one already sent,
                // which stays (it is still canonical): the feed is at the finalized block or up to the reorg depth (3) above it
                ArenaEndToEndIntegrationTest.waitFor(() -> !fin.blocks.isEmpty() && fin.blocks.lastKey() >= finalizedHead.number(),
                        "the finalized feed at the node's finalized block " + finalizedHead.number());
                System.out.println("confirmed: head " + end + "; head-mode consumer got " + head.blocks.size() + " blocks and " + head.reverts.get()
                        + " reverts; 3-confirmation consumer " + deep.blocks.size() + " blocks, " + deep.reverts.get() + " reverts; finalized consumer "
                        + fin.blocks.size() + " blocks up to the node's finalized block " + (fin.blocks.isEmpty() ? -1 : fin.blocks.lastKey()) + ", " + fin.reverts.get()
                        + " reverts; arena compared at " + compared + " blocks, reverted " + metrics.blocksReverted.count() + ", rescrapes "
                        + metrics.rescrapes.count());
                assertThat(head.reverts.get()).as("reorgs happened: the head-mode feed reverted").isPositive();
                assertThat(deep.reverts.get()).as("no revert in confirmed mode").isZero();
                assertThat(fin.reverts.get()).as("no revert in finalized mode").isZero();
                assertThat(metrics.blocksReverted.count()).as("the arena on the confirmed feed never reverted").isZero();
                assertThat(metrics.rescrapes.count()).as("no rescrape").isZero();
                assertThat(deep.parentBreaks.get()).isZero();
                assertThat(fin.parentBreaks.get()).isZero();
                assertThat(deep.blocks.size()).isGreaterThan(60);
                assertThat(fin.blocks).as("finalized blocks arrived").isNotEmpty();
                assertThat(fin.blocks.lastKey()).as("Anvil's finalized block is head - 64 (a shortening reorg of at most 3 leaves the sent one above)")
                        .isBetween(end - 64, end - 64 + 3);
                for (Received r : List.of(deep, fin)) {
                    r.blocks.forEach((num, hash) -> assertThat(devnet.eth().header(num).hash()).as("block %d sent in confirmed mode is canonical", num)
                            .isEqualTo(hash));
                }
            }
        }
    }
}
