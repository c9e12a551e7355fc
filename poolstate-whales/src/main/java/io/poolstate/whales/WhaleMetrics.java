package io.poolstate.whales;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The whale tracker's Prometheus metrics ({@code poolstate_whales_}), optionally served at {@code /metrics}. Thread-safe. */
public final class WhaleMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer duration = Timer.builder("poolstate_whales_snapshot_duration").register(registry);
    private final AtomicInteger addresses = registry.gauge("poolstate_whales_snapshot_addresses", new AtomicInteger());
    private final Counter rpcCalls = Counter.builder("poolstate_whales_rpc_calls").register(registry);
    private final Counter transfers = Counter.builder("poolstate_whales_transfers_indexed").register(registry);
    private HttpServer http;

    public void snapshot(String outcome, long millis, int addressCount, int rpcRequests) {
        Counter.builder("poolstate_whales_snapshots").tag("outcome", outcome).register(registry).increment();
        duration.record(Duration.ofMillis(millis));
        addresses.set(addressCount);
        rpcCalls.increment(rpcRequests);
    }

    public void failure(String stage) {
        Counter.builder("poolstate_whales_failures").tag("stage", stage).register(registry).increment();
    }

    public void transfersIndexed(long n) {
        transfers.increment(n);
    }

    public String scrape() {
        return registry.scrape();
    }

    /** Serves {@code /metrics} on {@code host:port} (port 0: any free port); returns the bound address. */
    public InetSocketAddress serve(String host, int port) throws IOException {
        http = HttpServer.create(new InetSocketAddress(host, port), 0);
        http.createContext("/metrics", ex -> {
            byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        http.start();
        return http.getAddress();
    }

    @Override
    public void close() {
        if (http != null) {
            http.stop(0);
        }
    }
}
