package io.poolstate.eth.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A connection on which the node answers by request id and also pushes subscription notifications
 * (WebSocket, IPC). The connection is opened on first use and again after it drops; a drop fails every
 * pending call and ends every subscription (its owner is told and re-subscribes).
 *
 * <p>Threads: any caller thread sends; one reader thread per connection (owned by the subclass) delivers
 * answers via {@link #onMessage(JsonNode)} and notifications to the subscription's consumer on that thread.
 */
public abstract sealed class DuplexTransport implements RpcTransport permits WebSocketTransport, IpcTransport {
    private static final int MAX_EARLY_NOTIFICATIONS = 4096;

    protected final RpcEndpoint endpoint;
    protected final ObjectMapper mapper;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
    private final Map<String, List<JsonNode>> early = new ConcurrentHashMap<>();
    private final Object connectLock = new Object();
    private volatile boolean connected;
    private volatile boolean closed;

    /** A subscription's receiver: notifications in order, then at most one {@code onEnd}. */
    public record Subscriber(Consumer<JsonNode> onNotification, Consumer<RpcException> onEnd) {
    }

    protected DuplexTransport(RpcEndpoint endpoint, ObjectMapper mapper) {
        this.endpoint = endpoint;
        this.mapper = mapper;
    }

    /** Opens the underlying connection and starts its reader. */
    protected abstract void connect(Duration timeout) throws Exception;

    /** Writes one complete JSON text. */
    protected abstract void sendText(String text, Duration timeout) throws Exception;

    /** Closes the underlying connection without reporting. */
    protected abstract void disconnect();

    @Override
    public JsonNode exchange(String method, JsonNode payload, Duration timeout) {
        ensureConnected(method, timeout);
        List<Long> ids = new ArrayList<>();
        if (payload.isArray()) {
            payload.forEach(r -> ids.add(r.get("id").asLong()));
        } else {
            ids.add(payload.get("id").asLong());
        }
        List<CompletableFuture<JsonNode>> futures = new ArrayList<>(ids.size());
        for (Long id : ids) {
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            pending.put(id, f);
            futures.add(f);
        }
        try {
            sendText(mapper.writeValueAsString(payload), timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            if (!payload.isArray()) {
                return futures.get(0).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            ArrayNode out = mapper.createArrayNode();
            for (CompletableFuture<JsonNode> f : futures) {
                out.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return out;
        } catch (TimeoutException e) {
            throw new RpcTimeoutException(method, method + " timed out: endpoint=" + endpoint + " timeout=" + timeout.toMillis() + "ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RpcException re) {
                throw re;
            }
            throw new RpcTransportException(method, method + " failed: endpoint=" + endpoint + " reason=" + endpoint.scrub(HttpTransport.describe(e.getCause())), true, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcTransportException(method, method + " interrupted: endpoint=" + endpoint, false, e);
        } catch (RpcException e) {
            throw e;
        } catch (Exception e) {
            connectionLost(e);
            throw new RpcTransportException(method, method + " failed: endpoint=" + endpoint + " reason=" + endpoint.scrub(HttpTransport.describe(e)), true, e);
        } finally {
            ids.forEach(pending::remove);
        }
    }

    /** Routes notifications for {@code subscriptionId} to {@code subscriber}, including any that came early. */
    public void register(String subscriptionId, Subscriber subscriber) {
        subscribers.put(subscriptionId, subscriber);
        List<JsonNode> waiting = early.remove(subscriptionId);
        if (waiting != null) {
            synchronized (waiting) {
                waiting.forEach(subscriber.onNotification());
            }
        }
    }

    public void unregister(String subscriptionId) {
        subscribers.remove(subscriptionId);
        early.remove(subscriptionId);
    }

    @Override
    public RpcEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public boolean supportsSubscriptions() {
        return true;
    }

    @Override
    public void close() {
        closed = true;
        disconnect();
        connectionLost(new IllegalStateException("transport closed"));
    }

    /** Called by the reader for every JSON value the node sends. */
    protected final void onMessage(JsonNode message) {
        if (message.isArray()) {
            message.forEach(this::onMessage);
            return;
        }
        JsonNode id = message.get("id");
        if (id != null && !id.isNull()) {
            CompletableFuture<JsonNode> f = pending.get(id.asLong());
            if (f != null) {
                f.complete(message);
            }
            return;
        }
        if ("eth_subscription".equals(message.path("method").asText())) {
            JsonNode params = message.path("params");
            String sub = params.path("subscription").asText();
            Subscriber s = subscribers.get(sub);
            if (s != null) {
                s.onNotification().accept(params.path("result"));
            } else {
                List<JsonNode> list = early.computeIfAbsent(sub, k -> new ArrayList<>());
                synchronized (list) {
                    if (list.size() < MAX_EARLY_NOTIFICATIONS) {
                        list.add(params.path("result"));
                    }
                }
            }
        }
    }

    /** Called by the reader when the connection ends: fails pending calls, ends subscriptions. */
    protected final void connectionLost(Throwable cause) {
        connected = false;
        RpcTransportException e = new RpcTransportException("connection", "connection lost: endpoint=" + endpoint
                + " reason=" + HttpTransport.describe(cause), !closed, cause);
        pending.values().forEach(f -> f.completeExceptionally(e));
        List<Subscriber> ended = new ArrayList<>(subscribers.values());
        subscribers.clear();
        early.clear();
        ended.forEach(s -> s.onEnd().accept(e));
    }

    private void ensureConnected(String method, Duration timeout) {
        if (connected) {
            return;
        }
        synchronized (connectLock) {
            if (connected) {
                return;
            }
            if (closed) {
                throw new RpcTransportException(method, method + " on a closed transport: endpoint=" + endpoint, false, null);
            }
            try {
                connect(timeout);
                connected = true;
            } catch (Exception e) {
                disconnect();
                throw new RpcTransportException(method, method + " could not connect: endpoint=" + endpoint + " reason=" + endpoint.scrub(HttpTransport.describe(rootCause(e))), true, e);
            }
        }
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
