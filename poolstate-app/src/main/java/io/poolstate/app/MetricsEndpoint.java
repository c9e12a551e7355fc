package io.poolstate.app;

import io.poolstate.http.ApiServer;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * Serves a component's Prometheus text at {@code /metrics} on {@code HOST:PORT} (port 0: any free port), through an
 * {@link ApiServer} (the process's time-outs and connection limit).
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final ApiServer http;

    private MetricsEndpoint(ApiServer http) {
        this.http = http;
    }

    /** Starts serving on {@code at}; null {@code at} (metrics off) gives null. */
    public static MetricsEndpoint start(HostPort at, Supplier<String> scrape) throws IOException {
        if (at == null) {
            return null;
        }
        return new MetricsEndpoint(ApiServer.start(at.host(), at.port(), ex -> {
            if (ex.getRequestURI().getPath().equals("/metrics")) {
                ApiServer.text(ex, 200, "text/plain; version=0.0.4; charset=utf-8", scrape.get());
            } else {
                ApiServer.json(ex, 404, ApiServer.error("no such endpoint: " + ex.getRequestURI().getPath() + " (metrics are at /metrics)"));
            }
        }));
    }

    /** {@code http://host:port/metrics}. */
    public String url() {
        return http.url() + "/metrics";
    }

    @Override
    public void close() {
        http.close();
    }
}
