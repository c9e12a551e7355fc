package io.poolstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.WriterIdle;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ChainWatch;
import io.poolstate.arena.PoolCatalog;
import io.poolstate.arena.http.ArenaHttpServer;
import io.poolstate.arena.stream.StreamHub;
import io.poolstate.client.ArenaApiException;
import io.poolstate.client.ArenaClient;
import io.poolstate.client.ArenaStream;
import io.poolstate.client.ServedPool;
import io.poolstate.client.StreamState;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.http.push.PushServer;
import io.poolstate.protocol.stream.StreamCodec;
import io.poolstate.protocol.stream.StreamMessage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push stream and the recent history against the chain, with devnet traffic and reorgs. Stream clients (every pool;
 * the pools of one token; a browser's Server-Sent Events) rebuild state from the messages; after every block their
 * state equals {@code /v1/pools/{id}}, including a client that lost its connection and resumed, and one that stayed
 * away across a reorg and resumed from the state it had. A subscriber that stops reading is dropped with its reason
 * while the others get every block. Then {@code ?block=N} is held to a fresh read pinned at N for every block still in
 * the journal (pools and quotes), with 410 below it, 404 above the tip and 400 for a malformed block.
 */
class ArenaStreamIntegrationTest {
    private static final int JOURNAL = 40;

    @Test
    void streamClientsEqualTheApiAtEveryBlockAndHistoryEqualsTheChain(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        long seed = Long.getLong("poolstate.seed", 13L);
        System.out.println("arena stream seed=" + seed);
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), DevnetDeployer.Options.defaults());
             ArenaFixture f = new ArenaFixture(devnet, dir.resolve("feed.sock"), seed, 12)) {
            ArenaMetrics metrics = new ArenaMetrics();
            // the writer spins between blocks here (the other arena tests park): the same blocks, reorgs and views either way
            ArenaAgent.Settings settings = new ArenaAgent.Settings(10_000, JOURNAL, ArenaAgent.Settings.DEFAULT.scrape(), 0, 5, null, 100, 0,
                    Duration.ofSeconds(15), Duration.ofSeconds(10), WriterIdle.SPIN, ArenaAgent.Settings.DEFAULT_WARM_UP_BLOCKS);
            ArenaAgent arena = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, f.socket, PoolCatalog.of(f.d.pools()), settings, metrics);
            try (StreamHub hub = new StreamHub(metrics, 4 * JOURNAL).start();
                 ArenaAgent started = arena.listen(hub).start();
                 ChainWatch watch = new ChainWatch(devnet.eth(), ChainWatch.Settings.DEFAULT).start();
                 ArenaHttpServer api = new ArenaHttpServer("127.0.0.1", 0, arena::view, v -> watch.freshness(v.blockNumber(), arena.lastAdvanceNanos()),
                         metrics).history(arena.history()).start();
                 PushServer push = PushServer.start("127.0.0.1", 0, "/v1/stream", hub, PushServer.Settings.DEFAULT.withQueue(16).withSendBuffer(8192))) {
                String base = "http://127.0.0.1:" + api.address().getPort();
                URI streamUrl = URI.create("ws://127.0.0.1:" + push.address().getPort() + "/v1/stream");
                ArenaClient client = new ArenaClient(URI.create(base));
                ChainOracle oracle = new ChainOracle(devnet.eth(), f.d);
                ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().mode() == ArenaMode.LIVE, "arena live");
                f.stepwise();

                Address token = f.d.pools().get(0).token0().address();
                List<PoolId> ofToken = f.d.pools().stream().filter(p -> p.token0().address().equals(token) || p.token1().address().equals(token))
                        .map(PoolDescriptor::id).toList();
                try (ArenaStream all = new ArenaStream(streamUrl, ArenaStream.Subscription.ALL, (m, s) -> { }).start();
                     ArenaStream oneToken = new ArenaStream(streamUrl, new ArenaStream.Subscription(List.of(), List.of(token)), (m, s) -> { }).start();
                     SseReader sse = new SseReader(URI.create("http://127.0.0.1:" + push.address().getPort() + "/v1/stream"));
                     Socket stuck = stuckSubscriber(push.address().getPort())) {
                    ArenaStream away = new ArenaStream(streamUrl, ArenaStream.Subscription.ALL, (m, s) -> { }).start();
                    ArenaStream resumed = null;
                    StreamState awayState = null;
                    long revertsAtLeave = 0;
                    int blocks = 0;
                    int awayBlocks = 0;
                    for (int i = 0; i < 110; i++) {
                        f.step();
                        BlockHeader head = devnet.eth().latestHeader();
                        ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().blockHash().equals(head.hash()), "arena at block " + head.number());
                        blocks++;
                        if (i == 30) {
                            all.dropConnection(); // resumes at once
                        }
                        if (i == 50) {
                            awaitBlock(away::state, head, "the client about to leave");
                            awayState = away.state();
                            away.close();
                            revertsAtLeave = metrics.blocksReverted.count() > 0 ? (long) metrics.blocksReverted.count() : 0;
                        }
                        if (awayState != null && resumed == null) {
                            awayBlocks++;
                            if (awayBlocks >= 5 && metrics.blocksReverted.count() > revertsAtLeave) {
                                resumed = new ArenaStream(streamUrl, ArenaStream.Subscription.ALL, (m, s) -> { }, awayState).start();
                                System.out.println("stream: a client away for " + awayBlocks + " blocks, across "
                                        + (long) (metrics.blocksReverted.count() - revertsAtLeave) + " reverted block(s), resumes after block "
                                        + awayState.blockNumber());
                            }
                        }
                        Map<PoolId, String> served = served(client, f.d.pools(), head);
                        assertEqual(awaitBlock(all::state, head, "all pools"), served, f.d.pools().stream().map(PoolDescriptor::id).toList(), "all pools", head);
                        assertEqual(awaitBlock(oneToken::state, head, "one token"), served, ofToken, "pools of " + token, head);
                        assertEqual(awaitBlock(sse::state, head, "SSE"), served, f.d.pools().stream().map(PoolDescriptor::id).toList(), "SSE", head);
                        if (resumed != null) {
                            assertEqual(awaitBlock(resumed::state, head, "resumed"), served, f.d.pools().stream().map(PoolDescriptor::id).toList(),
                                    "resumed after leaving", head);
                        }
                    }
                    assertThat(resumed).as("a reorg happened while a client was away").isNotNull();
                    assertThat(resumed.refusedResumes()).as("the resume across the reorg was served from the kept messages").isZero();
                    assertThat(all.connects()).as("the client whose connection dropped connected again").isGreaterThanOrEqualTo(2);
                    assertThat(all.refusedResumes()).isZero();
                    assertThat(metrics.streamDropped.count()).as("the subscriber that stopped reading was dropped").isGreaterThanOrEqualTo(1);
                    assertThat(metrics.blocksReverted.count()).as("reorgs went through the journal").isPositive();
                    resumed.close();
                    System.out.println("stream: " + blocks + " blocks, stream state equal to the API after each; reverted blocks="
                            + (long) metrics.blocksReverted.count() + " stream messages=" + (long) metrics.streamMessages.count() + " dropped="
                            + (long) metrics.streamDropped.count());
                }

                // recent history: every block still in the journal equals a fresh read pinned there
                BlockHeader tip = devnet.eth().latestHeader();
                // the journal holds the tip and JOURNAL blocks below it, fewer right after a reorg (reverted blocks leave it)
                long oldest = client.status().historyOldestBlock();
                assertThat(oldest).as("oldest block kept at tip %d", tip.number()).isBetween(tip.number() - JOURNAL, tip.number() - JOURNAL + 3);
                SplittableRandom r = new SplittableRandom(seed);
                int checked = 0;
                int quoted = 0;
                for (long n = oldest; n <= tip.number(); n++) {
                    BlockHeader h = devnet.eth().header(n);
                    List<String> diffs = oracle.differencesAt(base, f.d.pools(), n, h.hash());
                    assertThat(diffs).as("?block=%d against the chain", n).isEmpty();
                    quoted += oracle.quotes(base, f.d.pools(), n, h.hash(), 2, r, true);
                    checked++;
                }
                System.out.println("history: " + checked + " blocks (" + oldest + ".." + tip.number() + "), every pool equal to a read"
                        + " pinned there; " + quoted + " quotes at those blocks equal to the periphery");
                PoolId some = f.d.pools().get(0).id();
                long gone = oldest - 1;
                assertThat(status(() -> client.pool(some, gone))).as("below the journal").isEqualTo(410);
                assertThat(status(() -> client.pool(some, tip.number() + 5))).as("above the tip").isEqualTo(404);
                HttpResponse<String> bad = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/v1/pools/" + some + "?block=x1"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(bad.statusCode()).isEqualTo(400);
                try {
                    client.pool(some, gone);
                } catch (ArenaApiException e) {
                    assertThat(e.getMessage()).contains("block=" + gone).contains("oldest=" + oldest);
                }
            }
        }
    }

    /** Every pool as the API serves it at {@code head}, rendered. */
    private static Map<PoolId, String> served(ArenaClient client, List<PoolDescriptor> pools, BlockHeader head) {
        Map<PoolId, String> out = new TreeMap<>();
        for (PoolDescriptor p : pools) {
            ServedPool s = client.pool(p.id());
            assertThat(s.blockHash()).isEqualTo(head.hash());
            out.put(p.id(), ChainOracle.render(s.state()));
        }
        return out;
    }

    private static void assertEqual(StreamState s, Map<PoolId, String> served, List<PoolId> ids, String who, BlockHeader head) {
        assertThat(s.pools().keySet()).as("%s: pools at block %d", who, head.number()).containsExactlyInAnyOrderElementsOf(ids);
        for (PoolId id : ids) {
            assertThat(ChainOracle.render(s.pools().get(id))).as("%s: pool %s at block %d", who, id, head.number()).isEqualTo(served.get(id));
        }
    }

    private static StreamState awaitBlock(Supplier<StreamState> state, BlockHeader head, String who) {
        ArenaEndToEndIntegrationTest.waitFor(() -> state.get() != null && state.get().blockHash().equals(head.hash()),
                "stream client (" + who + ") at block " + head.number() + " " + head.hash());
        return state.get();
    }

    private static int status(Runnable call) {
        try {
            call.run();
            return 200;
        } catch (ArenaApiException e) {
            return e.status();
        }
    }

    /** A WebSocket subscriber that never reads what it is sent. */
    private static Socket stuckSubscriber(int port) throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        s.getOutputStream().write(("GET /v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    /** A browser's view: Server-Sent Events read line by line, each {@code data:} applied to the state. */
    private static final class SseReader implements AutoCloseable {
        private final AtomicReference<StreamState> state = new AtomicReference<>();
        private final Thread thread;
        private volatile InputStream body;

        SseReader(URI url) throws Exception {
            HttpResponse<InputStream> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(res.statusCode()).isEqualTo(200);
            body = res.body();
            thread = Thread.ofVirtual().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (line.startsWith("data: ")) {
                            StreamMessage m = StreamCodec.read(line.substring(6));
                            state.set(StreamState.next(state.get(), m));
                        }
                    }
                } catch (Exception e) {
                    // closed
                }
            });
        }

        StreamState state() {
            return state.get();
        }

        @Override
        public void close() throws Exception {
            body.close();
            thread.interrupt();
        }
    }
}
