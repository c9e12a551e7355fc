package io.poolstate.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP JSON-RPC proxy on a free 127.0.0.1 port in front of a node's HTTP endpoint. It forwards single
 * requests and batches (a batch stays one request to the node) and applies the {@link RpcFault}s added to it:
 * requests answered in the node's place or delayed, results rewritten (logs shuffled, repeated or dropped, blocks
 * without their bloom, ...). {@link #freeze()} holds every request (and every answer not yet sent) until
 * {@link #thaw()}, like a node that hangs. Counters say how many requests each fault acted on.
 *
 * <p>Faults apply in the order they were added: the first answer in the node's place wins, delays add up,
 * rewrites chain. A body that is not JSON-RPC, and an answer that is not HTTP 200 JSON, pass through unchanged.
 * The node unreachable: HTTP 502. HTTP only: put a {@link TcpProxy} in front of WebSocket or IPC endpoints.
 *
 * <p>Randomness is seeded: {@code -Dpoolstate.seed} or the seed given, logged at start; each fault draws from
 * its own {@link Random} seeded from it and the order it was added in. Threads: the JDK HTTP server's, one virtual
 * thread per exchange. Controls are safe from any thread.
 */
public final class RpcFaultProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RpcFaultProxy.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(60);

    /** Requests received (each element of a batch counts), forwarded to the node, answered in its place,
     * held while frozen, and failed because the node could not be reached. */
    public record Stats(long received, long forwarded, long answeredByFaults, long held, long nodeUnreachable) {
    }

    private record Installed(RpcFault fault, Random random) {
    }

    private final URI target;
    private final long seed;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final FreezeGate gate = new FreezeGate();
    private final List<Installed> faults = new CopyOnWriteArrayList<>();
    private final AtomicLong installs = new AtomicLong();
    private final Map<String, LongAdder> applied = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byMethod = new ConcurrentHashMap<>();
    private final LongAdder received = new LongAdder();
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final LongAdder held = new LongAdder();
    private final LongAdder unreachable = new LongAdder();
    private volatile boolean closed;

    private RpcFaultProxy(URI target, long seed) throws IOException {
        this.target = target;
        this.seed = seed;
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("rpc-fault-proxy-", 0).factory());
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).executor(executor).build();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A proxy in front of {@code targetUrl} ({@code http://host:port[/path]}), seeded by {@code -Dpoolstate.seed} (default 1). */
    public static RpcFaultProxy start(String targetUrl) {
        return start(targetUrl, Long.getLong("poolstate.seed", 1L));
    }

    public static RpcFaultProxy start(String targetUrl, long seed) {
        URI uri = URI.create(targetUrl);
        if (!"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException("the JSON-RPC proxy speaks HTTP only, got target " + targetUrl);
        }
        try {
            RpcFaultProxy p = new RpcFaultProxy(uri, seed);
            LOG.info("rpc fault proxy started: url={} target={} seed={} (repeat with -Dpoolstate.seed={})", p.url(), targetUrl, seed, seed);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("rpc fault proxy cannot listen on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** {@code http://127.0.0.1:<port>}: the URL clients use instead of the node's. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public long seed() {
        return seed;
    }

    /** Applies {@code fault} to the requests from now on, after the faults added before it. */
    public RpcFaultProxy add(RpcFault fault) {
        faults.add(new Installed(fault, new Random(seed * 0x9E3779B97F4A7C15L + installs.incrementAndGet())));
        LOG.info("rpc fault added: proxy={} fault={}", url(), fault.name());
        return this;
    }

    /** Stops applying {@code fault} (the same instance that was added); its counter stays. */
    public void remove(RpcFault fault) {
        faults.removeIf(i -> i.fault() == fault);
    }

    /** Stops applying every fault; counters stay. */
    public void clearFaults() {
        faults.clear();
    }

    /** Holds every request, and every answer not yet sent, until {@link #thaw()}; connections stay open. */
    public void freeze() {
        gate.freeze();
        LOG.info("rpc fault proxy frozen: url={}", url());
    }

    public void thaw() {
        gate.thaw();
        LOG.info("rpc fault proxy thawed: url={}", url());
    }

    /** Requests {@code fault} acted on (counted by its name). */
    public long applied(RpcFault fault) {
        return applied(fault.name());
    }

    public long applied(String faultName) {
        LongAdder a = applied.get(faultName);
        return a == null ? 0 : a.sum();
    }

    /** Every fault name that acted, with its count. */
    public Map<String, Long> applied() {
        Map<String, Long> out = new TreeMap<>();
        applied.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Requests received for {@code method} (batch elements count one each). */
    public long requests(String method) {
        LongAdder a = byMethod.get(method);
        return a == null ? 0 : a.sum();
    }

    public Stats stats() {
        return new Stats(received.sum(), forwarded.sum(), answered.sum(), held.sum(), unreachable.sum());
    }

    /** Stops serving: held requests are released unanswered, open exchanges end. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        gate.wake();
        server.stop(0);
        client.shutdownNow();
        executor.shutdownNow();
        LOG.info("rpc fault proxy closed: url={} received={} applied={}", url(), received.sum(), applied());
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (!pass()) {
                return;
            }
            JsonNode request = parse(body);
            List<JsonNode> elements = elements(request);
            if (elements == null) {
                Upstream u = forward(ex.getRequestMethod(), body);
                if (pass()) {
                    respond(ex, u.status(), u.body());
                }
                return;
            }
            byte[] answer = exchange(request.isArray(), elements, ex);
            if (answer != null && pass()) {
                respond(ex, 200, answer);
            }
        } catch (IOException e) {
            LOG.debug("rpc fault proxy exchange ended: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // a fault that throws is a broken test tool: say so loudly, and let the client see a server error
            LOG.error("rpc fault proxy failed on a request: url={} reason={}", url(), e.toString(), e);
            try {
                respond(ex, 500, ("rpc fault proxy failed: " + e).getBytes(StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException ignored) {
                // headers already sent, or the client left
            }
        }
    }

    /** The answer to a single request or batch, or null when it was already answered (pass-through) or the proxy closed. */
    private byte[] exchange(boolean batch, List<JsonNode> elements, HttpExchange ex) throws IOException, InterruptedException {
        List<RpcCall> calls = new ArrayList<>();
        List<ObjectNode> local = new ArrayList<>();
        List<JsonNode> toNode = new ArrayList<>();
        Duration delay = Duration.ZERO;
        for (JsonNode e : elements) {
            RpcCall c = RpcCall.of(e);
            calls.add(c);
            received.increment();
            if (c != null) {
                byMethod.computeIfAbsent(c.method(), k -> new LongAdder()).increment();
            }
            ObjectNode answer = null;
            for (Installed i : faults) {
                if (c == null || answer != null || !i.fault().targets(c)) {
                    continue;
                }
                switch (i.fault().before(c, i.random())) {
                    case RpcFault.Before.Forward f -> {
                    }
                    case RpcFault.Before.Delay d -> {
                        delay = delay.plus(d.delay());
                        count(i.fault());
                    }
                    case RpcFault.Before.Answer a -> {
                        answer = a.body().deepCopy();
                        answer.put("jsonrpc", "2.0").set("id", c.id());
                        count(i.fault());
                    }
                }
            }
            local.add(answer);
            if (answer == null) {
                toNode.add(e);
            } else {
                answered.increment();
            }
        }
        if (delay.isPositive()) {
            Thread.sleep(delay);
        }
        Map<String, Queue<ObjectNode>> fromNode = new HashMap<>();
        if (!toNode.isEmpty()) {
            if (!pass()) {
                return null;
            }
            byte[] sent = JSON.writeValueAsBytes(batch ? JSON.createArrayNode().addAll(toNode) : toNode.get(0));
            Upstream u = forward("POST", sent);
            forwarded.add(toNode.size());
            JsonNode answer = u.status() == 200 ? parse(u.body()) : null;
            List<JsonNode> answers = answer == null ? null : batch && answer.isArray() ? list(answer) : !batch && answer.isObject() ? List.of(answer) : null;
            if (answers == null) {
                if (pass()) {
                    respond(ex, u.status(), u.body()); // not a JSON-RPC answer to what was sent: the client sees it as it is
                }
                return null;
            }
            for (JsonNode a : answers) {
                if (a.isObject()) {
                    fromNode.computeIfAbsent(String.valueOf(a.get("id")), k -> new ArrayDeque<>()).add((ObjectNode) a);
                }
            }
        }
        ArrayNode out = JSON.createArrayNode();
        for (int i = 0; i < calls.size(); i++) {
            RpcCall c = calls.get(i);
            ObjectNode a = local.get(i);
            if (a == null) {
                Queue<ObjectNode> q = fromNode.get(String.valueOf(elements.get(i).get("id")));
                a = q == null ? null : q.poll();
                if (a != null && c != null && a.has("result")) {
                    a.set("result", rewrite(c, a.get("result")));
                }
            }
            if (a != null) {
                out.add(a);
            }
        }
        return JSON.writeValueAsBytes(batch ? out : out.isEmpty() ? JSON.nullNode() : out.get(0));
    }

    private JsonNode rewrite(RpcCall c, JsonNode result) {
        for (Installed i : faults) {
            if (i.fault().targets(c)) {
                JsonNode r = i.fault().rewrite(c, result, i.random());
                if (r != null) {
                    result = r;
                    count(i.fault());
                }
            }
        }
        return result;
    }

    private void count(RpcFault f) {
        applied.computeIfAbsent(f.name(), k -> new LongAdder()).increment();
    }

    /** Waits while frozen; false when the proxy closed meanwhile. */
    private boolean pass() throws InterruptedException {
        return gate.pass(() -> closed, held::increment);
    }

    private record Upstream(int status, byte[] body) {
    }

    private Upstream forward(String method, byte[] body) throws InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(target).timeout(UPSTREAM_TIMEOUT).header("Content-Type", "application/json")
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<byte[]> resp = client.send(r, HttpResponse.BodyHandlers.ofByteArray());
            return new Upstream(resp.statusCode(), resp.body());
        } catch (IOException e) {
            unreachable.increment();
            LOG.debug("rpc fault proxy: node unreachable: target={} reason={}", target, e.toString());
            return new Upstream(502, ("node unreachable: " + e).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The requests of a single request or a non-empty batch, or null when the body is something else. */
    private static List<JsonNode> elements(JsonNode request) {
        if (request == null) {
            return null;
        }
        if (request.isObject()) {
            return RpcCall.of(request) == null ? null : List.of(request);
        }
        if (request.isArray() && !request.isEmpty()) {
            return list(request);
        }
        return null;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>(array.size());
        array.forEach(out::add);
        return out;
    }
}
