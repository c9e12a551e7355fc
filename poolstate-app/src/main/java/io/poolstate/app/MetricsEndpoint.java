package io.poolstate.app;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** Serves a component's Prometheus text at {@code /metrics} on {@code HOST:PORT} (port 0: any free port). */
public final class MetricsEndpoint implements AutoCloseable {
    private final HttpServer http;

    private MetricsEndpoint(HttpServer http) {
        this.http = http;
    }

    /** Starts serving on {@code at}; null {@code at} (metrics off) gives null. */
    public static MetricsEndpoint start(HostPort at, Supplier<String> scrape) throws IOException {
        if (at == null) {
            return null;
        }
        HttpServer http = HttpServer.create(new InetSocketAddress(at.host(), at.port()), 0);
        http.createContext("/metrics", ex -> {
            byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        http.start();
        return new MetricsEndpoint(http);
    }

    /** {@code http://host:port/metrics}. */
    public String url() {
        return "http://" + http.getAddress().getHostString() + ":" + http.getAddress().getPort() + "/metrics";
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
