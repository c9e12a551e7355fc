package io.poolstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API client against an HTTP server answering as the arena does (the arena itself needs a feed and a chain:
 * the fault suite uses this client against it): JSON bodies, error statuses, waiting for health and status.
 */
class ArenaApiClientTest {
    private HttpServer server;
    private final AtomicInteger block = new AtomicInteger(10);
    private final AtomicInteger healthCalls = new AtomicInteger();
    private ArenaApiClient api;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/health", ex -> {
            boolean live = healthCalls.incrementAndGet() > 3;
            send(ex, live ? 200 : 503, "{\"status\":\"" + (live ? "ok" : "starting") + "\"}");
        });
        server.createContext("/v1/status", ex -> send(ex, 200, "{\"mode\":\"live\",\"block_number\":" + block.getAndIncrement() + "}"));
        server.createContext("/v1/pools/", ex -> {
            String id = ex.getRequestURI().getPath().substring("/v1/pools/".length());
            if (id.equals("0xabc")) {
                send(ex, 200, "{\"id\":\"0xabc\",\"tick\":-5}");
            } else {
                send(ex, 404, "{\"error\":\"unknown pool " + id + "\"}");
            }
        });
        server.createContext("/metrics", ex -> send(ex, 200, "poolstate_up 1\n"));
        server.start();
        api = new ArenaApiClient("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        api.close();
        server.stop(0);
    }

    @Test
    void readsJsonAndReportsOtherStatuses() {
        assertThat(api.pool("0xabc").path("tick").asInt()).isEqualTo(-5);
        assertThatThrownBy(() -> api.pool("0xdef")).isInstanceOf(AssertionError.class).hasMessageContaining("404").hasMessageContaining("unknown pool 0xdef");
        ArenaApiClient.Response missing = api.get("/v1/pools/0xdef");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().path("error").asText()).isEqualTo("unknown pool 0xdef");
        ArenaApiClient.Response text = api.get("/metrics");
        assertThat(text.body()).isNull();
        assertThat(text.text()).isEqualTo("poolstate_up 1\n");
        assertThat(api.health().status()).isEqualTo(503);
    }

    @Test
    void waitsForHealthAndForAStatus() {
        Duration took = api.awaitHealthy(Duration.ofSeconds(10));
        assertThat(healthCalls.get()).isEqualTo(4);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(api.awaitStatus(s -> s.path("block_number").asLong() >= 13, Duration.ofSeconds(10)).path("block_number").asLong()).isEqualTo(13);
        assertThatThrownBy(() -> api.awaitStatus(s -> s.path("mode").asText().equals("buffering"), Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("\"mode\":\"live\"");
    }

    @Test
    void nothingListening() {
        try (ArenaApiClient none = new ArenaApiClient("http://127.0.0.1:" + LoopbackPorts.free())) {
            assertThatThrownBy(none::health).isInstanceOf(UncheckedIOException.class);
            assertThatThrownBy(() -> none.awaitHealthy(Duration.ofMillis(300))).isInstanceOf(AssertionError.class).hasMessageContaining("failed");
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }
}
