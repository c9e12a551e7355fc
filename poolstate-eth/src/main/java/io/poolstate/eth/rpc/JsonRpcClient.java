package io.poolstate.eth.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC 2.0 over any {@link RpcTransport}: single calls, batches, subscriptions, time-outs and retries
 * with exponential backoff for transient failures. Errors are typed ({@link RpcException}) and name the
 * method, the endpoint and the reason. Safe for concurrent callers.
 */
public final class JsonRpcClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JsonRpcClient.class);

    private final RpcTransport transport;
    private final ObjectMapper mapper;
    private final RetryPolicy retry;
    private final AtomicLong ids = new AtomicLong(1);
    private final AtomicLong callsSent = new AtomicLong();
    private final AtomicLong requestsSent = new AtomicLong();

    public JsonRpcClient(RpcTransport transport, ObjectMapper mapper, RetryPolicy retry) {
        this.transport = transport;
        this.mapper = mapper;
        this.retry = retry;
    }

    /** Connects (lazily) to {@code url} with the default retry policy. */
    public static JsonRpcClient open(String url) {
        return open(RpcEndpoint.parse(url), RetryPolicy.DEFAULT);
    }

    public static JsonRpcClient open(RpcEndpoint endpoint, RetryPolicy retry) {
        ObjectMapper mapper = new ObjectMapper();
        return new JsonRpcClient(RpcTransport.open(endpoint, mapper), mapper, retry);
    }

    /**
     * What this client has sent since it was opened: JSON-RPC calls (each call of a batch counts, retries count)
     * and transport requests (HTTP requests, or messages on a WebSocket/IPC connection; a batch is one).
     */
    public record Traffic(long calls, long requests) {
        /** The traffic since {@code earlier}. */
        public Traffic minus(Traffic earlier) {
            return new Traffic(calls - earlier.calls, requests - earlier.requests);
        }
    }

    /** The calls and requests sent so far. */
    public Traffic traffic() {
        return new Traffic(callsSent.get(), requestsSent.get());
    }

    /** One call to the node in a batch. */
    public record Call(String method, List<?> params) {
    }

    /** The outcome of one call of a batch: a result, or the node's error for it. */
    public sealed interface Outcome permits Success, Failure {
    }

    public record Success(JsonNode result) implements Outcome {
    }

    public record Failure(RpcErrorResponseException error) implements Outcome {
    }

    /** Calls {@code method} with positional params and returns its {@code result} (may be JSON null). */
    public JsonNode call(String method, Object... params) {
        return call(retry, method, List.of(params));
    }

    /** Calls with an explicit retry policy (e.g. no retries for a transaction submission). */
    public JsonNode call(RetryPolicy policy, String method, List<?> params) {
        RpcException last = null;
        for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
            if (attempt > 1) {
                pause(policy, attempt, method, last);
            }
            try {
                callsSent.incrementAndGet();
                requestsSent.incrementAndGet();
                JsonNode answer = transport.exchange(method, request(method, params), policy.timeout());
                return resultOf(method, answer);
            } catch (RpcException e) {
                last = e;
                if (!e.isTransient()) {
                    throw e;
                }
            }
        }
        throw last;
    }

    /**
     * Sends the calls as one JSON-RPC batch and returns one outcome per call, in order. The whole batch is
     * retried while the transport fails or any answer is a transient error.
     */
    public List<Outcome> batch(List<Call> calls) {
        if (calls.isEmpty()) {
            return List.of();
        }
        RpcException last = null;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            if (attempt > 1) {
                pause(retry, attempt, "batch", last);
            }
            try {
                List<Outcome> outcomes = exchangeBatch(calls);
                RpcErrorResponseException transientError = outcomes.stream()
                        .filter(o -> o instanceof Failure f && f.error().isTransient())
                        .map(o -> ((Failure) o).error()).findFirst().orElse(null);
                if (transientError == null || attempt == retry.maxAttempts()) {
                    return outcomes;
                }
                last = transientError;
            } catch (RpcException e) {
                last = e;
                if (!e.isTransient()) {
                    throw e;
                }
            }
        }
        throw last;
    }

    /** Like {@link #batch} but every call must succeed; the first failure is thrown with its index. */
    public List<JsonNode> batchResults(List<Call> calls) {
        List<Outcome> outcomes = batch(calls);
        List<JsonNode> results = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            switch (outcomes.get(i)) {
                case Success s -> results.add(s.result());
                case Failure f -> throw new RpcErrorResponseException(calls.get(i).method() + "[batch index " + i + "]",
                        transport.endpoint().redacted(), f.error().code(), f.error().nodeMessage(), f.error().data());
            }
        }
        return results;
    }

    /**
     * Subscribes ({@code eth_subscribe}) on a WebSocket or IPC endpoint. Notifications go to
     * {@code onNotification} on the transport's reader thread; when the connection drops, {@code onEnd} is
     * called once and the subscription is over.
     *
     * @throws UnsupportedOperationException on HTTP endpoints (poll instead)
     */
    public Subscription subscribe(List<?> params, Consumer<JsonNode> onNotification, Consumer<RpcException> onEnd) {
        if (!(transport instanceof DuplexTransport duplex)) {
            throw new UnsupportedOperationException("eth_subscribe needs a ws:// or ipc:// endpoint: endpoint=" + transport.endpoint());
        }
        String id = call(retry, "eth_subscribe", params).asText();
        duplex.register(id, new DuplexTransport.Subscriber(onNotification, onEnd));
        return new Subscription(id, () -> {
            duplex.unregister(id);
            try {
                call(RetryPolicy.NONE, "eth_unsubscribe", List.of(id));
            } catch (RpcException e) {
                LOG.debug("eth_unsubscribe failed: subscription={} reason={}", id, e.getMessage());
            }
        });
    }

    /** An active subscription; {@link #close()} ends it. */
    public record Subscription(String id, Runnable closer) implements AutoCloseable {
        @Override
        public void close() {
            closer.run();
        }
    }

    public RpcEndpoint endpoint() {
        return transport.endpoint();
    }

    public boolean supportsSubscriptions() {
        return transport.supportsSubscriptions();
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    @Override
    public void close() {
        transport.close();
    }

    private List<Outcome> exchangeBatch(List<Call> calls) {
        ArrayNode payload = mapper.createArrayNode();
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < calls.size(); i++) {
            ObjectNode r = request(calls.get(i).method(), calls.get(i).params());
            index.put(r.get("id").asLong(), i);
            payload.add(r);
        }
        callsSent.addAndGet(calls.size());
        requestsSent.incrementAndGet();
        JsonNode answer = transport.exchange("batch", payload, retry.timeout());
        if (!answer.isArray()) {
            // some nodes answer a whole batch with a single error object
            JsonNode error = answer.get("error");
            if (error != null) {
                throw errorOf("batch", error);
            }
            throw new RpcResponseFormatException("batch", "batch answer is not an array: endpoint=" + transport.endpoint(), null);
        }
        Outcome[] out = new Outcome[calls.size()];
        for (JsonNode r : answer) {
            Integer i = index.get(r.path("id").asLong(-1));
            if (i == null) {
                throw new RpcResponseFormatException("batch", "batch answer with unknown id: endpoint=" + transport.endpoint() + " id=" + r.path("id"), null);
            }
            JsonNode error = r.get("error");
            out[i] = error != null && !error.isNull() ? new Failure(errorOf(calls.get(i).method(), error)) : new Success(r.path("result"));
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                throw new RpcResponseFormatException("batch", "batch answer misses call: endpoint=" + transport.endpoint() + " method=" + calls.get(i).method() + " index=" + i, null);
            }
        }
        return List.of(out);
    }

    private ObjectNode request(String method, List<?> params) {
        ObjectNode r = mapper.createObjectNode();
        r.put("jsonrpc", "2.0");
        r.put("id", ids.getAndIncrement());
        r.put("method", method);
        r.set("params", mapper.valueToTree(params));
        return r;
    }

    private JsonNode resultOf(String method, JsonNode answer) {
        JsonNode error = answer.get("error");
        if (error != null && !error.isNull()) {
            throw errorOf(method, error);
        }
        if (!answer.has("result")) {
            throw new RpcResponseFormatException(method, method + " answer has neither result nor error: endpoint=" + transport.endpoint(), null);
        }
        return answer.get("result");
    }

    private RpcErrorResponseException errorOf(String method, JsonNode error) {
        JsonNode data = error.get("data");
        return new RpcErrorResponseException(method, transport.endpoint().redacted(), error.path("code").asInt(),
                error.path("message").asText(), data == null || data.isNull() ? null : data.isTextual() ? data.asText() : data.toString());
    }

    private void pause(RetryPolicy policy, int attempt, String method, RpcException last) {
        java.time.Duration d = policy.backoffBefore(attempt);
        LOG.debug("retrying {} attempt={}/{} after={}ms reason={}", method, attempt, policy.maxAttempts(), d.toMillis(),
                last == null ? "" : last.getMessage());
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcTransportException(method, method + " interrupted while backing off: endpoint=" + transport.endpoint(), false, e);
        }
    }
}
