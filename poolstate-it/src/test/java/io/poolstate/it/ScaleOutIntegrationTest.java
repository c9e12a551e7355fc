package io.poolstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ArenaView;
import io.poolstate.arena.PoolCatalog;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.scrape.StorageReads;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.RpcException;
import io.poolstate.nats.FeedStreamClient;
import io.poolstate.nats.NatsSettings;
import io.poolstate.protocol.whitelist.WhitelistCodec;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.testkit.ArenaApiClient;
import io.poolstate.testkit.LoopbackPorts;
import io.poolstate.testkit.NatsServerProcess;
import io.poolstate.testkit.PoolstateProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment past one machine: two feeds of one chain (one active by the lease, one following) publishing to
 * a 3-node NATS cluster with 3 replicas, two arenas reading the JetStream stream only (one a launcher process with
 * {@code --feed nats://…}, one in this JVM), under devnet traffic with reorgs. The active feed is killed (SIGKILL)
 * and a NATS node with it while traffic runs. Throughout, with the chain held still, every pool of both arenas
 * equals a fresh read pinned at the block they serve; after the kills both reach the chain's head within
 * {@link #HEAD_BOUND}.
 */
class ScaleOutIntegrationTest {
    static final Duration HEAD_BOUND = Duration.ofSeconds(30);
    private static final String CHAIN = "devnet";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void twoFeedsFailOverOnANatsClusterAndBothArenasStayExact(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        long seed = Long.getLong("poolstate.seed", 15L);
        System.out.println("scale-out seed=" + seed);
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        List<NatsServerProcess> cluster = List.of();
        List<AutoCloseable> open = new ArrayList<>();
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), DevnetDeployer.Options.defaults())) {
            cluster = NatsServerProcess.startCluster(dir.resolve("nats"), 3);
            String urls = NatsServerProcess.urls(cluster);
            List<PoolDescriptor> pools = devnet.deployment().pools();
            Path poolsFile = dir.resolve("pools.json");
            Files.write(poolsFile, WhitelistCodec.writeFull(WhitelistMessage.full(CHAIN, 1, Instant.now(), pools)));
            int[] metrics = {LoopbackPorts.free(), LoopbackPorts.free()};
            PoolstateProcess[] feeds = new PoolstateProcess[2];
            for (int i = 0; i < 2; i++) {
                feeds[i] = PoolstateProcess.start("feed-" + (char) ('a' + i), dir.resolve("feed-" + i), "feed", "--rpc", devnet.deployment().wsUrl(),
                        "--socket", dir.resolve("feed-" + i + ".sock").toString(), "--pools", poolsFile.toString(), "--chain", CHAIN,
                        "--pool-manager", devnet.deployment().contracts().poolManager().toString(), "--history-blocks", "64",
                        "--metrics", "127.0.0.1:" + metrics[i], "--publish-nats=" + urls, "--nats-replicas", "3", "--lease-ttl", "2s",
                        "--feed-id", "feed-" + (char) ('a' + i), "--nats-replace-every", "20");
                open.add(feeds[i]);
            }
            for (PoolstateProcess f : feeds) {
                f.waitForLine("feed stream publisher ready", Duration.ofSeconds(60));
            }
            TrafficDriver traffic = new TrafficDriver(devnet, seed, 10, 3, 150);
            open.add(traffic);
            int apiPort = LoopbackPorts.free();
            PoolstateProcess arenaProcess = PoolstateProcess.start("arena", dir.resolve("arena"), "arena", "--feed", urls, "--rpc",
                    devnet.deployment().httpUrl(), "--pools", poolsFile.toString(), "--chain", CHAIN, "--http", "127.0.0.1:" + apiPort,
                    "--multicall", Multicall3.CANONICAL.toString(), "--self-check-every", "0", "--feed-read-deadline", "5");
            open.add(arenaProcess);
            ArenaApiClient api = new ArenaApiClient("http://127.0.0.1:" + apiPort);
            open.add(api);
            ArenaMetrics inJvmMetrics = new ArenaMetrics();
            FeedStreamClient.Factory source = FeedStreamClient.factory(NatsSettings.of(urls));
            open.add(source);
            ArenaAgent arena = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, source, PoolCatalog.of(pools),
                    ArenaAgent.Settings.DEFAULT.withSelfCheck(0, 0), inJvmMetrics).start();
            open.add(arena);
            ChainOracle oracle = new ChainOracle(devnet.eth(), devnet.deployment());
            PoolScraper scraper = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT.withStorageReads(StorageReads.CALLS));
            api.awaitHealthy(Duration.ofSeconds(90));
            ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().mode() == ArenaMode.LIVE, "in-JVM arena live");

            int judged = 0;
            for (int i = 0; i < 2; i++) {
                traffic.advance(6);
                judge(devnet, traffic, "http://127.0.0.1:" + apiPort, api, oracle, arena, scraper, pools, "before the kills");
                traffic.release();
                judged++;
            }
            int active = activeFeed(metrics);
            assertThat(active).as("one feed holds the lease").isGreaterThanOrEqualTo(0);
            assertThat(isActive(metrics[1 - active])).as("the other follows").isFalse();
            long killed = System.nanoTime();
            feeds[active].sigkill();
            // read once the process is gone: traffic keeps mining, and only the follower can publish a block above this one
            long before = devnet.eth().latestHeader().number();
            cluster.get(1).kill();
            System.out.println("killed feed-" + (char) ('a' + active) + " (active) and NATS node n2 at block " + before);
            // a block mined after the kill, applied by both arenas: the fail-over time. Above the head read after the kill
            // and on the chain: an arena may already stand on a higher block of a fork a reorg just replaced
            ArenaEndToEndIntegrationTest.waitFor(() -> {
                ArenaView v = arena.view();
                return canonicalAbove(devnet, before, v.blockNumber(), v.blockHash());
            }, "in-JVM arena past the kill");
            long inJvmNanos = System.nanoTime() - killed;
            api.awaitStatus(s -> canonicalAbove(devnet, before, s.path("block_number").asLong(), Bytes32.of(s.path("block_hash").asText())), HEAD_BOUND);
            long processNanos = System.nanoTime() - killed;
            assertThat(isActive(metrics[1 - active])).as("the follower took over").isTrue();
            for (int i = 0; i < 4; i++) {
                traffic.advance(6);
                judge(devnet, traffic, "http://127.0.0.1:" + apiPort, api, oracle, arena, scraper, pools, "after the kills");
                traffic.release();
                judged++;
            }
            System.out.printf("scale-out: fail-over (active feed and a NATS node killed -> a later block applied): in-JVM arena %.1f s, arena process %.1f s;"
                    + " %d judgements of %d pools on both arenas, all equal to the chain; in-JVM arena rescrapes=%d%n", inJvmNanos / 1e9, processNanos / 1e9,
                    judged, pools.size(), (long) inJvmMetrics.rescrapes.count());
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                try {
                    open.get(i).close();
                } catch (Exception e) {
                    System.out.println("closing: " + e);
                }
            }
            for (NatsServerProcess n : cluster) {
                try {
                    n.close();
                } catch (Exception e) {
                    System.out.println("closing nats: " + e);
                }
            }
        }
    }

    /** With the chain held still: both arenas reach its head within the bound, and every pool equals a read pinned there. */
    private void judge(Devnet devnet, TrafficDriver traffic, String base, ArenaApiClient api, ChainOracle oracle, ArenaAgent arena, PoolScraper scraper,
                       List<PoolDescriptor> pools, String when) throws Exception {
        BlockHeader head = devnet.eth().latestHeader();
        api.awaitStatus(s -> s.path("block_hash").asText().equals(head.hash().toString()) && s.path("mode").asText().equals("live"), HEAD_BOUND);
        long deadline = System.nanoTime() + HEAD_BOUND.toNanos();
        while (!arena.view().blockHash().equals(head.hash())) {
            assertThat(System.nanoTime()).as("in-JVM arena at head %d %s", head.number(), when).isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(oracle.differences(base, pools, head.number(), head.hash())).as("arena process at block %d %s", head.number(), when).isEmpty();
        ArenaView v = arena.view();
        ScrapeResult chain = scraper.scrape(pools, BlockRef.hash(v.blockHash()), v.blockNumber());
        List<String> diffs = new ArrayList<>();
        for (PoolDescriptor p : pools) {
            var served = v.pools().get(p.id());
            if (served == null) {
                diffs.add(p.id() + " not served");
            } else {
                served.differences(chain.states().get(p.id()).snapshot()).forEach(x -> diffs.add(p.id() + " " + x));
            }
        }
        assertThat(diffs).as("in-JVM arena at block %d %s", v.blockNumber(), when).isEmpty();
    }

    /** Whether block {@code number} {@code hash} is above {@code before} and on the chain now. */
    private static boolean canonicalAbove(Devnet devnet, long before, long number, Bytes32 hash) {
        if (number <= before) {
            return false;
        }
        try {
            BlockHeader h = devnet.eth().header(number);
            return h != null && h.hash().equals(hash);
        } catch (RpcException e) {
            return false; // the node did not answer this time: asked again at the next poll
        }
    }

    private int activeFeed(int[] ports) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < ports.length; i++) {
                if (isActive(ports[i])) {
                    return i;
                }
            }
            Thread.sleep(100);
        }
        return -1;
    }

    private boolean isActive(int metricsPort) throws Exception {
        try {
            String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().anyMatch(l -> l.startsWith("poolstate_feed_stream_active ") && l.endsWith(" 1.0"));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
