package io.poolstate.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The arena's HTTP API: {@code /v1/status}, {@code /v1/pools}, {@code /v1/pools/{id}} and its quotes, now or at an
 * earlier block still in the journal ({@code ?block=N}). Errors are {@link ArenaApiException}s with the arena's
 * status and reason; a lost connection an {@link UncheckedIOException}.
 *
 * <p>Thread-safe (the JDK client is).
 */
public final class ArenaClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    /** A client of the API at {@code base} (e.g. {@code http://127.0.0.1:8080}). */
    public ArenaClient(URI base) {
        this(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), Duration.ofSeconds(10));
    }

    public ArenaClient(URI base, HttpClient http, Duration timeout) {
        this.base = base;
        this.http = http;
        this.timeout = timeout;
    }

    public ArenaStatus status() {
        JsonNode n = get("/v1/status");
        return new ArenaStatus(n.path("chain_id").asLong(), n.path("mode").asText(), n.path("stale").asBoolean(),
                n.hasNonNull("stale_reason") ? n.get("stale_reason").asText() : null, n.path("block_number").asLong(), Bytes32.of(n.path("block_hash").asText()),
                n.path("chain_head").asLong(), n.path("pools").asInt(), n.path("pools_not_served").asInt(), n.path("history_oldest_block").asLong());
    }

    /** The served pools' ids at the current block. */
    public List<PoolId> pools() {
        List<PoolId> out = new ArrayList<>();
        get("/v1/pools").path("pools").forEach(p -> out.add(PoolId.parse(p.path("id").asText())));
        return out;
    }

    /** A pool's whole state at the current block. */
    public ServedPool pool(PoolId id) {
        return served(get("/v1/pools/" + id));
    }

    /** A pool's whole state at block {@code block} (410 beyond the journal, 404 above the tip). */
    public ServedPool pool(PoolId id, long block) {
        return served(get("/v1/pools/" + id + "?block=" + block));
    }

    /**
     * A quote on pool {@code id}: exact input ({@code exactInput}: {@code amount} in) or exact output, at the current block
     * ({@code block} null) or at an earlier one.
     */
    public SwapQuote quote(PoolId id, boolean zeroForOne, boolean exactInput, BigInteger amount, Long block) {
        JsonNode n = get("/v1/pools/" + id + "/quote?zero_for_one=" + zeroForOne + (exactInput ? "&amount_in=" : "&amount_out=") + amount
                + (block == null ? "" : "&block=" + block));
        return new SwapQuote(new BigInteger(n.path("amount_in").asText()), new BigInteger(n.path("amount_out").asText()), n.path("complete").asBoolean(),
                n.path("source").asText(), n.hasNonNull("sqrt_price_x96_after") ? new BigInteger(n.get("sqrt_price_x96_after").asText()) : null,
                n.hasNonNull("tick_after") ? n.get("tick_after").asInt() : null, n.path("block_number").asLong(), Bytes32.of(n.path("block_hash").asText()));
    }

    private JsonNode get(String path) {
        HttpResponse<String> res;
        try {
            res = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted: GET " + path));
        }
        JsonNode body;
        try {
            body = JSON.readTree(res.body());
        } catch (IOException e) {
            throw new ArenaApiException(res.statusCode(), "not JSON: " + e.getMessage(), res.body());
        }
        if (res.statusCode() != 200) {
            throw new ArenaApiException(res.statusCode(), body.path("error").asText(), res.body());
        }
        return body;
    }

    /** The pool JSON of {@code /v1/pools/{id}} as a snapshot (tokens known by address only, as the API names them). */
    static ServedPool served(JsonNode n) {
        Protocol protocol = Protocol.parse(n.path("protocol").asText());
        PoolId id = PoolId.parse(n.path("id").asText());
        Token t0 = Token.of(Address.of(n.path("token0").asText()));
        Token t1 = Token.of(Address.of(n.path("token1").asText()));
        PoolSnapshot s;
        if (protocol == Protocol.UNISWAP_V2) {
            s = new PoolSnapshot.V2(new PoolDescriptor(id, protocol, t0, t1, null, null, null, null), new BigInteger(n.path("reserve0").asText()),
                    new BigInteger(n.path("reserve1").asText()));
        } else {
            Address hooks = n.hasNonNull("hooks") ? Address.of(n.get("hooks").asText()) : null;
            PoolDescriptor d = new PoolDescriptor(id, protocol, t0, t1, null, n.path("fee").asInt(), n.path("tick_spacing").asInt(), hooks);
            TreeMap<Integer, TickInfo> ticks = new TreeMap<>();
            n.path("ticks").forEach(t -> ticks.put(t.path("tick").asInt(), new TickInfo(new BigInteger(t.path("liquidity_gross").asText()),
                    new BigInteger(t.path("liquidity_net").asText()))));
            int fee = protocol == Protocol.UNISWAP_V4 ? n.path("lp_fee").asInt() : n.path("fee").asInt();
            int protocolFee = protocol == Protocol.UNISWAP_V4 ? n.path("protocol_fee").asInt() : 0;
            s = new PoolSnapshot.Concentrated(d, new BigInteger(n.path("sqrt_price_x96").asText()), n.path("tick").asInt(),
                    new BigInteger(n.path("liquidity").asText()), fee, protocolFee, ticks);
        }
        return new ServedPool(s, n.path("block_number").asLong(), Bytes32.of(n.path("block_hash").asText()),
                n.hasNonNull("scraped_at") ? n.get("scraped_at").asLong() : null, n.path("quote_support").asText());
    }
}
