package io.poolstate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Reads the arena's HTTP API ({@code /health}, {@code /v1/status}, {@code /v1/pools}, {@code /v1/pools/{id}}) as
 * JSON, and waits for conditions on it (healthy again after a fault, a block reached). Safe from any thread.
 */
public final class ArenaApiClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(100);

    /** An answer: HTTP status and the body as JSON (null when it is not JSON, see {@code text}). */
    public record Response(int status, JsonNode body, String text) {
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    /** {@code baseUrl} like {@code http://127.0.0.1:8080}. */
    public ArenaApiClient(String baseUrl) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
    }

    /**
     * GET {@code path} (with its query), whatever the status.
     *
     * @throws UncheckedIOException when nothing answers
     */
    public Response get(String path) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT).GET().build();
        try {
            HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode body;
            try {
                body = JSON.readTree(resp.body());
            } catch (IOException e) {
                body = null;
            }
            return new Response(resp.statusCode(), body, resp.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + base + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + base + path, e);
        }
    }

    /** {@code /health} (200 when live and not stale, else 503). */
    public Response health() {
        return get("/health");
    }

    /** {@code /v1/status}; an answer other than 200 is an {@link AssertionError}. */
    public JsonNode status() {
        return ok("/v1/status");
    }

    /** {@code /v1/pools}. */
    public JsonNode pools() {
        return ok("/v1/pools");
    }

    /** {@code /v1/pools/{id}} (any case). */
    public JsonNode pool(String id) {
        return ok("/v1/pools/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
    }

    /**
     * Polls {@code /health} until it answers 200; returns how long that took.
     *
     * @throws AssertionError after {@code timeout}, with the last answer or error
     */
    public Duration awaitHealthy(Duration timeout) {
        long t0 = System.nanoTime();
        awaitResponse("/health", r -> r.status() == 200, timeout);
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /**
     * Polls {@code /v1/status} until {@code condition} holds on its JSON; returns the status that satisfied it.
     *
     * @throws AssertionError after {@code timeout}, with the last answer or error
     */
    public JsonNode awaitStatus(Predicate<JsonNode> condition, Duration timeout) {
        return awaitResponse("/v1/status", r -> r.status() == 200 && r.body() != null && condition.test(r.body()), timeout).body();
    }

    /** The first answer of {@code path} that is {@code done}, polling every {@link #POLL}. */
    private Response awaitResponse(String path, Predicate<Response> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (true) {
            try {
                Response r = get(path);
                if (done.test(r)) {
                    return r;
                }
                last = r.status() + " " + r.text();
            } catch (UncheckedIOException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("GET " + base + path + " did not reach the expected answer within " + timeout.toMillis() + " ms; last: " + last);
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while polling " + base + path, e);
            }
        }
    }

    private JsonNode ok(String path) {
        Response r = get(path);
        if (r.status() != 200 || r.body() == null) {
            throw new AssertionError("GET " + base + path + " answered " + r.status() + ": " + r.text());
        }
        return r.body();
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
