package io.poolstate.whitelist.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolstate.eth.Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A token list file in the Uniswap token-list format ({@code {"name", "tokens": [{"chainId", "address",
 * "symbol", "decimals"}]}}). "Cross-chain": a token (grouped by symbol) is kept when it is listed on at least
 * {@code minChains} chains and has an entry for this chain. Malformed entries are skipped with a reason.
 */
public final class TokenListSource implements TokenSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final long chainId;
    private final int minChains;
    private final List<String> skipped = new ArrayList<>();

    public TokenListSource(Path file, long chainId, int minChains) {
        this.file = file;
        this.chainId = chainId;
        this.minChains = minChains;
    }

    @Override
    public String name() {
        return "token-list";
    }

    @Override
    public List<String> skipped() {
        return List.copyOf(skipped);
    }

    /** Symbol (upper case) to address on this chain, for sources that name markets by symbol. */
    public Map<String, Address> addressesBySymbol() throws Exception {
        Map<String, Address> out = new HashMap<>();
        for (JsonNode t : read().path("tokens")) {
            if (t.path("chainId").asLong() == chainId && t.path("symbol").isTextual()) {
                try {
                    out.putIfAbsent(t.path("symbol").asText().toUpperCase(Locale.ROOT), Address.of(t.path("address").asText()));
                } catch (IllegalArgumentException e) {
                    // reported by tokens()
                }
            }
        }
        return out;
    }

    @Override
    public List<TokenCandidate> tokens() throws Exception {
        skipped.clear();
        JsonNode root = read();
        String listName = root.path("name").asText(file.getFileName().toString());
        if (!root.path("tokens").isArray()) {
            throw new IllegalArgumentException("token list " + file + " has no 'tokens' array");
        }
        Map<String, Set<Long>> chains = new HashMap<>();
        Map<String, JsonNode> here = new HashMap<>();
        int i = 0;
        for (JsonNode t : root.path("tokens")) {
            String where = "tokens[" + i++ + "]";
            if (!t.path("symbol").isTextual() || !t.path("chainId").isIntegralNumber() || !t.path("address").isTextual()) {
                skipped.add(where + ": needs string symbol, integer chainId and string address");
                continue;
            }
            try {
                Address.of(t.path("address").asText());
            } catch (IllegalArgumentException e) {
                skipped.add(where + ": " + e.getMessage());
                continue;
            }
            String symbol = t.path("symbol").asText().toUpperCase(Locale.ROOT);
            chains.computeIfAbsent(symbol, k -> new HashSet<>()).add(t.path("chainId").asLong());
            if (t.path("chainId").asLong() == chainId) {
                here.putIfAbsent(symbol, t);
            }
        }
        List<TokenCandidate> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : here.entrySet()) {
            int n = chains.get(e.getKey()).size();
            if (n >= minChains) {
                out.add(new TokenCandidate(Address.of(e.getValue().path("address").asText()), e.getKey(),
                        "token list '" + listName + "': on " + n + " chains >= " + minChains));
            }
        }
        return out;
    }

    private JsonNode read() throws Exception {
        return JSON.readTree(file.toFile());
    }
}
