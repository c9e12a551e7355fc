package io.poolstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ArenaView;
import io.poolstate.arena.ChainWatch;
import io.poolstate.arena.PoolCatalog;
import io.poolstate.arena.http.ArenaHttpServer;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.feed.client.FeedClient;
import io.poolstate.feed.client.PoolSetChange;
import io.poolstate.nats.NatsSettings;
import io.poolstate.nats.WhitelistSubscription;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.testkit.NatsServerProcess;
import io.poolstate.whitelist.publish.WhitelistPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whitelist changes go from the publisher through NATS to the feed, which announces each in its frame stream at
 * the block where it takes effect; the arena changes its pools exactly there. While traffic with reorgs runs and
 * pools are added, removed and added back, the arena's served set equals the feed's forwarded set at every block,
 * and every served pool — an added one from its first served block on — equals the chain.
 */
class FeedAnnouncedWhitelistIntegrationTest {
    @Test
    void arenaServesExactlyWhatTheFeedForwardsAtEveryBlock(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        long seed = Long.getLong("poolstate.seed", 77L);
        System.out.println("feed-announced whitelist seed=" + seed);
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        Files.createDirectories(dir.resolve("nats"));
        try (NatsServerProcess nats = NatsServerProcess.start(dir.resolve("nats")); Connection pub = nats.connect();
             Devnet devnet = Devnet.start(port, dir.resolve("devnet"), DevnetDeployer.Options.defaults());
             ArenaFixture f = new ArenaFixture(devnet, dir.resolve("feed.sock"), seed, 9, nats.url())) {
            WhitelistPublisher publisher = new WhitelistPublisher(pub, "devnet");
            publisher.ensureStream();
            List<PoolDescriptor> all = f.d.pools();
            long[] snapshot = {System.currentTimeMillis()};
            publisher.publish(WhitelistMessage.full("devnet", snapshot[0], Instant.now(), all.subList(0, 18)));

            // a second consumer of the feed records the forwarded set in force at every block, by hash: a number re-mined after a
            // reorg is another block, which may have another set
            Map<Bytes32, Set<PoolId>> forwardedAt = new ConcurrentHashMap<>();
            Set<PoolId> forwarding = new LinkedHashSet<>();
            FeedClient recorder = new FeedClient(f.socket, 0, null, new FeedClient.Listener() {
                @Override
                public void onPoolSet(PoolSetChange c) {
                    if (c.replace()) {
                        forwarding.clear();
                    }
                    forwarding.removeAll(c.removed());
                    forwarding.addAll(c.added());
                }

                @Override
                public void onBlock(FeedBlock b) {
                    if (!b.isRevert()) {
                        forwardedAt.put(b.begin().blockHash(), Set.copyOf(forwarding));
                    }
                }
            }, FeedClient.Settings.DEFAULT).start();

            PoolCatalog catalog = PoolCatalog.fromNats(WhitelistFold.Guard.DEFAULT);
            ArenaMetrics metrics = new ArenaMetrics();
            try (recorder;
                 WhitelistSubscription sub = new WhitelistSubscription(NatsSettings.of(nats.url()), "whitelist.pools.devnet.full", catalog, 1 << 24).start();
                 ArenaAgent arena = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, f.socket, catalog, ArenaAgent.Settings.DEFAULT, metrics).start();
                 ChainWatch watch = new ChainWatch(devnet.eth(), ChainWatch.Settings.DEFAULT).start();
                 ArenaHttpServer api = new ArenaHttpServer("127.0.0.1", 0, arena::view, v -> watch.freshness(v.blockNumber(), arena.lastAdvanceNanos()),
                         metrics).start()) {
                String base = "http://127.0.0.1:" + api.address().getPort();
                ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().mode() == ArenaMode.LIVE && arena.view().pools().size() == 18, "arena live with 18 pools");
                f.stepwise();
                ChainOracle oracle = new ChainOracle(devnet.eth(), f.d);
                SplittableRandom r = new SplittableRandom(seed);
                Set<PoolId> listed = new HashSet<>(all.subList(0, 18).stream().map(PoolDescriptor::id).toList());
                int changes = 0;
                int compared = 0;
                int quotes = 0;
                Set<PoolId> everAdded = new HashSet<>();
                for (int i = 0; i < 70; i++) {
                    if (i % 7 == 3) {
                        changes++;
                        snapshot[0] = publishChange(publisher, all, listed, snapshot[0], r, everAdded);
                    }
                    f.step();
                    BlockHeader head = devnet.eth().latestHeader();
                    ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().blockHash().equals(head.hash()) && forwardedAt.containsKey(head.hash()),
                            "arena and recorder at block " + head.number());
                    ArenaView v = arena.view();
                    Set<PoolId> fwd = forwardedAt.get(head.hash());
                    assertThat(v.notServed()).as("block %d: every forwarded pool is served", head.number()).isEmpty();
                    assertThat(v.pools().keySet()).as("block %d: served set = the feed's forwarded set", head.number()).isEqualTo(fwd);
                    List<PoolDescriptor> served = all.stream().filter(p -> fwd.contains(p.id())).toList();
                    assertThat(oracle.differences(base, served, head.number(), head.hash())).as("block %d", head.number()).isEmpty();
                    quotes += oracle.quotes(base, served, head.number(), head.hash(), 2, r);
                    compared++;
                }
                assertThat(everAdded).as("pools added during the run").isNotEmpty();
                assertThat(metrics.rescrapes.count()).as("no full rescrape: changes are joined at block boundaries").isZero();
                System.out.println("feed-announced whitelist: " + changes + " changes, " + everAdded.size() + " pools added over the run, " + compared
                        + " blocks compared (served set = forwarded set, every pool = chain), " + quotes + " quotes equal the periphery, reverted blocks="
                        + metrics.blocksReverted.count());
            }
        }
    }

    /** Adds or removes a few pools (sometimes both in one round, sometimes re-adding removed ones); returns the new snapshot id. */
    private static long publishChange(WhitelistPublisher publisher, List<PoolDescriptor> all, Set<PoolId> listed, long prev, SplittableRandom r,
                                      Set<PoolId> everAdded) throws Exception {
        List<PoolDescriptor> out = all.stream().filter(p -> !listed.contains(p.id())).toList();
        List<PoolDescriptor> in = all.stream().filter(p -> listed.contains(p.id())).toList();
        long id = prev + 1;
        if (r.nextBoolean() && !out.isEmpty()) {
            List<PoolDescriptor> add = new ArrayList<>(out.subList(0, Math.min(out.size(), 1 + r.nextInt(3))));
            add.forEach(p -> {
                listed.add(p.id());
                everAdded.add(p.id());
            });
            publisher.publish(new WhitelistMessage(UpdateType.ADD, "devnet", id, prev, Instant.now(), add, add.stream().map(PoolDescriptor::id).toList()));
        } else {
            List<PoolId> remove = in.subList(0, Math.min(in.size(), 1 + r.nextInt(3))).stream().map(PoolDescriptor::id).toList();
            listed.removeAll(remove);
            publisher.publish(new WhitelistMessage(UpdateType.REMOVE, "devnet", id, prev, Instant.now(), List.of(), remove));
        }
        return id;
    }
}
