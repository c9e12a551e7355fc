package io.poolstate.protocol.whitelist;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.eth.Address;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON for whitelist messages (spec section 1). Writes the current format (snake_case, lowercase hex,
 * protocol {@code uniswap_vN}); reads it and the older spellings: a bare list of pools, no {@code type},
 * {@code address} for {@code id}, protocol {@code V2}/{@code UniswapV3}, a token as a bare address.
 * Stateless; safe from any thread.
 */
public final class WhitelistCodec {
    /** Payloads above this size are rejected unread. */
    public static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private WhitelistCodec() {
    }

    /** The full format: pools as objects (for {@code .full} and pool files). */
    public static byte[] writeFull(WhitelistMessage m) {
        ObjectNode root = envelope(m);
        if (m.type() == UpdateType.REMOVE) {
            root.set("pool_ids", ids(m.poolIds()));
        } else {
            ArrayNode pools = root.putArray("pools");
            m.pools().forEach(p -> pools.add(pool(p)));
        }
        return bytes(root);
    }

    /** The minimal format: pools as id strings (for {@code .minimal}). */
    public static byte[] writeMinimal(WhitelistMessage m) {
        ObjectNode root = envelope(m);
        root.set(m.type() == UpdateType.REMOVE ? "pool_ids" : "pools", ids(m.poolIds()));
        return bytes(root);
    }

