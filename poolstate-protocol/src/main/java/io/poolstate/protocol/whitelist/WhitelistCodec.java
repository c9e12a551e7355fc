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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for whitelist messages (spec section 1 and the README's wire format). Writes the current format: compact
 * (no whitespace), snake_case, lowercase hex, protocol {@code uniswap_vN}; a list too large for one message is
 * written as numbered parts ({@link #writeParts}). Two readers:
 *
 * <ul>
 *   <li>{@link #readMessage} for NATS: strict. Only an envelope object with a snapshot id (and, for a diff, the
 *       snapshot it follows), each pool id once, pool metadata that describes a pool that can exist
 *       ({@link PoolDescriptor#problem()}), never ids and objects mixed. Every refusal says which field and
 *       value, as {@code key=value}.</li>
 *   <li>{@link #read} for files ({@code --pools FILE}, the devnet's pools.json): lenient about history — a bare
 *       list of pools, no {@code type}, no snapshot id, the older spellings ({@code address} for {@code id},
 *       protocol {@code V2}/{@code UniswapV3}, a token as a bare address).</li>
 * </ul>
 *
 * Stateless; safe from any thread.
 */
public final class WhitelistCodec {
    /** Payloads above this size are rejected unread (files). */
    public static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
    /** Largest snapshot id a NATS message may carry: 2^53 - 1, exact in every JSON reader. */
    public static final long MAX_SNAPSHOT_ID = (1L << 53) - 1;
    /** Most parts one update may be split into. */
    public static final int MAX_PARTS = 10_000;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private WhitelistCodec() {
    }

    /** What a NATS reader expects: the subject's chain (null for any), its format, and the largest payload. */
    public record Expect(String chain, WhitelistFormat format, int maxBytes) {
        public Expect {
            if (format == null || maxBytes <= 0) {
                throw new IllegalArgumentException("expect needs a format and a positive size: format=" + format + " maxBytes=" + maxBytes);
            }
        }

        /** What a subject {@code whitelist.pools.<chain>.minimal|full} carries. */
        public static Expect forSubject(String subject, int maxBytes) {
            WhitelistSubjects s = WhitelistSubjects.ofSubject(subject);
            WhitelistFormat f = WhitelistFormat.ofSubject(subject);
            if (s == null || f == null) {
                throw new IllegalArgumentException("not a whitelist subject: subject=" + subject + " (expected whitelist.pools.<chain>.minimal or .full)");
            }
            return new Expect(s.chain(), f, maxBytes);
        }
    }

    /** The full format, compact: pools as objects (for {@code .full}). */
    public static byte[] writeFull(WhitelistMessage m) {
        return write(m, WhitelistFormat.FULL);
    }

    /** The minimal format, compact: pools as id strings (for {@code .minimal}). */
    public static byte[] writeMinimal(WhitelistMessage m) {
        return write(m, WhitelistFormat.MINIMAL);
    }

    /** One message in either format, compact. */
    public static byte[] write(WhitelistMessage m, WhitelistFormat format) {
        return bytes(message(m, format, 0, 0), false);
    }

    /** The full format, indented for people (files such as the devnet's pools.json); the file reader reads it. */
    public static byte[] writeReadable(WhitelistMessage m) {
        return bytes(message(m, WhitelistFormat.FULL, 0, 0), true);
    }

    /**
     * The update as NATS messages of at most {@code maxBytes} each: one message when it fits (no part fields),
     * else numbered parts ({@code "part": i, "parts": n}) that split {@code pools} / {@code pool_ids} in order, every
     * other envelope field repeated.
     *
     * @throws IllegalArgumentException when one pool alone does not fit, or more than {@link #MAX_PARTS} parts
     *     would be needed (both name the sizes)
     */
    public static List<byte[]> writeParts(WhitelistMessage m, WhitelistFormat format, int maxBytes) {
        // each element is written once; a message is its envelope's prefix, elements joined by commas, and "]}" —
        // byte for byte what writing the whole tree gives
        List<JsonNode> elements = elements(m, format);
        byte[][] written = new byte[elements.size()][];
        long total = 0;
        for (int i = 0; i < written.length; i++) {
            written[i] = bytes(elements.get(i), false);
            total += written[i].length + (i > 0 ? 1 : 0);
        }
        byte[] wholePrefix = prefix(m, format, 0, 0);
        if (wholePrefix.length + total + 2 <= maxBytes) {
            return List.of(join(wholePrefix, written, 0, written.length));
        }
        int overhead = prefix(m, format, MAX_PARTS, MAX_PARTS).length + 2;
        long budget = (long) maxBytes - overhead;
        List<int[]> ranges = new ArrayList<>();
        int from = 0;
        long used = 0;
        for (int i = 0; i < written.length; i++) {
            int add = written[i].length + (i > from ? 1 : 0);
            if (used + add > budget) {
                if (i == from) {
                    throw new IllegalArgumentException("one pool does not fit in a message: pool=" + m.poolIds().get(i) + " bytes=" + (overhead + written[i].length)
                            + " max=" + maxBytes);
                }
                ranges.add(new int[] {from, i});
                from = i;
                used = 0;
                add = written[i].length;
            }
            used += add;
        }
        ranges.add(new int[] {from, written.length});
        if (ranges.size() > MAX_PARTS) {
            throw new IllegalArgumentException("update needs too many parts: parts=" + ranges.size() + " max=" + MAX_PARTS + " bytes=" + (wholePrefix.length + total + 2)
                    + " max_message_bytes=" + maxBytes);
        }
        List<byte[]> out = new ArrayList<>(ranges.size());
        for (int p = 0; p < ranges.size(); p++) {
            byte[] b = join(prefix(m, format, p + 1, ranges.size()), written, ranges.get(p)[0], ranges.get(p)[1]);
            if (b.length > maxBytes) {
                throw new IllegalStateException("part larger than planned: part=" + (p + 1) + " bytes=" + b.length + " max=" + maxBytes);
            }
            out.add(b);
        }
        return out;
    }

    /** The envelope up to and including the list's opening bracket. */
    private static byte[] prefix(WhitelistMessage m, WhitelistFormat format, int part, int parts) {
        byte[] empty = bytes(envelopeWithList(m, format, part, parts, List.of()), false);
        return java.util.Arrays.copyOf(empty, empty.length - 2); // drop "]}"
    }

    private static byte[] join(byte[] prefix, byte[][] elements, int from, int to) {
        int size = prefix.length + 2 + Math.max(0, to - from - 1);
        for (int i = from; i < to; i++) {
            size += elements[i].length;
        }
        byte[] out = new byte[size];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        int at = prefix.length;
        for (int i = from; i < to; i++) {
            if (i > from) {
                out[at++] = ',';
            }
            System.arraycopy(elements[i], 0, out, at, elements[i].length);
            at += elements[i].length;
        }
        out[at++] = ']';
        out[at] = '}';
        return out;
    }

    /**
     * Reads one NATS message strictly (see the class comment).
     *
     * @throws WhitelistFormatException with the reason as {@code key=value}: the field, its value, what is wrong
     */
    public static WhitelistPart readMessage(byte[] json, Expect expect) throws WhitelistFormatException {
        if (json.length > expect.maxBytes()) {
            throw new WhitelistFormatException("bytes=" + json.length + ": larger than max=" + expect.maxBytes(), null);
        }
        JsonNode root = parse(json);
        if (root.isArray()) {
            throw new WhitelistFormatException("envelope=list: a NATS whitelist message is an object with type and snapshot_id, not a bare list of pools", null);
        }
        if (!root.isObject()) {
            throw new WhitelistFormatException("envelope=" + root.getNodeType() + ": a NATS whitelist message is an object", null);
        }
        try {
            return strict(root, expect);
        } catch (IllegalArgumentException e) {
            throw new WhitelistFormatException(e.getMessage(), e);
        }
    }

    /**
     * Reads a file's message in either format, leniently (see the class comment).
     *
     * @throws WhitelistFormatException naming the field and the reason: not JSON, too large, a wrong type,
     *     a bad address, an unknown protocol
     */
    public static WhitelistMessage read(byte[] json, int maxBytes) throws WhitelistFormatException {
        if (json.length > maxBytes) {
            throw new WhitelistFormatException("whitelist message too large: bytes=" + json.length + " max=" + maxBytes, null);
        }
        JsonNode root = parse(json);
        try {
            return root.isArray() ? bare(root) : lenient(root);
        } catch (IllegalArgumentException e) {
            throw new WhitelistFormatException("invalid whitelist message: " + e.getMessage(), e);
        }
    }

    public static WhitelistMessage read(byte[] json) throws WhitelistFormatException {
        return read(json, DEFAULT_MAX_BYTES);
    }

    /** One pool object of the full format (for files that embed pools, e.g. arena checkpoints and stored snapshots). */
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

    private static JsonNode parse(byte[] json) throws WhitelistFormatException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new WhitelistFormatException("json=invalid: not JSON (" + why + ")", e);
        }
        if (root == null || root.isMissingNode()) {
            throw new WhitelistFormatException("json=empty: the message is empty", null);
        }
        return root;
    }

    // ---- strict (NATS) ----

    private static WhitelistPart strict(JsonNode root, Expect expect) {
        UpdateType type = UpdateType.parse(text(root, "type", false));
        long snapshot = snapshotId(root, "snapshot_id", true);
        Long prev = root.has("prev_snapshot_id") && !root.get("prev_snapshot_id").isNull() ? snapshotId(root, "prev_snapshot_id", true) : null;
        if (type != UpdateType.FULL && prev == null) {
            throw new IllegalArgumentException("prev_snapshot_id: missing on a " + type.wireName() + " (snapshot_id=" + snapshot + "); a diff names the snapshot it follows");
        }
        if (prev != null && prev >= snapshot) {
            throw new IllegalArgumentException("prev_snapshot_id=" + prev + ": not below snapshot_id=" + snapshot);
        }
        String chain = text(root, "chain", false);
        if (expect.chain() != null && chain != null && !chain.equals(expect.chain())) {
            throw new IllegalArgumentException("chain=" + chain + ": this subject carries chain=" + expect.chain());
        }
        int[] part = part(root);
        Instant ts = timestamp(root);
        String field = type == UpdateType.REMOVE ? "pool_ids" : "pools";
        JsonNode list = root.get(field);
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException(field + ": " + (list == null ? "missing" : "expected a list, got " + list.getNodeType()) + " (type=" + type.wireName() + ")");
        }
        if (list.isEmpty() && (type != UpdateType.FULL || part[1] > 1)) {
            throw new IllegalArgumentException(field + "=[]: " + (type != UpdateType.FULL ? "a " + type.wireName() + " must name at least one pool" : "a part of a split list is never empty"));
        }
        List<PoolDescriptor> pools = new ArrayList<>();
        List<PoolId> ids = new ArrayList<>();
        Map<PoolId, Integer> seen = new HashMap<>();
        int firstString = -1;
        int firstObject = -1;
        for (int i = 0; i < list.size(); i++) {
            JsonNode p = list.get(i);
            String where = field + "[" + i + "]";
            PoolId id;
            if (p.isTextual()) {
                firstString = firstString < 0 ? i : firstString;
                if (expect.format() == WhitelistFormat.FULL && type != UpdateType.REMOVE) {
                    throw new IllegalArgumentException(where + "=" + clip(p.asText()) + ": an id where pool metadata is expected (format=full)");
                }
                id = at(where, () -> PoolId.parse(p.asText()));
            } else if (p.isObject()) {
                firstObject = firstObject < 0 ? i : firstObject;
                if (type == UpdateType.REMOVE) {
                    throw new IllegalArgumentException(where + ": a remove lists pool ids, got an object");
                }
                PoolDescriptor d = at(where, () -> descriptor(p));
                String problem = d.problem();
                if (problem != null) {
                    throw new IllegalArgumentException(where + ": id=" + d.id() + ": " + problem);
                }
                pools.add(d);
                id = d.id();
            } else {
                throw new IllegalArgumentException(where + "=" + clip(p.toString()) + ": expected a pool object or an id string, got " + p.getNodeType());
            }
            if (firstString >= 0 && firstObject >= 0) {
                throw new IllegalArgumentException(field + ": mixes pool objects (" + field + "[" + firstObject + "]) and id strings (" + field + "[" + firstString + "])");
            }
            Integer before = seen.putIfAbsent(id, i);
            if (before != null) {
                throw new IllegalArgumentException(where + ": id=" + id + ": listed twice (first at " + field + "[" + before + "])");
            }
            ids.add(id);
        }
        return new WhitelistPart(new WhitelistMessage(type, chain, snapshot, prev, ts, pools, ids), part[0], part[1]);
    }

    private static long snapshotId(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(field + ": missing; a NATS message names its snapshot (epoch milliseconds)");
            }
            return 0;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(field + "=" + clip(v.toString()) + ": not a number");
        }
        if (!v.isIntegralNumber()) {
            throw new IllegalArgumentException(field + "=" + v + ": not an integer");
        }
        if (!v.canConvertToLong() || v.asLong() > MAX_SNAPSHOT_ID) {
            throw new IllegalArgumentException(field + "=" + clip(v.toString()) + ": above " + MAX_SNAPSHOT_ID);
        }
        if (v.asLong() <= 0) {
            throw new IllegalArgumentException(field + "=" + v + ": not positive");
        }
        return v.asLong();
    }

    /** {part, parts}: both present or neither (then 1 of 1). */
    private static int[] part(JsonNode root) {
        boolean hasPart = root.has("part") && !root.get("part").isNull();
        boolean hasParts = root.has("parts") && !root.get("parts").isNull();
        if (!hasPart && !hasParts) {
            return new int[] {1, 1};
        }
        if (hasPart != hasParts) {
            throw new IllegalArgumentException((hasPart ? "parts" : "part") + ": missing; part and parts come together");
        }
        Integer part = integer(root, "part");
        Integer parts = integer(root, "parts");
        if (parts < 1 || parts > MAX_PARTS) {
            throw new IllegalArgumentException("parts=" + parts + ": out of range 1.." + MAX_PARTS);
        }
        if (part < 1 || part > parts) {
            throw new IllegalArgumentException("part=" + part + ": out of range 1..parts=" + parts);
        }
        return new int[] {part, parts};
    }

    // ---- lenient (files) ----

    private static WhitelistMessage bare(JsonNode list) {
        List<PoolDescriptor> pools = new ArrayList<>();
        List<PoolId> ids = new ArrayList<>();
        readPools(list, "pools", pools, ids);
        return new WhitelistMessage(UpdateType.FULL, null, null, null, null, pools, ids);
    }

    private static WhitelistMessage lenient(JsonNode root) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("message must be a JSON object or a list of pools");
        }
        UpdateType type = UpdateType.parse(text(root, "type", false));
        String chain = text(root, "chain", false);
        Long snapshot = number(root, "snapshot_id");
        Long prev = number(root, "prev_snapshot_id");
        Instant ts = timestamp(root);
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

    // ---- shared ----

    private static PoolDescriptor descriptor(JsonNode p) {
        String idText = p.has("id") ? text(p, "id", true) : text(p, "address", true);
        Protocol protocol = Protocol.parse(text(p, "protocol", true));
        Integer fee = integer(p, "fee");
        Integer spacing = integer(p, "tick_spacing");
        String hooks = text(p, "hooks", false);
        String factory = text(p, "factory", false);
        return new PoolDescriptor(PoolId.parse(idText), protocol, token(p.get("token0"), "token0"), token(p.get("token1"), "token1"),
                factory == null ? null : at("factory", () -> Address.of(factory)), fee, spacing, hooks == null ? null : at("hooks", () -> Address.of(hooks)));
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

    private static Instant timestamp(JsonNode root) {
        String t = text(root, "timestamp", false);
        if (t == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(t).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("timestamp=" + clip(t) + ": not ISO-8601");
        }
    }

    private static ObjectNode message(WhitelistMessage m, WhitelistFormat format, int part, int parts) {
        return envelopeWithList(m, format, part, parts, elements(m, format));
    }

    private static ObjectNode envelopeWithList(WhitelistMessage m, WhitelistFormat format, int part, int parts, List<JsonNode> elements) {
        ObjectNode root = envelope(m, part, parts);
        ArrayNode list = root.putArray(m.type() == UpdateType.REMOVE ? "pool_ids" : "pools");
        list.addAll(elements);
        return root;
    }

    /** The list's elements: pool objects (full format, full/add) or id strings. */
    private static List<JsonNode> elements(WhitelistMessage m, WhitelistFormat format) {
        List<JsonNode> out = new ArrayList<>(m.poolIds().size());
        if (format == WhitelistFormat.FULL && m.type() != UpdateType.REMOVE) {
            if (m.pools().size() != m.poolIds().size()) {
                throw new IllegalArgumentException("the full format needs every pool's metadata: pools=" + m.pools().size() + " ids=" + m.poolIds().size()
                        + " snapshot_id=" + m.snapshotId());
            }
            m.pools().forEach(p -> out.add(pool(p)));
        } else {
            m.poolIds().forEach(id -> out.add(MAPPER.getNodeFactory().textNode(id.toString())));
        }
        return out;
    }

    private static ObjectNode envelope(WhitelistMessage m, int part, int parts) {
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
        if (parts > 0) {
            root.put("part", part);
            root.put("parts", parts);
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

    private static byte[] bytes(JsonNode n, boolean pretty) {
        try {
            return pretty ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(n) : MAPPER.writeValueAsBytes(n);
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
            throw new IllegalArgumentException(field + "=" + clip(v.toString()) + ": expected a string, got " + v.getNodeType());
        }
        return v.asText();
    }

    private static Integer integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(field + "=" + clip(v.toString()) + ": expected an integer, got " + v);
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

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    private static <T> T at(String where, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }
}
