package io.poolstate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault {@link RpcFaultProxy} applies to the JSON-RPC requests it forwards. A fault {@link #targets} some
 * requests (usually by method); for each, it may act before forwarding ({@link #before}: answer in the node's
 * place, or delay) and on the node's successful answer ({@link #rewrite}: change the result). The proxy counts,
 * under the fault's {@link #name()}, each request the fault acted on, so a test can check the fault happened.
 *
 * <p>Randomness comes from the {@link Random} the proxy passes (seeded from the proxy's seed), so a run repeats
 * with the same seed. Called from the proxy's request threads concurrently: implementations keep their state
 * thread-safe.
 */
public interface RpcFault {
    /** The counter name; the built-in faults' names say what they do ({@code eth_getLogs shuffled}). */
    String name();

    /** Whether this fault considers {@code call} at all. */
    boolean targets(RpcCall call);

    /** Before forwarding: {@link Before#FORWARD} (nothing), a delay, or an answer in the node's place. */
    default Before before(RpcCall call, Random random) {
        return Before.FORWARD;
    }

    /** On a successful answer: the result the client gets instead of {@code result}, or null to leave it. */
    default JsonNode rewrite(RpcCall call, JsonNode result, Random random) {
        return null;
    }

    /** What a fault does before forwarding. */
    sealed interface Before {
        /** Forward the request unchanged, at once. */
        Before FORWARD = new Forward();

        /** A JSON-RPC error answered in the node's place; the request is not forwarded. */
        static Before error(int code, String message) {
            return new Answer(JsonNodeFactory.instance.objectNode().set("error",
                    JsonNodeFactory.instance.objectNode().put("code", code).put("message", message)));
        }

        /** A result answered in the node's place; the request is not forwarded. */
        static Before result(JsonNode result) {
            return new Answer(JsonNodeFactory.instance.objectNode().set("result", result));
        }

        record Forward() implements Before {
        }

        /** Forward after {@code delay} (a batch waits for the longest delay of its requests). */
        record Delay(Duration delay) implements Before {
        }

        /** {@code body} holds {@code result} or {@code error}; the proxy adds {@code jsonrpc} and {@code id}. */
        record Answer(ObjectNode body) implements Before {
        }
    }

    /** This fault, acting on at most {@code n} requests; after that it lets everything through. */
    default RpcFault times(int n) {
        return new Limited(this, new AtomicInteger(n));
    }

    /** This fault, acting on each request it targets with probability {@code p} (drawn from the seeded random). */
    default RpcFault withProbability(double p) {
        return new Sometimes(this, p);
    }

    /** {@code eth_getLogs} answers in a random order (never the node's order; answers with fewer than two different logs are left). */
    static RpcFault shuffledLogs() {
        return new ShuffledLogs();
    }

    /** {@code eth_getLogs} answers with {@code perAnswer} of their logs (chosen at random) repeated right after themselves. */
    static RpcFault duplicatedLogs(int perAnswer) {
        return new DuplicatedLogs(perAnswer);
    }

    /**
     * {@code eth_getLogs}: the first answer holding logs of a block hash lacks up to {@code perBlock} of that block's
     * logs (chosen at random); later answers for that hash are whole — a node that answered before it had indexed
     * the block.
     */
    static RpcFault droppedLogsFirstAnswer(int perBlock) {
        return new DroppedLogs(perBlock, 0, ConcurrentHashMap.newKeySet());
    }

    /** {@code eth_getLogs}: each log is left out with probability {@code p}. */
    static RpcFault droppedLogs(double p) {
        return new DroppedLogs(0, p, null);
    }

    /** {@code eth_getBlockByHash} and {@code eth_getBlockByNumber} answers without their {@code logsBloom} field. */
    static RpcFault withoutLogsBloom() {
        return new WithoutLogsBloom();
    }

    /** {@code method} answered with JSON-RPC error {@code code} and {@code message}, not forwarded. */
    static RpcFault error(String method, int code, String message) {
        return new ErrorAnswer(method, code, message);
    }

    /** {@code method} forwarded after {@code delay}. */
    static RpcFault delayed(String method, Duration delay) {
        return new Delayed(method, delay);
    }

    record ShuffledLogs() implements RpcFault {
        @Override
        public String name() {
            return "eth_getLogs shuffled";
        }

        @Override
        public boolean targets(RpcCall call) {
            return call.method().equals("eth_getLogs");
        }

        @Override
        public JsonNode rewrite(RpcCall call, JsonNode result, Random random) {
            List<JsonNode> logs = list(result);
            if (logs == null || new HashSet<>(logs).size() < 2) {
                return null;
            }
            List<JsonNode> shuffled = new ArrayList<>(logs);
            do {
                Collections.shuffle(shuffled, random);
            } while (shuffled.equals(logs));
            return array(shuffled);
        }
    }

    record DuplicatedLogs(int perAnswer) implements RpcFault {
        @Override
        public String name() {
            return "eth_getLogs duplicated";
        }

        @Override
        public boolean targets(RpcCall call) {
            return call.method().equals("eth_getLogs");
        }

        @Override
        public JsonNode rewrite(RpcCall call, JsonNode result, Random random) {
            List<JsonNode> logs = list(result);
            if (logs == null || logs.isEmpty() || perAnswer <= 0) {
                return null;
            }
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < logs.size(); i++) {
                positions.add(i);
            }
            Collections.shuffle(positions, random);
            Set<Integer> repeat = new HashSet<>(positions.subList(0, Math.min(perAnswer, positions.size())));
            List<JsonNode> out = new ArrayList<>();
            for (int i = 0; i < logs.size(); i++) {
                out.add(logs.get(i));
                if (repeat.contains(i)) {
                    out.add(logs.get(i).deepCopy());
                }
            }
            return array(out);
        }
    }

    /** Drops up to {@code perBlock} logs from the first answer naming each block hash, or each log with probability {@code p}. */
    record DroppedLogs(int perBlock, double p, Set<String> seenBlocks) implements RpcFault {
        @Override
        public String name() {
            return seenBlocks != null ? "eth_getLogs dropped (first answer per block)" : "eth_getLogs dropped";
        }

        @Override
        public boolean targets(RpcCall call) {
            return call.method().equals("eth_getLogs");
        }

        @Override
        public JsonNode rewrite(RpcCall call, JsonNode result, Random random) {
            List<JsonNode> logs = list(result);
            if (logs == null || logs.isEmpty()) {
                return null;
            }
            Set<Integer> drop = new HashSet<>();
            if (seenBlocks == null) {
                for (int i = 0; i < logs.size(); i++) {
                    if (random.nextDouble() < p) {
                        drop.add(i);
                    }
                }
            } else {
                Map<String, List<Integer>> byBlock = new LinkedHashMap<>();
                for (int i = 0; i < logs.size(); i++) {
                    byBlock.computeIfAbsent(logs.get(i).path("blockHash").asText(), k -> new ArrayList<>()).add(i);
                }
                byBlock.forEach((hash, positions) -> {
                    if (seenBlocks.add(hash)) {
                        List<Integer> p = new ArrayList<>(positions);
                        Collections.shuffle(p, random);
                        drop.addAll(p.subList(0, Math.min(perBlock, p.size())));
                    }
                });
            }
            if (drop.isEmpty()) {
                return null;
            }
            List<JsonNode> out = new ArrayList<>();
            for (int i = 0; i < logs.size(); i++) {
                if (!drop.contains(i)) {
                    out.add(logs.get(i));
                }
            }
            return array(out);
        }
    }

    record WithoutLogsBloom() implements RpcFault {
        @Override
        public String name() {
            return "logsBloom removed";
        }

        @Override
        public boolean targets(RpcCall call) {
            return call.method().equals("eth_getBlockByHash") || call.method().equals("eth_getBlockByNumber");
        }

        @Override
        public JsonNode rewrite(RpcCall call, JsonNode result, Random random) {
            if (!result.isObject() || !result.has("logsBloom")) {
                return null;
            }
            ObjectNode copy = ((ObjectNode) result).deepCopy();
            copy.remove("logsBloom");
            return copy;
        }
    }

    record ErrorAnswer(String method, int code, String message) implements RpcFault {
        @Override
        public String name() {
            return method + " error " + code;
        }

        @Override
        public boolean targets(RpcCall call) {
            return call.method().equals(method);
        }

        @Override
        public Before before(RpcCall call, Random random) {
            return Before.error(code, message);
        }
    }

    record Delayed(String method, Duration delay) implements RpcFault {
        @Override
        public String name() {
            return method + " delayed " + delay.toMillis() + " ms";
        }

        @Override
        public boolean targets(RpcCall call) {
            return call.method().equals(method);
        }

        @Override
        public Before before(RpcCall call, Random random) {
            return new Before.Delay(delay);
        }
    }

    /** {@code inner}, acting at most {@code remaining} more times (each phase that acts uses one). */
    record Limited(RpcFault inner, AtomicInteger remaining) implements RpcFault {
        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public boolean targets(RpcCall call) {
            return remaining.get() > 0 && inner.targets(call);
        }

        @Override
        public Before before(RpcCall call, Random random) {
            Before b = inner.before(call, random);
            return b instanceof Before.Forward || remaining.decrementAndGet() >= 0 ? b : Before.FORWARD;
        }

        @Override
        public JsonNode rewrite(RpcCall call, JsonNode result, Random random) {
            JsonNode r = inner.rewrite(call, result, random);
            return r == null || remaining.decrementAndGet() >= 0 ? r : null;
        }
    }

    /** {@code inner}, considered for each request it targets with probability {@code p}. */
    record Sometimes(RpcFault inner, double p) implements RpcFault {
        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public boolean targets(RpcCall call) {
            return inner.targets(call);
        }

        @Override
        public Before before(RpcCall call, Random random) {
            return random.nextDouble() < p ? inner.before(call, random) : Before.FORWARD;
        }

        @Override
        public JsonNode rewrite(RpcCall call, JsonNode result, Random random) {
            return random.nextDouble() < p ? inner.rewrite(call, result, random) : null;
        }
    }

    private static List<JsonNode> list(JsonNode result) {
        if (!result.isArray()) {
            return null;
        }
        List<JsonNode> out = new ArrayList<>(result.size());
        result.forEach(out::add);
        return out;
    }

    private static ArrayNode array(List<JsonNode> nodes) {
        return JsonNodeFactory.instance.arrayNode().addAll(nodes);
    }
}
