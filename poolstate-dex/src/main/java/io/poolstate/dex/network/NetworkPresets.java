package io.poolstate.dex.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolstate.dex.pool.Token;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checked-in table of network presets, {@code networks.json} next to this class: read once, validated (every
 * value names a known source, every address is in its EIP-55 checksum spelling), immutable afterwards.
 */
public final class NetworkPresets {
    /** The table's file name, on the class path next to this class. */
    public static final String RESOURCE = "networks.json";

    private static final Map<String, NetworkPreset> PRESETS = load();

    private NetworkPresets() {
    }

    /** Every preset of the table, in table order. */
    public static Map<String, NetworkPreset> all() {
        return PRESETS;
    }

    /**
     * The preset named {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the known networks when there is none
     */
    public static NetworkPreset named(String name) {
        NetworkPreset p = name == null ? null : PRESETS.get(name.toLowerCase(java.util.Locale.ROOT));
        if (p == null) {
            throw new IllegalArgumentException("unknown network: network=" + name + " (known: " + String.join(", ", PRESETS.keySet()) + ", devnet)");
        }
        return p;
    }

    static Map<String, NetworkPreset> load() {
        try (InputStream in = NetworkPresets.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static Map<String, NetworkPreset> parse(JsonNode root) {
        JsonNode sources = root.path("sources");
        Map<String, NetworkPreset> out = new LinkedHashMap<>();
        for (JsonNode n : root.path("networks")) {
            String name = n.path("name").asText();
            Reader r = new Reader(name, sources);
            List<Token> stables = new ArrayList<>();
            for (JsonNode s : n.path("stables")) {
                stables.add(r.token(s, "stable:" + s.path("symbol").asText()));
            }
            List<String> notListed = new ArrayList<>();
            n.path("not_listed").forEach(x -> notListed.add(x.asText()));
            out.put(name, new NetworkPreset(name, r.number(n, "chain_id", -1), r.address(n, "v2_factory"), r.address(n, "v3_factory"),
                    r.address(n, "pool_manager"), r.address(n, "multicall3"), n.has("weth") ? r.token(n.get("weth"), "weth") : null, stables,
                    r.hash(n, "v2_pair_init_code_hash"), r.hash(n, "v3_pool_init_code_hash"), r.number(n, "discovery_start_block", 0),
                    r.sources, notListed));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Reads one network's entries, checking each names a known source. */
    private static final class Reader {
        final String network;
        final JsonNode known;
        final Map<String, String> sources = new LinkedHashMap<>();

        Reader(String network, JsonNode known) {
            this.network = network;
            this.known = known;
        }

        private void source(JsonNode entry, String field) {
            String key = entry.path("source").asText(null);
            if (key == null || !known.has(key)) {
                List<String> names = new ArrayList<>();
                for (Iterator<String> it = known.fieldNames(); it.hasNext(); ) {
                    names.add(it.next());
                }
                throw new IllegalStateException(RESOURCE + ": entry without a known source: network=" + network + " field=" + field + " source=" + key
                        + " (known: " + names + ")");
            }
            sources.put(field, known.get(key).asText());
        }

        Address address(JsonNode n, String field) {
            JsonNode e = n.get(field);
            if (e == null) {
                return null;
            }
            source(e, field);
            try {
                return Address.ofChecksummed(e.path("address").asText());
            } catch (IllegalArgumentException ex) {
                throw new IllegalStateException(RESOURCE + ": network=" + network + " field=" + field + ": " + ex.getMessage(), ex);
            }
        }

        Token token(JsonNode e, String field) {
            source(e, field);
            try {
                return new Token(Address.ofChecksummed(e.path("address").asText()), e.path("decimals").asInt(), e.path("symbol").asText());
            } catch (IllegalArgumentException ex) {
                throw new IllegalStateException(RESOURCE + ": network=" + network + " field=" + field + ": " + ex.getMessage(), ex);
            }
        }

        Bytes32 hash(JsonNode n, String field) {
            JsonNode e = n.get(field);
            if (e == null) {
                return null;
            }
            source(e, field);
            return Bytes32.of(e.path("value").asText());
        }

        long number(JsonNode n, String field, long absent) {
            JsonNode e = n.get(field);
            if (e == null) {
                if (absent < 0) {
                    throw new IllegalStateException(RESOURCE + ": network=" + network + " misses " + field);
                }
                return absent;
            }
            source(e, field);
            return e.path("value").asLong();
        }
    }
}
