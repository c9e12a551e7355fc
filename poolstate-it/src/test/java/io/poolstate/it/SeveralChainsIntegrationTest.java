package io.poolstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.nats.FoldingWhitelistSink;
import io.poolstate.nats.NatsSettings;
import io.poolstate.nats.WhitelistSubscription;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.protocol.whitelist.WhitelistCodec;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.protocol.whitelist.WhitelistState;
import io.poolstate.testkit.ArenaApiClient;
import io.poolstate.testkit.LoopbackPorts;
import io.poolstate.testkit.NatsServerProcess;
import io.poolstate.testkit.PoolstateProcess;
import io.poolstate.whitelist.publish.WhitelistPublisher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two devnets with their own chain ids served by one whitelist process (two {@code [[whitelist.chains]]} entries)
 * and one NATS, each chain with its own feed and arena, all processes of the launcher, traffic with reorgs on both.
 * Judged at the chains' heads, again and again: every pool each arena serves equals a fresh read pinned at the served
 * block on its own chain, sample quotes equal the periphery there, and each arena serves exactly its own chain's
 * published list — never the other's. A fault on one chain leaves the other untouched: an empty list published for
 * chain A is held by A's feed while B goes on; A's feed killed, B stays live and exact; A recovers.
 */
class SeveralChainsIntegrationTest {
    static final Duration BOUND = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> report = new ArrayList<>();

    /** One chain of the deployment: its devnet, list on NATS, feed, arena and traffic. */
    private static final class Chain implements AutoCloseable {
        final String name;
        final long chainId;
        final Devnet devnet;
        final Path dir;
        final int arenaPort = LoopbackPorts.free();
        final int feedMetricsPort = LoopbackPorts.free();
        final ArenaApiClient api;
        final ChainOracle oracle;
        FoldingWhitelistSink list;
        WhitelistSubscription subscription;
        PoolstateProcess feed;
        PoolstateProcess arena;
        TrafficDriver traffic;

        Chain(String name, long chainId, Devnet devnet, Path dir) {
            this.name = name;
            this.chainId = chainId;
            this.devnet = devnet;
            this.dir = dir;
            this.api = new ArenaApiClient(base());
            this.oracle = new ChainOracle(devnet.eth(), devnet.deployment());
        }

        String base() {
            return "http://127.0.0.1:" + arenaPort;
        }

        Path devnetDir() {
            return dir.resolve("devnet");
        }

        WhitelistState listed() {
            return list.state();
        }

        /** Starts the feed; it sends no block before the chain's first list arrives on NATS. */
        void startFeed(String natsUrl) {
            feed = PoolstateProcess.start("feed-" + name, dir.resolve("feed"), "feed", "--network", "devnet", "--devnet-dir", devnetDir().toString(),
                    "--rpc", devnet.deployment().wsUrl(), "--chain", name, "--nats", natsUrl, "--socket", dir.resolve("feed.sock").toString(),
                    "--metrics", "127.0.0.1:" + feedMetricsPort);
        }

        void startArena(String natsUrl) {
            arena = PoolstateProcess.start("arena-" + name, dir.resolve("arena"), "arena", "--network", "devnet", "--devnet-dir", devnetDir().toString(),
                    "--rpc", devnet.deployment().httpUrl(), "--chain", name, "--nats", natsUrl, "--feed-socket", dir.resolve("feed.sock").toString(),
                    "--http", "127.0.0.1:" + arenaPort, "--self-check-every", "0", "--feed-read-deadline", "8");
        }

