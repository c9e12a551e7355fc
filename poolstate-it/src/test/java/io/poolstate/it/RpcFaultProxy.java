package io.poolstate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A JSON-RPC proxy in front of the real node that, while a fault is on, answers the calls the fault names with an
 * error ({@code -32603}, final, as a node that lost the state would) and passes everything else through, batches
 * included (failed and passed calls answered by id in one batch).
 */
final class RpcFaultProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI node;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicLong failed = new AtomicLong();
    private volatile Predicate<JsonNode> fault;

    RpcFaultProxy(String nodeUrl) throws IOException {
        this.node = URI.create(nodeUrl);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on, requests matching {@code which} (one JSON-RPC request object) fail; null: none. */
    void fail(Predicate<JsonNode> which) {
        this.fault = which;
    }

    /** Calls answered with the injected error so far. */
    long failed() {
        return failed.get();
    }

    /** An {@code eth_call} whose calldata starts with {@code selector} (hex, 0x and 8 digits). */
    static Predicate<JsonNode> ethCall(String selector) {
        return r -> r.path("method").asText().equals("eth_call") && r.path("params").path(0).path("data").asText().startsWith(selector);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            JsonNode request = JSON.readTree(ex.getRequestBody());
            Predicate<JsonNode> f = fault;
            JsonNode answer;
            if (request.isArray()) {
                ArrayNode pass = JSON.createArrayNode();
                Map<String, JsonNode> byId = new HashMap<>();
                for (JsonNode r : request) {
                    if (f != null && f.test(r)) {
                        byId.put(r.path("id").toString(), error(r));
                    } else {
                        pass.add(r);
                    }
                }
                if (!pass.isEmpty()) {
                    forward(pass).forEach(r -> byId.put(r.path("id").toString(), r));
                }
                ArrayNode out = JSON.createArrayNode();
                request.forEach(r -> out.add(byId.get(r.path("id").toString())));
                answer = out;
            } else {
                answer = f != null && f.test(request) ? error(request) : forward(request);
            }
            byte[] body = JSON.writeValueAsBytes(answer);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ObjectNode error(JsonNode request) {
        failed.incrementAndGet();
        ObjectNode e = JSON.createObjectNode().put("jsonrpc", "2.0");
        e.set("id", request.path("id"));
        e.putObject("error").put("code", -32603).put("message", "state unavailable (injected fault)");
        return e;
    }

    private JsonNode forward(JsonNode request) throws IOException, InterruptedException {
        HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(node).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request))).build(), HttpResponse.BodyHandlers.ofByteArray());
        return JSON.readTree(res.body());
    }

    @Override
    public void close() {
        server.stop(0);
        http.close();
    }
}
