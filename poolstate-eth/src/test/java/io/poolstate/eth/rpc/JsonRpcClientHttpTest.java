package io.poolstate.eth.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a real HTTP server on loopback that misbehaves on purpose. */
class JsonRpcClientHttpTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(2));

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private String serve(Function<JsonNode, Answer> handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", (HttpExchange ex) -> {
            requests.incrementAndGet();
            JsonNode req = MAPPER.readTree(ex.getRequestBody());
            Answer a = handler.apply(req);
            if (a.delayMs > 0) {
                try {
                    Thread.sleep(a.delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = a.body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(a.status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private record Answer(int status, String body, long delayMs) {
    }

    private static Answer ok(JsonNode req, String result) {
        return new Answer(200, "{\"jsonrpc\":\"2.0\",\"id\":" + req.get("id") + ",\"result\":" + result + "}", 0);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void retriesTransientHttpStatusThenSucceeds() throws IOException {
        String url = serve(req -> requests.get() < 3 ? new Answer(503, "busy", 0) : ok(req, "\"0x7a69\""));
        try (JsonRpcClient c = JsonRpcClient.open(RpcEndpoint.parse(url), FAST)) {
            assertThat(c.call("eth_chainId").asText()).isEqualTo("0x7a69");
            assertThat(requests.get()).isEqualTo(3);
            assertThat(c.traffic()).as("retries are sent calls too").isEqualTo(new JsonRpcClient.Traffic(3, 3));
        }
    }

    @Test
    void givesUpAfterMaxAttemptsNamingMethodAndStatus() throws IOException {
        String url = serve(req -> new Answer(502, "bad gateway", 0));
        try (JsonRpcClient c = JsonRpcClient.open(RpcEndpoint.parse(url), FAST)) {
            assertThatThrownBy(() -> c.call("eth_blockNumber")).isInstanceOf(RpcTransportException.class)
                    .hasMessageContaining("eth_blockNumber").hasMessageContaining("http_status=502");
            assertThat(requests.get()).isEqualTo(3);
        }
    }

    @Test
    void nodeErrorsAreTypedAndNotRetried() throws IOException {
        String url = serve(req -> new Answer(200, "{\"jsonrpc\":\"2.0\",\"id\":" + req.get("id")
                + ",\"error\":{\"code\":3,\"message\":\"execution reverted: STF\",\"data\":\"0x08c379a0\"}}", 0));
        try (JsonRpcClient c = JsonRpcClient.open(RpcEndpoint.parse(url), FAST)) {
            assertThatThrownBy(() -> c.call("eth_call")).isInstanceOfSatisfying(RpcErrorResponseException.class, e -> {
                assertThat(e.code()).isEqualTo(3);
                assertThat(e.isRevert()).isTrue();
                assertThat(e.data()).isEqualTo("0x08c379a0");
                assertThat(e.getMessage()).contains("eth_call").contains("execution reverted");
            });
            assertThat(requests.get()).isEqualTo(1);
        }
    }

    @Test
    void rateLimitErrorsAreRetried() throws IOException {
        String url = serve(req -> requests.get() == 1 ? new Answer(200, "{\"jsonrpc\":\"2.0\",\"id\":" + req.get("id")
                + ",\"error\":{\"code\":-32005,\"message\":\"limit exceeded\"}}", 0) : ok(req, "\"0x1\""));
        try (JsonRpcClient c = JsonRpcClient.open(RpcEndpoint.parse(url), FAST)) {
            assertThat(c.call("eth_blockNumber").asText()).isEqualTo("0x1");
            assertThat(requests.get()).isEqualTo(2);
        }
    }

    @Test
    void timesOut() throws IOException {
        String url = serve(req -> new Answer(200, "{}", 1500));
        RetryPolicy oneShort = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ofMillis(200));
        try (JsonRpcClient c = JsonRpcClient.open(RpcEndpoint.parse(url), oneShort)) {
            assertThatThrownBy(() -> c.call("eth_getLogs")).isInstanceOf(RpcTimeoutException.class)
                    .hasMessageContaining("eth_getLogs timed out").hasMessageContaining("timeout=200ms");
        }
    }

    @Test
    void garbageAnswerIsAFormatError() throws IOException {
        String url = serve(req -> new Answer(200, "<html>nope</html>", 0));
        try (JsonRpcClient c = JsonRpcClient.open(RpcEndpoint.parse(url), FAST)) {
            assertThatThrownBy(() -> c.call("eth_chainId")).isInstanceOf(RpcResponseFormatException.class).hasMessageContaining("not JSON");
        }
    }

    @Test
    void connectionRefusedIsATransportError() {
        RetryPolicy two = new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(1));
        try (JsonRpcClient c = JsonRpcClient.open(RpcEndpoint.parse("http://127.0.0.1:1"), two)) {
            assertThatThrownBy(() -> c.call("eth_chainId")).isInstanceOfSatisfying(RpcTransportException.class,
                    e -> assertThat(e.isTransient()).isTrue()).hasMessageContaining("eth_chainId").hasMessageContaining("127.0.0.1:1");
        }
    }

    @Test
    void batchMatchesAnswersByIdInAnyOrder() throws IOException {
        String url = serve(req -> {
            StringBuilder sb = new StringBuilder("[");
            for (int i = req.size() - 1; i >= 0; i--) {
                JsonNode r = req.get(i);
                sb.append(r.get("method").asText().equals("bad") ? "{\"jsonrpc\":\"2.0\",\"id\":" + r.get("id")
                        + ",\"error\":{\"code\":-32601,\"message\":\"method not found\"}}" : "{\"jsonrpc\":\"2.0\",\"id\":" + r.get("id")
                        + ",\"result\":\"" + r.get("method").asText() + "\"}");
                sb.append(i > 0 ? "," : "]");
            }
            return new Answer(200, sb.toString(), 0);
        });
        try (JsonRpcClient c = JsonRpcClient.open(RpcEndpoint.parse(url), FAST)) {
            List<JsonRpcClient.Outcome> out = c.batch(List.of(new JsonRpcClient.Call("a", List.of()), new JsonRpcClient.Call("bad", List.of()),
                    new JsonRpcClient.Call("c", List.of())));
            assertThat(((JsonRpcClient.Success) out.get(0)).result().asText()).isEqualTo("a");
            assertThat(((JsonRpcClient.Failure) out.get(1)).error().code()).isEqualTo(-32601);
            assertThat(((JsonRpcClient.Success) out.get(2)).result().asText()).isEqualTo("c");
            assertThatThrownBy(() -> c.batchResults(List.of(new JsonRpcClient.Call("bad", List.of()))))
                    .hasMessageContaining("bad[batch index 0]");
            assertThat(c.traffic()).as("what was sent: 4 calls in 2 requests").isEqualTo(new JsonRpcClient.Traffic(4, 2));
            assertThat(requests.get()).isEqualTo(2);
        }
    }

    /** An API key in the URL's path and query never reaches an error message: node errors, HTTP errors, refused connections. */
    @Test
    void errorMessagesNeverNameTheUrlsSecrets() throws IOException {
        String url = serve(req -> req.path("method").asText().equals("eth_chainId")
                ? new Answer(200, "{\"jsonrpc\":\"2.0\",\"id\":" + req.get("id") + ",\"error\":{\"code\":-32000,\"message\":\"nope\"}}", 0)
                : new Answer(401, "invalid key /v2/KEY123 for query apikey=Q5ECRET", 0));
        String secretUrl = url + "/v2/KEY123?apikey=Q5ECRET";
        try (JsonRpcClient c = JsonRpcClient.open(RpcEndpoint.parse(secretUrl), FAST)) {
            assertThatThrownBy(() -> c.call("eth_chainId")).hasMessageContaining("endpoint=http://127.0.0.1:").hasMessageNotContaining("KEY123");
            assertThatThrownBy(() -> c.call("eth_blockNumber")).hasMessageContaining("http_status=401").hasMessageNotContaining("KEY123")
                    .hasMessageNotContaining("Q5ECRET");
            assertThatThrownBy(() -> c.batchResults(List.of(new JsonRpcClient.Call("eth_chainId", List.of()))))
                    .hasMessageNotContaining("KEY123");
        }
        server.stop(0);
        server = null;
        try (JsonRpcClient c = JsonRpcClient.open(RpcEndpoint.parse(secretUrl), RetryPolicy.NONE.withTimeout(Duration.ofSeconds(2)))) {
            assertThatThrownBy(() -> c.call("eth_chainId")).isInstanceOf(RpcTransportException.class).hasMessageNotContaining("KEY123")
                    .hasMessageNotContaining("Q5ECRET");
        }
    }
}
