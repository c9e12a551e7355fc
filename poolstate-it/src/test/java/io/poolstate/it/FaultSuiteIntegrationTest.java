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
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.protocol.whitelist.WhitelistCodec;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.testkit.ArenaApiClient;
import io.poolstate.testkit.LoopbackPorts;
import io.poolstate.testkit.NatsServerProcess;
import io.poolstate.testkit.PoolstateProcess;
import io.poolstate.testkit.RpcFault;
import io.poolstate.testkit.RpcFaultProxy;
import io.poolstate.testkit.TcpProxy;
import io.poolstate.whitelist.publish.WhitelistPublisher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The system as it runs in production — the feed and the arena as processes of their own, following a whitelist
 * on NATS, on a node behind a TCP proxy (and, for the feed, a JSON-RPC proxy that damages answers) — under devnet
 * traffic with reorgs, put through one fault after another. After each fault recovers, the chain is held still
 * and judged: every served pool equals a fresh read pinned at the served block, the served set equals the
 * whitelist, a sample of quotes equals the periphery at that block, and health is back within
 * {@link #RECOVERY_BOUND}. The arena's self-check is off, so no fault is hidden by a repair behind the scenes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteIntegrationTest {
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(60);
    private static final String CHAIN = "devnet";
    private static final int FEED_HISTORY = 48;
    private static final int ARENA_JOURNAL = 24;

    @TempDir
    static Path dir;
    private Devnet devnet;
    private NatsServerProcess nats;
    private Connection pub;
    private WhitelistPublisher publisher;
    private TcpProxy node;
    private RpcFaultProxy rpc;
    private SocketRelay relay;
    private PoolstateProcess feed;
    private PoolstateProcess arena;
    private TrafficDriver traffic;
    private ChainOracle oracle;
    private ArenaApiClient api;
    private String base;
    private int arenaPort;
    private int feedMetricsPort;
    private List<PoolDescriptor> all;
    private final Set<PoolId> listed = new LinkedHashSet<>();
    private long snapshot;
    private SplittableRandom random;
    private final List<String> report = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void up() throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        long seed = Long.getLong("poolstate.seed", 101L);
        System.out.println("fault suite seed=" + seed);
        random = new SplittableRandom(seed);
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        devnet = Devnet.start(port, dir.resolve("devnet"), DevnetDeployer.Options.defaults());
        all = devnet.deployment().pools();
        Files.createDirectories(dir.resolve("nats"));
        nats = NatsServerProcess.start(dir.resolve("nats"));
        pub = nats.connect();
        publisher = new WhitelistPublisher(pub, CHAIN);
        publisher.ensureStream();
        snapshot = System.currentTimeMillis();
        all.subList(0, 24).forEach(p -> listed.add(p.id()));
        publisher.publish(WhitelistMessage.full(CHAIN, snapshot, Instant.now(), listedPools()));
        node = TcpProxy.start("127.0.0.1", port);
        rpc = RpcFaultProxy.start("http://" + node.hostPort(), seed);
        relay = new SocketRelay(dir.resolve("relay.sock"), dir.resolve("feed.sock"));
        oracle = new ChainOracle(devnet.eth(), devnet.deployment());
        arenaPort = LoopbackPorts.free();
        feedMetricsPort = LoopbackPorts.free();
        base = "http://127.0.0.1:" + arenaPort;
        api = new ArenaApiClient(base);
        feed = startFeed();
        arena = startArena();
        traffic = new TrafficDriver(devnet, seed, 10, 3, 150);
    }

    private PoolstateProcess startFeed() {
        PoolstateProcess p = PoolstateProcess.start("feed", dir.resolve("feed"), "feed", "--rpc", rpc.url(), "--socket", dir.resolve("feed.sock").toString(),
                "--nats", nats.url(), "--chain", CHAIN, "--pool-manager", devnet.deployment().contracts().poolManager().toString(),
                "--history-blocks", Integer.toString(FEED_HISTORY), "--metrics", "127.0.0.1:" + feedMetricsPort);
        p.waitForLine("feed socket listening", Duration.ofSeconds(60));
        return p;
    }

    private PoolstateProcess startArena() {
        return PoolstateProcess.start("arena", dir.resolve("arena"), "arena", "--feed-socket", relay.path().toString(),
                "--rpc", "http://" + node.hostPort(), "--nats", nats.url(), "--chain", CHAIN, "--http", "127.0.0.1:" + arenaPort,
                "--multicall", Multicall3.CANONICAL.toString(), "--checkpoint", dir.resolve("arena.checkpoint").toString(), "--checkpoint-every", "5",
                "--journal-blocks", Integer.toString(ARENA_JOURNAL), "--self-check-every", "0", "--stale-seconds", "10", "--feed-read-deadline", "8");
    }

    private List<PoolDescriptor> listedPools() {
        return all.stream().filter(p -> listed.contains(p.id())).toList();
    }

    @AfterAll
    void down() throws Exception {
        System.out.println("fault suite results (recovery = fault over -> arena live at the chain's head, exact):");
        report.forEach(line -> System.out.println("  " + line));
        for (AutoCloseable c : new AutoCloseable[] {traffic, arena, feed, api, relay, rpc, node, pub, nats, devnet}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.out.println("closing " + c + ": " + e);
                }
            }
        }
    }

    /**
     * Holds traffic and judges the arena at the chain's head: live, not stale, every listed pool served and equal
     * to the chain, quotes equal to the periphery. Returns the recovery time from {@code faultOverNanos}.
     */
    private Duration judge(String fault, long faultOverNanos) throws Exception {
        traffic.hold();
        try {
            BlockHeader head = devnet.eth().latestHeader();
            api.awaitStatus(s -> s.path("block_hash").asText().equals(head.hash().toString()) && s.path("mode").asText().equals("live")
                    && !s.path("stale").asBoolean() && s.path("pools_not_served").asInt() == 0 && s.path("pools").asInt() == listed.size(), RECOVERY_BOUND);
            Duration recovery = Duration.ofNanos(System.nanoTime() - faultOverNanos);
            assertThat(api.health().status()).as("health after %s", fault).isEqualTo(200);
            Set<String> served = new LinkedHashSet<>();
            api.pools().path("pools").forEach(p -> served.add(p.path("id").asText()));
            assertThat(served).as("served set after %s", fault).containsExactlyInAnyOrderElementsOf(listed.stream().map(PoolId::toString).toList());
            List<PoolDescriptor> pools = listedPools();
            assertThat(oracle.differences(base, pools, head.number(), head.hash())).as("served state after %s at block %d", fault, head.number()).isEmpty();
            int quotes = 16;
            int amounts = oracle.quotes(base, pools, head.number(), head.hash(), quotes, random);
            assertThat(recovery).as("recovery after %s", fault).isLessThanOrEqualTo(RECOVERY_BOUND);
            report.add(String.format("%-58s recovered in %5.1f s; %d pools equal the chain at block %d; %d quotes equal the periphery (%d with amounts)",
                    fault, recovery.toMillis() / 1000.0, pools.size(), head.number(), quotes, amounts));
            return recovery;
        } finally {
            traffic.release();
        }
    }

    @Test
    @Order(1)
    void baseline() throws Exception {
        long t0 = System.nanoTime();
        api.awaitHealthy(RECOVERY_BOUND);
        traffic.advance(5);
        traffic.release();
        judge("start-up under traffic", t0);
    }

    @Test
    @Order(2)
    void feedKilledAndRestarted() throws Exception {
        feed.sigkill();
        Thread.sleep(3000); // blocks the arena cannot see
        long t0 = System.nanoTime();
        feed = startFeed();
        judge("feed SIGKILL + restart", t0);
        assertThat(arena.isAlive()).isTrue();
    }

    @Test
    @Order(3)
    void arenaKilledAndRestartedFromItsCheckpoint() throws Exception {
        assertThat(Files.exists(dir.resolve("arena.checkpoint"))).as("a checkpoint was written").isTrue();
        arena.sigkill();
        Thread.sleep(2000);
        long t0 = System.nanoTime();
        int from = 0;
        arena = startArena();
        arena.waitForLine(from, "arena resumed from checkpoint", RECOVERY_BOUND);
        judge("arena SIGKILL + restart from its checkpoint", t0);
    }

    @Test
    @Order(4)
    void arenaTerminatedAndRestarted() throws Exception {
        int code = arena.sigterm();
        assertThat(code).as("arena exit status after SIGTERM (0, or 143: ended by the signal after its shutdown hook)").isIn(0, 143);
        assertThat(String.join("\n", arena.lines())).contains("arena stopped");
        long t0 = System.nanoTime();
        arena = startArena();
        arena.waitForLine("arena resumed from checkpoint", RECOVERY_BOUND);
        judge("arena SIGTERM + restart", t0);
    }

    @Test
    @Order(5)
    void natsRestarted() throws Exception {
        nats.stop();
        Thread.sleep(3000);
        nats.restart();
        long t0 = System.nanoTime();
        PoolDescriptor add = all.stream().filter(p -> !listed.contains(p.id())).findFirst().orElseThrow();
        publishDiff(UpdateType.ADD, List.of(add));
        judge("NATS restarted, then a pool added", t0);
    }

    @Test
    @Order(6)
    void reorgDeeperThanTheArenasJournal() throws Exception {
        long t0 = deepReorg(ARENA_JOURNAL + 6);
        judge("reorg of " + (ARENA_JOURNAL + 6) + " blocks (deeper than the arena's journal)", t0);
    }

    @Test
    @Order(7)
    void reorgDeeperThanTheFeedsHistory() throws Exception {
        long t0 = deepReorg(FEED_HISTORY + 4);
        judge("reorg of " + (FEED_HISTORY + 4) + " blocks (deeper than the feed's history)", t0);
    }

    /** Lets enough blocks pass, then rolls the chain back {@code depth} blocks and mines a longer replacement. */
    private long deepReorg(int depth) throws Exception {
        traffic.advance(depth + 2);
        devnet.chain().rollback(depth);
        for (int i = 0; i <= depth; i++) {
            devnet.chain().mineEmpty();
        }
        long t0 = System.nanoTime();
        traffic.release();
        return t0;
    }

    @Test
    @Order(8)
    void nodeFrozen() throws Exception {
        node.freeze();
        Thread.sleep(15_000); // the chain moves on behind the frozen connection
        node.thaw();
        judge("node frozen for 15 s", System.nanoTime());
    }

    @Test
    @Order(9)
    void nodeResettingConnections() throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        int resets = 0;
        while (System.nanoTime() < end) {
            resets += node.resetAll();
            Thread.sleep(400);
        }
        assertThat(resets).as("connections reset").isPositive();
        judge("node resetting every connection for 8 s (" + resets + " resets)", System.nanoTime());
    }

    @Test
    @Order(10)
    void nodeAnsweringLogsUnsortedRepeatedAndMissing() throws Exception {
        RpcFault shuffled = RpcFault.shuffledLogs();
        RpcFault repeated = RpcFault.duplicatedLogs(1);
        RpcFault dropped = RpcFault.droppedLogsFirstAnswer(1);
        rpc.add(shuffled);
        rpc.add(repeated);
        rpc.add(dropped);
        traffic.advance(15);
        traffic.release();
        rpc.remove(shuffled);
        rpc.remove(repeated);
        rpc.remove(dropped);
        long t0 = System.nanoTime();
        assertThat(rpc.applied(shuffled.name())).as("answers shuffled").isPositive();
        assertThat(rpc.applied(repeated.name())).as("answers with repeated logs").isPositive();
        assertThat(rpc.applied(dropped.name())).as("answers missing logs").isPositive();
        judge("node answering eth_getLogs unsorted, repeated, missing logs", t0);
        assertThat(feedMetric("poolstate_feed_log_refetches_total")).as("missing logs asked for again").isPositive();
    }

    @Test
    @Order(11)
    void whitelistDiffDuplicatedLostAndOutOfOrder() throws Exception {
        long s0 = snapshot;
        // a diff published twice (again after the duplicate window: another message id)
        PoolDescriptor a = notListed(0);
        WhitelistMessage add = new WhitelistMessage(UpdateType.ADD, CHAIN, s0 + 1, s0, Instant.now(), List.of(a), List.of(a.id()));
        publisher.publish(add);
        publishRaw(add, "-again");
        listed.add(a.id());
        // out of order: the diff after the next one arrives first
        PoolDescriptor b = notListed(0);
        PoolId r1 = listed.iterator().next();
        publishRaw(new WhitelistMessage(UpdateType.ADD, CHAIN, s0 + 3, s0 + 2, Instant.now(), List.of(b), List.of(b.id())), "");
        publishRaw(new WhitelistMessage(UpdateType.REMOVE, CHAIN, s0 + 2, s0 + 1, Instant.now(), List.of(), List.of(r1)), "");
        listed.add(b.id());
        listed.remove(r1);
        // a diff lost: the next one names a snapshot never published
        PoolDescriptor c = notListed(0);
        publishRaw(new WhitelistMessage(UpdateType.ADD, CHAIN, s0 + 5, s0 + 4, Instant.now(), List.of(c), List.of(c.id())), "");
        listed.add(c.id());
        traffic.advance(3);
        traffic.release();
        // the publisher's next full list puts every consumer back on the published chain
        snapshot = s0 + 6;
        long t0 = System.nanoTime();
        publisher.publish(WhitelistMessage.full(CHAIN, snapshot, Instant.now(), listedPools()));
        judge("whitelist diff duplicated, out of order and lost, then a full list", t0);
    }

    @Test
    @Order(12)
    void hundredMalformedMessagesAndAnEmptyList() throws Exception {
        double rejectedBefore = feedMetric("poolstate_feed_whitelist_rejected_messages");
        List<byte[]> bad = malformed();
        for (int i = 0; i < 100; i++) {
            byte[] m = bad.get(i % bad.size());
            String subject = "whitelist.pools." + CHAIN + (i % 2 == 0 ? ".minimal" : ".full");
            pub.jetStream().publish(NatsMessage.builder().subject(subject).headers(new Headers().put("Nats-Msg-Id", "bad-" + i)).data(m).build());
        }
        WhitelistMessage empty = new WhitelistMessage(UpdateType.FULL, CHAIN, snapshot + 1, null, Instant.now(), List.of(), List.of());
        publishRaw(empty, "");
        traffic.advance(3);
        traffic.release();
        long t0 = System.nanoTime();
        judge("100 malformed whitelist messages, then a valid but empty list", t0);
        assertThat(feedMetric("poolstate_feed_whitelist_held")).as("the empty list is held and alerted").isEqualTo(1.0);
        // 8 of the 10 kinds cannot be read (the other two are readable diffs off the chain: gaps, which re-sync), 5 of each on the feed's subject
        assertThat(feedMetric("poolstate_feed_whitelist_rejected_messages") - rejectedBefore).as("malformed messages counted")
                .isGreaterThanOrEqualTo(40);
        assertThat(String.join("\n", feed.lines())).contains("held, not applied");
        // the publisher recovers with a real list: the hold ends
        snapshot += 2;
        publisher.publish(WhitelistMessage.full(CHAIN, snapshot, Instant.now(), listedPools()));
        long t1 = System.nanoTime();
        judge("a valid full list after the held one", t1);
        assertThat(feedMetric("poolstate_feed_whitelist_held")).isZero();
    }

    @Test
    @Order(13)
    void corruptAndTruncatedFrames() throws Exception {
        int lines = arena.lineCount();
        relay.corrupt(3);
        traffic.advance(4);
        relay.truncate();
        traffic.advance(4);
        traffic.release();
        long t0 = System.nanoTime();
        assertThat(relay.corruptions()).isPositive();
        assertThat(relay.truncations()).isPositive();
        judge("corrupt and truncated feed frames", t0);
        assertThat(String.join("\n", arena.lines().subList(lines, arena.lineCount()))).contains("feed connection lost");
    }

    private PoolDescriptor notListed(int k) {
        return all.stream().filter(p -> !listed.contains(p.id())).skip(k).findFirst().orElseThrow();
    }

    private void publishDiff(UpdateType type, List<PoolDescriptor> pools) throws Exception {
        long id = snapshot + 1;
        if (type == UpdateType.ADD) {
            publisher.publish(new WhitelistMessage(type, CHAIN, id, snapshot, Instant.now(), pools, pools.stream().map(PoolDescriptor::id).toList()));
            pools.forEach(p -> listed.add(p.id()));
        } else {
            publisher.publish(new WhitelistMessage(type, CHAIN, id, snapshot, Instant.now(), List.of(), pools.stream().map(PoolDescriptor::id).toList()));
            pools.forEach(p -> listed.remove(p.id()));
        }
        snapshot = id;
    }

    /** Publishes on both subjects with message ids of our own (what a buggy publisher would send). */
    private void publishRaw(WhitelistMessage m, String idSuffix) throws Exception {
        pub.jetStream().publish(NatsMessage.builder().subject("whitelist.pools." + CHAIN + ".minimal")
                .headers(new Headers().put("Nats-Msg-Id", m.snapshotId() + "-minimal" + idSuffix + "-raw")).data(WhitelistCodec.writeMinimal(m)).build());
        pub.jetStream().publish(NatsMessage.builder().subject("whitelist.pools." + CHAIN + ".full")
                .headers(new Headers().put("Nats-Msg-Id", m.snapshotId() + "-full" + idSuffix + "-raw")).data(WhitelistCodec.writeFull(m)).build());
    }

    /** What a buggy or hostile publisher sends: each must be refused with a reason and change nothing. */
    private List<byte[]> malformed() {
        String pool = listed.iterator().next().toString();
        long s = snapshot;
        return List.of(
                utf8("[\"" + pool + "\"]"),
                utf8("{not json"),
                utf8("{\"type\":\"add\",\"chain\":\"devnet\",\"snapshot_id\":" + (s + 50) + ",\"prev_snapshot_id\":" + (s + 49) + ",\"pools\":[\"" + pool + "\"]}"),
                utf8("{\"type\":\"add\",\"chain\":\"devnet\",\"snapshot_id\":" + (s + 51) + ",\"prev_snapshot_id\":7,\"pools\":[\"" + pool + "\"]}"),
                utf8("{\"type\":\"full\",\"chain\":\"devnet\",\"snapshot_id\":" + (s + 52) + ",\"pools\":[\"" + pool + "\",\"" + pool + "\"]}"),
                utf8("{\"type\":\"full\",\"chain\":\"devnet\",\"snapshot_id\":" + (s + 53) + ",\"pools\":[\"0x1234\"]}"),
                utf8("{\"type\":\"full\",\"chain\":\"devnet\",\"snapshot_id\":9223372036854775807,\"pools\":[\"" + pool + "\"]}"),
                utf8("{\"type\":\"full\",\"chain\":\"devnet\",\"snapshot_id\":1.5,\"pools\":[\"" + pool + "\"]}"),
                utf8("{\"type\":\"remove\",\"chain\":\"devnet\",\"snapshot_id\":" + (s + 54) + ",\"pool_ids\":[\"" + pool + "\"]}"),
                utf8("{\"type\":\"full\",\"chain\":\"devnet\",\"pools\":[\"" + pool + "\"]}"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A metric's value from the feed's Prometheus endpoint (0 when absent). */
    private double feedMetric(String name) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + feedMetricsPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    JsonNode status() {
        return api.status();
    }
}
