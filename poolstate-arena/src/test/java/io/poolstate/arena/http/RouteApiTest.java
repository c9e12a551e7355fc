package io.poolstate.arena.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ArenaView;
import io.poolstate.arena.ChainWatch;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.quote.ConcentratedSwap;
import io.poolstate.dex.quote.V2Swap;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/route} and {@code POST /v1/quotes} over HTTP on a fixed view: A–B (V2), B–C (V3), A–C through a hook that
 * can change swaps (skipped, listed with its reason), a C–D pool not served.
 */
class RouteApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Token A = new Token(Address.of("0x0000000000000000000000000000000000000a00"), 18, "A");
    private static final Token B = new Token(Address.of("0x0000000000000000000000000000000000000b00"), 18, "B");
    private static final Token C = new Token(Address.of("0x0000000000000000000000000000000000000c00"), 6, "C");
    private static final Token D = new Token(Address.of("0x0000000000000000000000000000000000000d00"), 6, "D");
    private static final BigInteger E18 = BigInteger.TEN.pow(18);
    private static final PoolSnapshot.V2 AB = new PoolSnapshot.V2(new PoolDescriptor(PoolId.of(Address.of("0x00000000000000000000000000000000000000ab")),
            Protocol.UNISWAP_V2, A, B, Address.ZERO, null, null, null), E18.multiply(BigInteger.valueOf(1000)), E18.multiply(BigInteger.valueOf(2000)));
    private static final PoolSnapshot.Concentrated BC = concentrated(new PoolDescriptor(PoolId.of(Address.of("0x00000000000000000000000000000000000000bc")),
            Protocol.UNISWAP_V3, B, C, Address.ZERO, 3000, 60, null));
    /** beforeSwap: refused. */
    private static final PoolSnapshot.Concentrated AC = concentrated(new PoolDescriptor(PoolId.of(Bytes32.of(BigInteger.valueOf(0xac))), Protocol.UNISWAP_V4,
            A, C, Address.of("0x00000000000000000000000000000000000000fe"), 3000, 60, Address.of("0x0000000000000000000000000000000000000080")));
    private static final PoolId CD = PoolId.of(Address.of("0x00000000000000000000000000000000000000cd"));

    private final HttpClient http = HttpClient.newHttpClient();
    private ArenaHttpServer server;
    private String base;

    private static PoolSnapshot.Concentrated concentrated(PoolDescriptor d) {
        TreeMap<Integer, TickInfo> ticks = new TreeMap<>();
        BigInteger l = BigInteger.TEN.pow(16);
        ticks.put(-887220, new TickInfo(l, l));
        ticks.put(887220, new TickInfo(l, l.negate()));
        return new PoolSnapshot.Concentrated(d, BigInteger.ONE.shiftLeft(96).divide(BigInteger.valueOf(1000)), -138163, l, 3000, 0, ticks);
    }

    @BeforeEach
    void start() throws Exception {
        Map<PoolId, PoolSnapshot> pools = new LinkedHashMap<>();
        for (PoolSnapshot p : new PoolSnapshot[] {AB, BC, AC}) {
            pools.put(p.descriptor().id(), p);
        }
        ArenaView view = new ArenaView(1, ArenaMode.LIVE, 42, Bytes32.of(BigInteger.valueOf(42)), pools, Map.of(), Map.of(CD, "waiting for a scrape"), 4, 0,
                0, 0);
        server = new ArenaHttpServer("127.0.0.1", 0, () -> view, v -> new ChainWatch.Freshness(false, null, 42, 42, 0), new ArenaMetrics()).start();
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void twoHopRouteWithExactLegsAndTheHookedPoolSkipped() throws Exception {
        BigInteger in = E18;
        HttpResponse<String> res = get("/v1/route?token_in=" + A.address() + "&token_out=" + C.address() + "&amount_in=" + in);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode n = JSON.readTree(res.body());
        assertThat(n.path("block_number").asLong()).isEqualTo(42);
        JsonNode legs = n.path("routes").get(0).path("legs");
        assertThat(legs).hasSize(2);
        BigInteger mid = V2Swap.UNISWAP.amountOut(in, AB.reserve0(), AB.reserve1());
        BigInteger out = ConcentratedSwap.quote(BC, true, true, mid, null).amountOut();
        assertThat(legs.get(0).path("pool").asText()).isEqualTo(AB.descriptor().id().toString());
        assertThat(legs.get(0).path("protocol").asText()).isEqualTo("uniswap_v2");
        assertThat(legs.get(0).path("amount_out").asText()).isEqualTo(mid.toString());
        assertThat(legs.get(1).path("amount_in").asText()).isEqualTo(mid.toString());
        assertThat(legs.get(1).path("token_out").asText()).isEqualTo(C.address().toString());
        assertThat(n.path("amount_out").asText()).isEqualTo(out.toString());
        assertThat(n.path("skipped_pools").get(0).path("pool").asText()).isEqualTo(AC.descriptor().id().toString());
        assertThat(n.path("skipped_pools").get(0).path("reason").asText()).contains("beforeSwap");

        HttpResponse<String> back = get("/v1/route?token_in=" + A.address() + "&token_out=" + C.address() + "&amount_out=" + out);
        JsonNode b = JSON.readTree(back.body());
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(b.path("amount_out").asText()).isEqualTo(out.toString());
        assertThat(new BigInteger(b.path("amount_in").asText())).isLessThanOrEqualTo(in);
    }

    @Test
    void refusalsSayWhy() throws Exception {
        assertThat(get("/v1/route?token_in=" + A.address() + "&token_out=" + D.address() + "&amount_in=1").statusCode()).isEqualTo(404);
        assertThat(get("/v1/route?token_in=" + A.address() + "&token_out=" + C.address()).statusCode()).isEqualTo(400);
        assertThat(get("/v1/route?token_in=" + A.address() + "&token_out=" + A.address() + "&amount_in=1").statusCode()).isEqualTo(400);
        assertThat(get("/v1/route?token_in=0x12&token_out=" + C.address() + "&amount_in=1").statusCode()).isEqualTo(400);
        assertThat(get("/v1/route?token_in=" + A.address() + "&token_out=" + C.address() + "&amount_in=1&max_hops=4").statusCode()).isEqualTo(400);
        assertThat(get("/v1/route?token_in=" + A.address() + "&token_out=" + C.address() + "&amount_in=1000&max_hops=1").statusCode()).isEqualTo(422);
        HttpResponse<String> tooMuch = get("/v1/route?token_in=" + C.address() + "&token_out=" + A.address() + "&amount_out=" + AB.reserve0());
        assertThat(tooMuch.statusCode()).isEqualTo(422);
        assertThat(tooMuch.body()).contains("no route");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/route")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        assertThat(get("/v1/quotes").statusCode()).isEqualTo(405);
    }

    @Test
    void batchAnswersEveryRequestAtOneBlock() throws Exception {
        String body = "{\"quotes\":[{\"pool\":\"" + AB.descriptor().id() + "\",\"zero_for_one\":true,\"amount_in\":\"1000000\"},"
                + "{\"pool\":\"" + BC.descriptor().id() + "\",\"zero_for_one\":false,\"amount_out\":1000},"
                + "{\"pool\":\"" + AC.descriptor().id() + "\",\"zero_for_one\":true,\"amount_in\":\"5\"},"
                + "{\"pool\":\"" + CD + "\",\"zero_for_one\":true,\"amount_in\":\"5\"},"
                + "{\"pool\":\"0x00000000000000000000000000000000000000ee\",\"zero_for_one\":true,\"amount_in\":\"5\"},"
                + "{\"token_in\":\"" + A.address() + "\",\"token_out\":\"" + C.address() + "\",\"amount_in\":\"" + E18 + "\"},"
                + "{\"pool\":\"" + AB.descriptor().id() + "\",\"zero_for_one\":\"maybe\",\"amount_in\":\"1\"},"
                + "{\"pool\":{\"nested\":1}}, 7]}";
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/quotes")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode n = JSON.readTree(res.body());
        assertThat(n.path("block_number").asLong()).isEqualTo(42);
        JsonNode r = n.path("results");
        assertThat(r).hasSize(9);
        int[] statuses = new int[r.size()];
        for (int i = 0; i < r.size(); i++) {
            statuses[i] = r.get(i).path("status").asInt();
        }
        assertThat(statuses).containsExactly(200, 200, 422, 503, 404, 200, 400, 400, 400);
        assertThat(r.get(0).path("amount_out").asText()).isEqualTo(V2Swap.UNISWAP.amountOut(BigInteger.valueOf(1_000_000), AB.reserve0(), AB.reserve1()).toString());
        assertThat(r.get(5).path("routes").get(0).path("legs")).hasSize(2);
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/quotes")).POST(HttpRequest.BodyPublishers.ofString("{\"quotes\":")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
