package io.poolstate.whitelist.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolstate.eth.Address;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tokens traded on a venue's market listing, by symbol, mapped to this chain's addresses (from the token list).
 * Hyperliquid: {@code POST /info {"type":"meta"}} answering {@code {"universe":[{"name":"BTC"}, ...]}};
 * Lighter: {@code GET /api/v1/orderBooks} answering {@code {"order_books":[{"symbol":"ETH"}, ...]}}. Real HTTP with
 * a time-out; a venue that fails makes the run skip this source with a warning.
 */
public final class MarketListingSource implements TokenSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which listing format. */
    public enum Venue { HYPERLIQUID, LIGHTER }

    private final Venue venue;
    private final URI uri;
    private final Map<String, Address> addresses;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> skipped = new ArrayList<>();

    /** {@code addresses}: symbol (upper case) to address on this chain; symbols without one are skipped. */
    public MarketListingSource(Venue venue, URI uri, Map<String, Address> addresses) {
        this.venue = venue;
        this.uri = uri;
        this.addresses = Map.copyOf(addresses);
    }

    @Override
    public String name() {
        return venue.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public List<String> skipped() {
        return List.copyOf(skipped);
    }

    @Override
    public List<TokenCandidate> tokens() throws Exception {
        skipped.clear();
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        HttpRequest request = venue == Venue.HYPERLIQUID
                ? b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"meta\"}")).build() : b.GET().build();
        HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new IllegalStateException(name() + " answered HTTP " + res.statusCode() + " from " + uri);
        }
        JsonNode root = JSON.readTree(res.body());
        JsonNode markets = venue == Venue.HYPERLIQUID ? root.path("universe") : root.path("order_books");
        if (!markets.isArray()) {
            throw new IllegalStateException(name() + " listing from " + uri + " has no market array");
        }
        List<TokenCandidate> out = new ArrayList<>();
        int i = 0;
        for (JsonNode m : markets) {
            JsonNode symbolNode = venue == Venue.HYPERLIQUID ? m.path("name") : m.path("symbol");
            String where = name() + " market[" + i++ + "]";
            if (!symbolNode.isTextual() || symbolNode.asText().isBlank()) {
                skipped.add(where + ": no symbol");
                continue;
            }
            String symbol = symbolNode.asText().toUpperCase(Locale.ROOT);
            Address a = addresses.get(symbol);
            if (a == null) {
                skipped.add(where + ": " + symbol + " has no token on this chain");
                continue;
            }
            out.add(new TokenCandidate(a, symbol, name() + ": market " + symbol));
        }
        return out;
    }
}