        @Override
        public void close() {
            for (AutoCloseable c : new AutoCloseable[] {traffic, arena, feed, subscription, api, devnet}) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        System.out.println("closing " + c + ": " + e);
                    }
                }
            }
        }
    }

    @Test
    void oneWhitelistProcessServesTwoChainsEachArenaExactOnItsOwn(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null)) {
            c.isValid(2);
        } catch (java.sql.SQLException e) {
            Assumptions.abort("no Postgres at 127.0.0.1:5432/test: " + e.getMessage());
        }
        long seed = Long.getLong("poolstate.seed", 1515L);
        System.out.println("several chains seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        String run = Long.toHexString(System.nanoTime());
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        int whitelistMetrics = LoopbackPorts.free();
        try (Chain a = new Chain("alpha" + run, 71_001, Devnet.start(port, dir.resolve("a").resolve("devnet"),
                new DevnetDeployer.Options(6, 3, 11, false), 71_001), dir.resolve("a"));
             Chain b = new Chain("beta" + run, 71_002, Devnet.start(port + 1, dir.resolve("b").resolve("devnet"),
                     new DevnetDeployer.Options(9, 3, 12, false), 71_002), dir.resolve("b"));
             NatsServerProcess nats = NatsServerProcess.start(Files.createDirectories(dir.resolve("nats")));
             Connection pub = nats.connect()) {
            List<Chain> chains = List.of(a, b);
            Path config = dir.resolve("poolstate.toml");
            Files.writeString(config, """
                    nats = "%s"
                    postgres = "jdbc:postgresql://127.0.0.1:5432/test"

                    [whitelist]
                    top-transfers-blocks = 200
                    interval = "10m"
                    confirmations = 0
                    min-depth-usd = "20000"
                    metrics = "127.0.0.1:%d"

                    [[whitelist.chains]]
                    chain = "%s"
                    network = "devnet"
                    devnet-dir = "%s"

                    [[whitelist.chains]]
                    chain = "%s"
                    network = "devnet"
                    devnet-dir = "%s"
                    """.formatted(nats.url(), whitelistMetrics, a.name, a.devnetDir(), b.name, b.devnetDir()));
            long t0 = System.nanoTime();
            try (PoolstateProcess whitelist = PoolstateProcess.builder("whitelist", dir.resolve("whitelist")).env("POOLSTATE_CONFIG", config.toString())
                    .args("whitelist").start()) {
                for (Chain c : chains) {
                    whitelist.waitForLine("whitelist run: .* kept=[1-9]\\d* .* published=[1-9]\\d* .*chain=" + c.name, Duration.ofSeconds(180));
                    c.list = new FoldingWhitelistSink(WhitelistFold.Guard.DEFAULT, true);
                    c.subscription = new WhitelistSubscription(NatsSettings.of(nats.url()), "whitelist.pools." + c.name + ".full", c.list, 64 << 20).start();
                }
                for (Chain c : chains) {
                    awaitList(c);
                }
                Set<String> idsA = ids(a.listed());
                Set<String> idsB = ids(b.listed());
                System.out.printf("whitelists: %s %d pools, %s %d pools, %d in common%n", a.name, idsA.size(), b.name, idsB.size(),
                        idsA.stream().filter(idsB::contains).count());
                assertThat(idsA).as("the two chains' lists differ, so the arenas' sets tell them apart").isNotEqualTo(idsB);
                String metrics = get("http://127.0.0.1:" + whitelistMetrics + "/metrics");
                for (Chain c : chains) {
                    assertThat(metric(metrics, "poolstate_whitelist_pools", c.name)).as("list size of %s in the shared metrics", c.name)
                            .isEqualTo(c.listed().size());
                }
                // both feeds and arenas at once (arenas retry the feed's socket), traffic on both chains from here on
                for (Chain c : chains) {
                    c.startFeed(nats.url());
                    c.startArena(nats.url());
                    c.traffic = new TrafficDriver(c.devnet, seed + c.chainId, 8, 3, 120);
                }
                for (Chain c : chains) {
                    c.api.awaitHealthy(BOUND.multipliedBy(3));
                }
                report.add(String.format("whitelist, two feeds and two arenas started; both arenas healthy after %.1f s", (System.nanoTime() - t0) / 1e9));

                for (int round = 1; round <= 3; round++) {
                    advanceBoth(chains, 6);
                    judgeBoth(chains, "round " + round, random);
                }

                // a held list on chain A: its feed holds it, chain B goes on untouched
                WhitelistState before = a.listed();
                WhitelistMessage empty = new WhitelistMessage(UpdateType.FULL, a.name, before.snapshotId() + 1, null, Instant.now(), List.of(), List.of());
                publishRaw(pub, empty);
                a.feed.waitForLine("held, not applied", BOUND);
                assertThat(a.list.held()).as("the test's own fold holds it too").isNotNull();
                advanceBoth(chains, 4);
                judgeBoth(chains, "an empty list published for " + a.name + " (held by its feed)", random);
                assertThat(feedMetric(a, "poolstate_feed_whitelist_held")).isEqualTo(1.0);
                assertThat(feedMetric(b, "poolstate_feed_whitelist_held")).as("chain B's feed holds nothing").isZero();
                new WhitelistPublisher(pub, a.name).publish(WhitelistMessage.full(a.name, before.snapshotId() + 2, Instant.now(), before.descriptors()));
                awaitHoldEnded(a);

                // chain A's feed killed: chain B stays live and exact meanwhile; A recovers
                a.feed.sigkill();
                advanceBoth(chains, 5);
                judge(b, "while " + a.name + "'s feed is down", random);
                assertThat(a.api.status().path("block_hash").asText()).as("A's arena cannot follow without its feed")
                        .isNotEqualTo(a.devnet.eth().latestHeader().hash().toString());
                long restart = System.nanoTime();
                a.startFeed(nats.url());
                a.feed.waitForLine("feed socket listening", BOUND);
                judgeBoth(chains, a.name + "'s feed SIGKILL + restart", random);
                report.add(String.format("%s live and exact again %.1f s after its feed process was started again", a.name, (System.nanoTime() - restart) / 1e9));

                assertThat(whitelist.isAlive()).as("one whitelist process throughout").isTrue();
                assertThat(String.join("\n", whitelist.lines())).as("each chain's runner thread").contains("chain=" + a.name).contains("chain=" + b.name);
            } finally {
                System.out.println("several chains results:");
                report.forEach(line -> System.out.println("  " + line));
            }
        }
    }

    private static void awaitList(Chain c) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (c.listed().size() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no list for " + c.name + " on NATS: " + c.list.reasons());
            }
            Thread.sleep(100);
        }
    }

    private void awaitHoldEnded(Chain c) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (feedMetric(c, "poolstate_feed_whitelist_held") != 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the hold on " + c.name + " did not end after a valid list");
            }
            Thread.sleep(200);
        }
    }

    /** Lets both chains mine {@code n} blocks (each on its own traffic thread), then holds both still. */
    private static void advanceBoth(List<Chain> chains, int n) throws InterruptedException {
        for (Chain c : chains) {
            c.traffic.release();
        }
        long[] target = chains.stream().mapToLong(c -> c.traffic.blocksMined() + n).toArray();
        for (int i = 0; i < chains.size(); i++) {
            while (chains.get(i).traffic.blocksMined() < target[i]) {
                Thread.sleep(20);
            }
        }
        for (Chain c : chains) {
            c.traffic.hold();
        }
    }

    private void judgeBoth(List<Chain> chains, String when, SplittableRandom random) throws Exception {
        for (Chain c : chains) {
            judge(c, when, random);
        }
    }

    /**
     * With the chain held still: the arena is live at the chain's head, names its chain, serves exactly the chain's
     * published list, every pool equal to a fresh read at that block on this chain, and quotes equal the periphery.
     */
    private void judge(Chain c, String when, SplittableRandom random) throws Exception {
        BlockHeader head = c.devnet.eth().latestHeader();
        WhitelistState listed = c.listed();
        long t0 = System.nanoTime();
        JsonNode status = c.api.awaitStatus(s -> s.path("block_hash").asText().equals(head.hash().toString()) && s.path("mode").asText().equals("live")
                && !s.path("stale").asBoolean() && s.path("pools_not_served").asInt() == 0 && s.path("pools").asInt() == listed.size(), BOUND);
        double waited = (System.nanoTime() - t0) / 1e9;
        assertThat(status.path("chain").asText()).as("%s: the arena names its chain", when).isEqualTo(c.name);
        assertThat(status.path("chain_id").asLong()).as("%s: chain id of %s", when, c.name).isEqualTo(c.chainId);
        Set<String> served = new TreeSet<>();
        c.api.pools().path("pools").forEach(p -> served.add(p.path("id").asText()));
        assertThat(served).as("%s: %s serves its own chain's list", when, c.name).isEqualTo(ids(listed));
        List<PoolDescriptor> pools = listed.descriptors();
        assertThat(c.oracle.differences(c.base(), pools, head.number(), head.hash())).as("%s: %s at block %d", when, c.name, head.number()).isEmpty();
        int quotes = 12;
        int amounts = c.oracle.quotes(c.base(), pools, head.number(), head.hash(), quotes, random);
        report.add(String.format("%-52s %-22s block %4d: %2d pools equal the chain, %d quotes equal the periphery (%d with amounts); at the head %.1f s"
                + " after traffic stopped", when, c.name, head.number(), pools.size(), quotes, amounts, waited));
    }

    private static Set<String> ids(WhitelistState s) {
        Set<String> out = new TreeSet<>();
        s.ids().stream().map(PoolId::toString).forEach(out::add);
        return out;
    }

    /** Publishes on the chain's two subjects with message ids of our own (what a buggy publisher would send). */
    private static void publishRaw(Connection pub, WhitelistMessage m) throws Exception {
        pub.jetStream().publish(NatsMessage.builder().subject("whitelist.pools." + m.chain() + ".minimal")
                .headers(new Headers().put("Nats-Msg-Id", m.snapshotId() + "-minimal-raw")).data(WhitelistCodec.writeMinimal(m)).build());
        pub.jetStream().publish(NatsMessage.builder().subject("whitelist.pools." + m.chain() + ".full")
                .headers(new Headers().put("Nats-Msg-Id", m.snapshotId() + "-full-raw")).data(WhitelistCodec.writeFull(m)).build());
    }

    private String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private double feedMetric(Chain c, String name) throws Exception {
        return metric(get("http://127.0.0.1:" + c.feedMetricsPort + "/metrics"), name, null);
    }

    /** The sum of a metric's series in Prometheus text, those labelled {@code chain="<chain>"} only when {@code chain} is given. */
    private static double metric(String text, String name, String chain) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
        double sum = 0;
        while (m.find()) {
            if (chain == null || m.group(1) != null && m.group(1).contains("chain=\"" + chain + "\"")) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}
