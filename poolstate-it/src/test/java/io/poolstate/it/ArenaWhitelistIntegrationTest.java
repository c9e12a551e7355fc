package io.poolstate.it;

import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.PoolCatalog;
import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.testkit.NatsServerProcess;
import io.poolstate.nats.WhitelistSubscription;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arena's pools from NATS ({@code whitelist.pools.<chain>.full}): added pools are scraped and joined, removed ones dropped, at block boundaries. */
class ArenaWhitelistIntegrationTest {
    @Test
    void followsTheFullWhitelistWhileLive(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        Files.createDirectories(dir.resolve("nats"));
        try (NatsServerProcess nats = NatsServerProcess.start(dir.resolve("nats")); Connection pub = nats.connect();
             Devnet devnet = Devnet.start(port, dir.resolve("devnet"), DevnetDeployer.Options.defaults());
             ArenaFixture f = new ArenaFixture(devnet, dir.resolve("feed.sock"), 66, 0)) {
            NatsServerProcess.createStream(pub);
            List<PoolDescriptor> all = f.d.pools();
            NatsServerProcess.publishFull(pub, "devnet", WhitelistMessage.full("devnet", 1, Instant.now(), all.subList(0, 20)));
            PoolCatalog catalog = PoolCatalog.fromNats(WhitelistFold.Guard.DEFAULT);
            ArenaMetrics metrics = new ArenaMetrics();
            try (WhitelistSubscription sub = new WhitelistSubscription(nats.url(), "whitelist.pools.devnet.full", catalog, 1 << 24).start();
                 ArenaAgent arena = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, f.socket, catalog, ArenaAgent.Settings.DEFAULT, metrics).start()) {
                ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().mode() == ArenaMode.LIVE, "arena live");
                assertThat(arena.view().pools()).hasSize(20);
                f.stepwise();
                f.step();

                List<PoolDescriptor> added = all.subList(20, 30);
                NatsServerProcess.publishFull(pub, "devnet", new WhitelistMessage(UpdateType.ADD, "devnet", 2L, 1L, Instant.now(), added,
                        added.stream().map(PoolDescriptor::id).toList()));
                awaitPools(f, arena, 30);
                compare(f, devnet, arena);

                List<PoolId> removed = all.subList(0, 5).stream().map(PoolDescriptor::id).toList();
                NatsServerProcess.publishFull(pub, "devnet", new WhitelistMessage(UpdateType.REMOVE, "devnet", 3L, 2L, Instant.now(), List.of(), removed));
                awaitPools(f, arena, 25);
                assertThat(arena.view().pools().keySet()).doesNotContainAnyElementsOf(removed);
                for (int i = 0; i < 5; i++) {
                    f.step();
                }
                compare(f, devnet, arena);
                System.out.println("arena: pools followed NATS 20 -> 30 -> 25 while live; rescrapes=" + metrics.rescrapes.count());
            }
        }
    }

    private static void awaitPools(ArenaFixture f, ArenaAgent arena, int n) throws Exception {
        for (int i = 0; i < 50 && arena.view().pools().size() != n; i++) {
            f.step(); // pool changes are taken at block boundaries
            Thread.sleep(50);
        }
        assertThat(arena.view().pools()).hasSize(n);
    }

    private static void compare(ArenaFixture f, Devnet devnet, ArenaAgent arena) throws Exception {
        var head = devnet.eth().latestHeader();
        ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().blockHash().equals(head.hash()), "arena at the head");
        List<PoolDescriptor> served = f.d.pools().stream().filter(p -> arena.view().pools().containsKey(p.id())).toList();
        ScrapeResult chain = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT).scrape(served, BlockRef.hash(head.hash()), head.number());
        List<String> diffs = new ArrayList<>();
        for (PoolDescriptor p : served) {
            arena.view().pools().get(p.id()).differences(chain.states().get(p.id()).snapshot()).forEach(x -> diffs.add(p.id() + " " + x));
        }
        assertThat(diffs).isEmpty();
    }
}
