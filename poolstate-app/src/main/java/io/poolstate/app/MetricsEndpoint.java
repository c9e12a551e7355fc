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

    /**
     * Starts serving; {@code spec} is {@code HOST:PORT} or {@code off} (then null is returned).
     *
     * @throws IllegalArgumentException for a spec that is not HOST:PORT
     */
    public static MetricsEndpoint start(String spec, Supplier<String> scrape) throws IOException {
        if (spec == null || spec.equalsIgnoreCase("off")) {
            return null;
        }
        int colon = spec.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(spec.substring(colon + 1));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--metrics wants HOST:PORT or off: metrics=" + spec, e);
        }
        if (colon <= 0) {
            throw new IllegalArgumentException("--metrics wants HOST:PORT or off: metrics=" + spec);
        }
        HttpServer http = HttpServer.create(new InetSocketAddress(spec.substring(0, colon), port), 0);
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
