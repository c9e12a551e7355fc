package io.poolstate.protocol.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.eth.Bytes32;
import io.poolstate.protocol.whitelist.WhitelistCodec;
import io.poolstate.protocol.whitelist.WhitelistFormatException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The push stream's messages: compact JSON, one per WebSocket text frame or Server-Sent Event, snake_case, big
 * integers as decimal strings, hashes and ids lowercase hex. Fields in this order:
 *
 * <pre>
 * {"type":"block","seq":1764662400000001,"block_number":42,"block_hash":"0x…","parent_hash":"0x…",
 *  "pools":[CHANGE, …],"removed":["0x…"]}
 *
 * CHANGE, whole (first time a subscriber sees the pool):
 *   {"id":"0x…","pool":{whitelist full-format pool object},"reserve0":"…","reserve1":"…"}                      V2
 *   {"id":"0x…","pool":{…},"sqrt_price_x96":"…","tick":-5,"liquidity":"…","fee":3000,"protocol_fee":0,
 *    "ticks":[[-60,"gross","net"],…]}                                                                          V3/V4
 * CHANGE, what changed: the same without "pool"; "ticks" lists only the ticks that changed, gross "0" meaning the
 *   tick is no longer initialised.
 * </pre>
 *
 * {@code fee} is the fee the pool charges now (pips; a V4 pool's LP fee), {@code protocol_fee} V4's (0 for V3).
 * {@code parent_hash} is absent when unknown (a snapshot), {@code removed} when empty; a snapshot that answers a
 * refused resume carries {@code reason}. A pool's change is encoded once per message and shared by every
 * subscriber ({@link #change}, {@link #message}). Stateless.
 */
public final class StreamCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamCodec() {
    }

    /**
     * A pool's change as a JSON fragment: whole when {@code before} is null, else what differs from {@code before}
     * (the same pool). Null when nothing differs.
     */
    public static String change(PoolSnapshot before, PoolSnapshot after) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", after.descriptor().id().toString());
        if (before == null || !before.descriptor().equals(after.descriptor())) {
            n.set("pool", WhitelistCodec.writePool(after.descriptor()));
            before = null;
        } else if (before.equals(after)) {
            return null;
        }
        switch (after) {
            case PoolSnapshot.V2 v -> {
                n.put("reserve0", v.reserve0().toString());
                n.put("reserve1", v.reserve1().toString());
            }
            case PoolSnapshot.Concentrated c -> {
                n.put("sqrt_price_x96", c.sqrtPriceX96().toString());
                n.put("tick", c.tick());
                n.put("liquidity", c.liquidity().toString());
                n.put("fee", c.fee());
                n.put("protocol_fee", c.protocolFee());
                ArrayNode ticks = n.putArray("ticks");
                if (before instanceof PoolSnapshot.Concentrated b) {
                    if (b.tickTable() != c.tickTable()) {
                        tickChanges(b, c, ticks);
                    }
                } else {
                    c.ticks().forEach((t, i) -> tick(ticks, t, i.liquidityGross(), i.liquidityNet()));
                }
            }
        }
        return n.toString();
    }

    private static void tickChanges(PoolSnapshot.Concentrated before, PoolSnapshot.Concentrated after, ArrayNode out) {
        Iterator<Map.Entry<Integer, TickInfo>> a = before.ticks().entrySet().iterator();
        Iterator<Map.Entry<Integer, TickInfo>> b = after.ticks().entrySet().iterator();
        Map.Entry<Integer, TickInfo> x = a.hasNext() ? a.next() : null;
        Map.Entry<Integer, TickInfo> y = b.hasNext() ? b.next() : null;
        while (x != null || y != null) {
            int cmp = x == null ? 1 : y == null ? -1 : Integer.compare(x.getKey(), y.getKey());
            if (cmp < 0) {
                tick(out, x.getKey(), BigInteger.ZERO, BigInteger.ZERO); // no longer initialised
                x = a.hasNext() ? a.next() : null;
            } else if (cmp > 0) {
                tick(out, y.getKey(), y.getValue().liquidityGross(), y.getValue().liquidityNet());
                y = b.hasNext() ? b.next() : null;
            } else {
                if (!Objects.equals(x.getValue(), y.getValue())) {
                    tick(out, y.getKey(), y.getValue().liquidityGross(), y.getValue().liquidityNet());
                }
                x = a.hasNext() ? a.next() : null;
                y = b.hasNext() ? b.next() : null;
            }
        }
    }

    private static void tick(ArrayNode out, int tick, BigInteger gross, BigInteger net) {
        out.addArray().add(tick).add(gross.toString()).add(net.toString());
    }

    /** A whole message from its header and the changes already encoded by {@link #change}. */
    public static String message(StreamMessage.Type type, long seq, long number, Bytes32 hash, Bytes32 parent, List<String> changes,
                                 List<PoolId> removed, String reason) {
        StringBuilder sb = new StringBuilder(128 + changes.stream().mapToInt(String::length).sum());
        sb.append("{\"type\":\"").append(type.wireName()).append("\",\"seq\":").append(seq).append(",\"block_number\":").append(number)
                .append(",\"block_hash\":\"").append(hash).append('"');
        if (parent != null) {
            sb.append(",\"parent_hash\":\"").append(parent).append('"');
        }
        sb.append(",\"pools\":[");
        for (int i = 0; i < changes.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(changes.get(i));
        }
        sb.append(']');
        if (!removed.isEmpty()) {
            sb.append(",\"removed\":[");
            for (int i = 0; i < removed.size(); i++) {
                sb.append(i > 0 ? ",\"" : "\"").append(removed.get(i)).append('"');
            }
            sb.append(']');
        }
        if (reason != null) {
            sb.append(",\"reason\":").append(JSON.getNodeFactory().textNode(reason));
        }
        return sb.append('}').toString();
    }

    /**
     * Reads one message.
     *
     * @throws StreamFormatException naming the field and the reason
     */
    public static StreamMessage read(String json) throws StreamFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StreamFormatException("json=invalid: " + e.getOriginalMessage(), e);
        }
        try {
            StreamMessage.Type type = StreamMessage.Type.parse(text(root, "type"));
            long seq = number(root, "seq");
            long block = number(root, "block_number");
            Bytes32 hash = Bytes32.of(text(root, "block_hash"));
            Bytes32 parent = root.hasNonNull("parent_hash") ? Bytes32.of(root.get("parent_hash").asText()) : null;
            if ((type == StreamMessage.Type.BLOCK || type == StreamMessage.Type.REVERT) && parent == null) {
                throw new IllegalArgumentException("parent_hash: missing on a " + type.wireName());
            }
            List<PoolChange> pools = new ArrayList<>();
            for (JsonNode p : array(root, "pools")) {
                pools.add(change(p));
            }
            List<PoolId> removed = new ArrayList<>();
            if (root.has("removed")) {
                for (JsonNode r : array(root, "removed")) {
                    removed.add(PoolId.parse(r.asText()));
                }
            }
            String reason = root.hasNonNull("reason") ? root.get("reason").asText() : null;
            return new StreamMessage(type, seq, block, hash, parent, pools, removed, reason);
        } catch (IllegalArgumentException | WhitelistFormatException e) {
            throw new StreamFormatException(e.getMessage(), e);
        }
    }

    private static PoolChange change(JsonNode p) throws WhitelistFormatException {
        PoolId id = PoolId.parse(text(p, "id"));
        List<PoolChange.TickChange> ticks = new ArrayList<>();
        if (p.has("ticks")) {
            for (JsonNode t : array(p, "ticks")) {
                if (!t.isArray() || t.size() != 3 || !t.get(0).isInt()) {
                    throw new IllegalArgumentException("ticks: each is [tick, liquidity_gross, liquidity_net]: pool=" + id + " value=" + t);
                }
                ticks.add(new PoolChange.TickChange(t.get(0).asInt(), big(t.get(1), "liquidity_gross"), big(t.get(2), "liquidity_net")));
            }
        }
        boolean v2 = p.has("reserve0");
        if (p.has("pool")) {
            var d = WhitelistCodec.readPool(p.get("pool"));
            if (!d.id().equals(id)) {
                throw new IllegalArgumentException("pool: metadata of " + d.id() + " under id=" + id);
            }
            if (v2) {
                return new PoolChange.Full(new PoolSnapshot.V2(d, big(p.get("reserve0"), "reserve0"), big(p.get("reserve1"), "reserve1")));
            }
            java.util.TreeMap<Integer, TickInfo> all = new java.util.TreeMap<>();
            ticks.forEach(t -> all.put(t.tick(), new TickInfo(t.liquidityGross(), t.liquidityNet())));
            return new PoolChange.Full(new PoolSnapshot.Concentrated(d, big(p.get("sqrt_price_x96"), "sqrt_price_x96"), integer(p, "tick"),
                    big(p.get("liquidity"), "liquidity"), integer(p, "fee"), integer(p, "protocol_fee"), all));
        }
        if (v2) {
            return new PoolChange.V2Delta(id, big(p.get("reserve0"), "reserve0"), big(p.get("reserve1"), "reserve1"));
        }
        return new PoolChange.ConcentratedDelta(id, big(p.get("sqrt_price_x96"), "sqrt_price_x96"), integer(p, "tick"), big(p.get("liquidity"), "liquidity"),
                integer(p, "fee"), integer(p, "protocol_fee"), ticks);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(field + ": missing or not a string");
        }
        return v.asText();
    }

    private static long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException(field + ": missing or not an integer");
        }
        return v.asLong();
    }

    private static int integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isInt()) {
            throw new IllegalArgumentException(field + ": missing or not a 32-bit integer: pool=" + n.path("id").asText());
        }
        return v.asInt();
    }

    private static BigInteger big(JsonNode v, String field) {
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(field + ": missing or not a decimal string");
        }
        try {
            return new BigInteger(v.asText());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": not a decimal integer: value=" + v.asText());
        }
    }

    private static JsonNode array(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isArray()) {
            throw new IllegalArgumentException(field + ": missing or not an array");
        }
        return v;
    }
}
