package io.poolstate.arena.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ArenaView;
import io.poolstate.client.ArenaStream;
import io.poolstate.client.StreamState;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.http.push.PushServer;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hub between published views and the client library, over a real push server: blocks, reverts, updates, filters, resumes. */
class StreamHubTest {
    private static final Token A = new Token(Address.of("0x00000000000000000000000000000000000000a1"), 18, "A");
    private static final Token B = new Token(Address.of("0x00000000000000000000000000000000000000b2"), 6, "B");
    private static final Token C = new Token(Address.of("0x00000000000000000000000000000000000000c3"), 8, "C");
    private static final PoolDescriptor V2 = new PoolDescriptor(PoolId.parse("0x0000000000000000000000000000000000000111"), Protocol.UNISWAP_V2, A, B,
            Address.of("0x0000000000000000000000000000000000000f01"), null, null, null);
    private static final PoolDescriptor V3 = new PoolDescriptor(PoolId.parse("0x0000000000000000000000000000000000000222"), Protocol.UNISWAP_V3, B, C,
            Address.of("0x0000000000000000000000000000000000000f02"), 3000, 60, null);

    private final ArenaMetrics metrics = new ArenaMetrics();
    private StreamHub hub;
    private PushServer server;
    private URI url;

    @BeforeEach
    void start() throws Exception {
        hub = new StreamHub(metrics, 100).start();
        server = PushServer.start("127.0.0.1", 0, "/v1/stream", hub, PushServer.Settings.DEFAULT);
        url = URI.create("ws://127.0.0.1:" + server.address().getPort() + "/v1/stream");
    }

    @AfterEach
    void stop() {
        server.close();
        hub.close();
    }

    private static Bytes32 h(long n, int fork) {
        return Bytes32.of(BigInteger.valueOf(n * 100 + fork));
    }

    private static PoolSnapshot v2(long r0) {
        return new PoolSnapshot.V2(V2, BigInteger.valueOf(r0), BigInteger.valueOf(r0 * 3));
    }

    private static PoolSnapshot v3(int tick, int... ticks) {
        TreeMap<Integer, TickInfo> m = new TreeMap<>();
        for (int t : ticks) {
            m.put(t, new TickInfo(BigInteger.valueOf(Math.abs(t) + 1), BigInteger.valueOf(t)));
        }
        return new PoolSnapshot.Concentrated(V3, BigInteger.ONE.shiftLeft(96).add(BigInteger.valueOf(tick)), tick, BigInteger.valueOf(1000 + tick), 3000, 0, m);
    }

    private static ArenaView view(long n, int fork, PoolSnapshot... pools) {
        Map<PoolId, PoolSnapshot> m = new HashMap<>();
        for (PoolSnapshot p : pools) {
            m.put(p.descriptor().id(), p);
        }
        return new ArenaView(1, ArenaMode.LIVE, n, h(n, fork), m, Map.of(), Map.of(), m.size(), 0, 0, 0);
    }

    private static StreamState await(Supplier<StreamState> s, long n, int fork) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (s.get() == null || !s.get().blockHash().equals(h(n, fork))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("client not at block " + n + " fork " + fork + ": " + s.get());
            }
            Thread.sleep(2);
        }
        return s.get();
    }

    @Test
    void clientsFollowBlocksRevertsAndUpdatesAndResumeAcrossAReorg() throws Exception {
        PoolSnapshot v2a = v2(10);
        PoolSnapshot v3a = v3(5, -60, 60);
        hub.published(view(10, 0, v2a, v3a), true);
        try (ArenaStream all = new ArenaStream(url, ArenaStream.Subscription.ALL, (m, s) -> { }).start();
             ArenaStream ofC = new ArenaStream(url, new ArenaStream.Subscription(List.of(), List.of(C.address())), (m, s) -> { }).start()) {
            assertThat(await(all::state, 10, 0).pools()).isEqualTo(Map.of(V2.id(), v2a, V3.id(), v3a));
            assertThat(await(ofC::state, 10, 0).pools()).isEqualTo(Map.of(V3.id(), v3a));

            PoolSnapshot v3b = v3(7, -60, 120);
            hub.published(view(11, 0, v2a, v3b), false);
            StreamState at11 = await(all::state, 11, 0);
            assertThat(at11.pools()).isEqualTo(Map.of(V2.id(), v2a, V3.id(), v3b));
            all.close();

            PoolSnapshot v2c = v2(20);
            hub.published(view(12, 0, v2c, v3b), false);
            hub.published(view(11, 0, v2a, v3b), false); // block 12 reverted
            hub.published(view(11, 0, v2a), false); // the V3 pool left at the same block
            PoolSnapshot v3d = v3(-4, -120, 60, 180);
            hub.published(view(12, 1, v2a, v3d), false);
            assertThat(await(ofC::state, 12, 1).pools()).isEqualTo(Map.of(V3.id(), v3d));

            try (ArenaStream back = new ArenaStream(url, ArenaStream.Subscription.ALL, (m, s) -> { }, at11).start()) {
                assertThat(await(back::state, 12, 1).pools()).isEqualTo(Map.of(V2.id(), v2a, V3.id(), v3d));
                assertThat(back.refusedResumes()).isZero();
            }
            StreamState unknown = new StreamState(at11.seq() - 1_000_000, 11, h(11, 0), at11.pools());
            try (ArenaStream refused = new ArenaStream(url, ArenaStream.Subscription.ALL, (m, s) -> { }, unknown).start()) {
                assertThat(await(refused::state, 12, 1).pools()).isEqualTo(Map.of(V2.id(), v2a, V3.id(), v3d));
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (refused.refusedResumes() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                assertThat(refused.refusedResumes()).as("a resume from a message never sent is answered with the whole state").isOne();
            }
            hub.published(view(40, 0, v2c), true); // the arena started over
            assertThat(await(ofC::state, 40, 0).pools()).isEmpty();
        }
        assertThat(metrics.streamResumes.count()).isEqualTo(1.0);
        assertThat(metrics.streamResumesRefused.count()).isEqualTo(1.0);
    }
}