    /**
     * Reads a message in either format.
     *
     * @throws WhitelistFormatException naming the field and the reason: not JSON, too large, a wrong type,
     *     a bad address, an unknown protocol
     */
    public static WhitelistMessage read(byte[] json, int maxBytes) throws WhitelistFormatException {
        if (json.length > maxBytes) {
            throw new WhitelistFormatException("whitelist message too large: bytes=" + json.length + " max=" + maxBytes, null);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new WhitelistFormatException("whitelist message is not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new WhitelistFormatException("whitelist message is empty", null);
        }
        try {
            return root.isArray() ? bare(root) : envelope(root);
        } catch (IllegalArgumentException e) {
            throw new WhitelistFormatException("invalid whitelist message: " + e.getMessage(), e);
        }
    }

    public static WhitelistMessage read(byte[] json) throws WhitelistFormatException {
        return read(json, DEFAULT_MAX_BYTES);
    }

    /** One pool object of the full format (for files that embed pools, e.g. arena checkpoints). */
    public static ObjectNode writePool(PoolDescriptor p) {
        return pool(p);
    }

    /**
     * Reads one pool object of the full format.
     *
     * @throws WhitelistFormatException naming the field and the reason
     */
    public static PoolDescriptor readPool(JsonNode p) throws WhitelistFormatException {
        try {
            return descriptor(p);
        } catch (IllegalArgumentException e) {
            throw new WhitelistFormatException("invalid pool: " + e.getMessage(), e);
        }
    }

    private static WhitelistMessage bare(JsonNode list) {
        List<PoolDescriptor> pools = new ArrayList<>();
        List<PoolId> ids = new ArrayList<>();
        readPools(list, "pools", pools, ids);
        return new WhitelistMessage(UpdateType.FULL, null, null, null, null, pools, ids);
    }

    private static WhitelistMessage envelope(JsonNode root) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("message must be a JSON object or a list of pools");
        }
        UpdateType type = UpdateType.parse(text(root, "type", false));
        String chain = text(root, "chain", false);
        Long snapshot = number(root, "snapshot_id");
        Long prev = number(root, "prev_snapshot_id");
        Instant ts = null;
        String t = text(root, "timestamp", false);
        if (t != null) {
            try {
                ts = java.time.OffsetDateTime.parse(t).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("timestamp: not ISO-8601: value=" + t);
            }
        }
        List<PoolDescriptor> pools = new ArrayList<>();
        List<PoolId> ids = new ArrayList<>();
        if (type == UpdateType.REMOVE) {
            JsonNode list = root.has("pool_ids") ? root.get("pool_ids") : root.get("pools");
            readPools(requireArray(list, "pool_ids"), "pool_ids", pools, ids);
            pools.clear();
        } else {
            readPools(requireArray(root.get("pools"), "pools"), "pools", pools, ids);
        }
        return new WhitelistMessage(type, chain, snapshot, prev, ts, pools, ids);
    }

    private static void readPools(JsonNode list, String field, List<PoolDescriptor> pools, List<PoolId> ids) {
        boolean objects = false;
        boolean strings = false;
        for (int i = 0; i < list.size(); i++) {
            JsonNode p = list.get(i);
            String where = field + "[" + i + "]";
            if (p.isTextual()) {
                strings = true;
                ids.add(at(where, () -> PoolId.parse(p.asText())));
            } else if (p.isObject()) {
                objects = true;
                PoolDescriptor d = at(where, () -> descriptor(p));
                pools.add(d);
                ids.add(d.id());
            } else {
                throw new IllegalArgumentException(where + ": expected a pool object or id string, got " + p.getNodeType());
            }
        }
        if (objects && strings) {
            throw new IllegalArgumentException(field + ": mixes pool objects and id strings");
        }
    }

    private static PoolDescriptor descriptor(JsonNode p) {
        String idText = p.has("id") ? text(p, "id", true) : text(p, "address", true);
        Protocol protocol = Protocol.parse(text(p, "protocol", true));
        Integer fee = integer(p, "fee");
        Integer spacing = integer(p, "tick_spacing");
        String hooks = text(p, "hooks", false);
        String factory = text(p, "factory", false);
        return new PoolDescriptor(PoolId.parse(idText), protocol, token(p.get("token0"), "token0"), token(p.get("token1"), "token1"),
                factory == null ? null : Address.of(factory), fee, spacing, hooks == null ? null : Address.of(hooks));
    }

    private static Token token(JsonNode t, String field) {
        if (t == null || t.isNull()) {
            throw new IllegalArgumentException(field + ": missing");
        }
        if (t.isTextual()) {
            return Token.of(at(field, () -> Address.of(t.asText())));
        }
        if (!t.isObject()) {
            throw new IllegalArgumentException(field + ": expected an object or an address string");
        }
        Address a = at(field + ".address", () -> Address.of(text(t, "address", true)));
        return new Token(a, integer(t, "decimals"), text(t, "symbol", false));
    }

    private static ObjectNode envelope(WhitelistMessage m) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("type", m.type().wireName());
        if (m.chain() != null) {
            root.put("chain", m.chain());
        }
        if (m.snapshotId() != null) {
            root.put("snapshot_id", m.snapshotId());
        }
        if (m.prevSnapshotId() != null) {
            root.put("prev_snapshot_id", m.prevSnapshotId());
        }
        if (m.timestamp() != null) {
            root.put("timestamp", m.timestamp().toString());
        }
        return root;
    }

    private static ObjectNode pool(PoolDescriptor p) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", p.id().toString());
        n.put("protocol", p.protocol().wireName());
        n.set("token0", token(p.token0()));
        n.set("token1", token(p.token1()));
        if (p.factory() != null) {
            n.put("factory", p.factory().toString());
        }
        if (p.fee() != null) {
            n.put("fee", p.fee());
        }
        if (p.tickSpacing() != null) {
            n.put("tick_spacing", p.tickSpacing());
        }
        if (p.hooks() != null) {
            n.put("hooks", p.hooks().toString());
        }
        return n;
    }

    private static ObjectNode token(Token t) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("address", t.address().toString());
        if (t.decimals() != null) {
            n.put("decimals", t.decimals());
        }
        if (t.symbol() != null) {
            n.put("symbol", t.symbol());
        }
        return n;
    }

    private static ArrayNode ids(List<PoolId> ids) {
        ArrayNode a = MAPPER.createArrayNode();
        ids.forEach(id -> a.add(id.toString()));
        return a;
    }

    private static byte[] bytes(ObjectNode n) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("whitelist message could not be written: " + e.getMessage(), e);
        }
    }

    private static JsonNode requireArray(JsonNode n, String field) {
        if (n == null || !n.isArray()) {
            throw new IllegalArgumentException(field + ": expected a list");
        }
        return n;
    }

    private static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(field + ": missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + ": expected a string, got " + v.getNodeType());
        }
        return v.asText();
    }

    private static Integer integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(field + ": expected an integer, got " + v);
        }
        return v.asInt();
    }

    private static Long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(field + ": expected an integer, got " + v);
        }
        return v.asLong();
    }

    private static <T> T at(String where, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }
}
