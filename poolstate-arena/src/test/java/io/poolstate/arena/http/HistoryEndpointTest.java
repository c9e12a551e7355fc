package io.poolstate.arena.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ArenaView;
import io.poolstate.arena.ChainWatch;
import io.poolstate.arena.ViewHistory;
import io.poolstate.client.ArenaApiException;
import io.poolstate.client.ArenaClient;
import io.poolstate.client.ServedPool;
import io.poolstate.client.SwapQuote;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.math.BigInteger;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code ?block=N} through the HTTP server and the client library: the state served at N, 410 below the journal, 404 above the tip. */
class HistoryEndpointTest {
    private static final PoolDescriptor V2 = new PoolDescriptor(PoolId.parse("0x0000000000000000000000000000000000000111"), Protocol.UNISWAP_V2,
            Token.of(Address.of("0x00000000000000000000000000000000000000a1")), Token.of(Address.of("0x00000000000000000000000000000000000000b2")),
            Address.of("0x0000000000000000000000000000000000000f01"), null, null, null);

    private static ArenaView view(long n, long reserve) {
        PoolSnapshot s = new PoolSnapshot.V2(V2, BigInteger.valueOf(reserve), BigInteger.valueOf(reserve * 2));
        return new ArenaView(1, ArenaMode.LIVE, n, Bytes32.of(BigInteger.valueOf(n)), Map.of(V2.id(), s), Map.of(), Map.of(), 1, 0, 0, 0);
    }

    @Test
    void earlierBlocksAreAnsweredFromTheJournalAndRefusedBeyondIt() throws Exception {
        ViewHistory history = new ViewHistory(3);
        AtomicReference<ArenaView> tip = new AtomicReference<>();
        for (long n = 10; n <= 15; n++) {
            tip.set(view(n, 1000 + n));
            history.published(tip.get(), n == 10);
        }
        try (ArenaHttpServer api = new ArenaHttpServer("127.0.0.1", 0, tip::get, v -> new ChainWatch.Freshness(false, null, v.blockNumber(),
                v.blockNumber(), 0), new ArenaMetrics()).history(history).start()) {
            ArenaClient client = new ArenaClient(URI.create("http://127.0.0.1:" + api.address().getPort()));
            assertThat(client.status().historyOldestBlock()).isEqualTo(12);
            ServedPool now = client.pool(V2.id());
            assertThat(now.blockNumber()).isEqualTo(15);
            ServedPool at12 = client.pool(V2.id(), 12);
            assertThat(at12.blockNumber()).isEqualTo(12);
            assertThat(at12.blockHash()).isEqualTo(Bytes32.of(BigInteger.valueOf(12)));
            assertThat(((PoolSnapshot.V2) at12.state()).reserve0()).isEqualTo(BigInteger.valueOf(1012));
            SwapQuote q = client.quote(V2.id(), true, true, BigInteger.TEN, 12L);
            assertThat(q.blockNumber()).isEqualTo(12);
            assertThat(q.amountOut()).isEqualTo(BigInteger.valueOf(19)); // 10 in, reserves 1012/2024, 0.3% fee: floor(9970 * 2024 / (1012000 + 9970))
            assertThatThrownBy(() -> client.pool(V2.id(), 11)).isInstanceOfSatisfying(ArenaApiException.class, e -> {
                assertThat(e.status()).isEqualTo(410);
                assertThat(e.getMessage()).contains("block=11").contains("oldest=12").contains("tip=15");
            });
            assertThatThrownBy(() -> client.quote(V2.id(), true, true, BigInteger.TEN, 9L))
                    .isInstanceOfSatisfying(ArenaApiException.class, e -> assertThat(e.status()).isEqualTo(410));
            assertThatThrownBy(() -> client.pool(V2.id(), 16)).isInstanceOfSatisfying(ArenaApiException.class, e -> assertThat(e.status()).isEqualTo(404));
            assertThatThrownBy(() -> client.pool(PoolId.parse("0x0000000000000000000000000000000000000999"), 12))
                    .isInstanceOfSatisfying(ArenaApiException.class, e -> assertThat(e.getMessage()).contains("unknown pool"));
            var http = java.net.http.HttpClient.newHttpClient();
            var bad = http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.address().getPort() + "/v1/pools/" + V2.id()
                    + "?block=-1")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("block=-1");
        }
    }
}
