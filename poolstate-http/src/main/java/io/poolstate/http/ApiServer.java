package io.poolstate.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP server on {@code HOST:PORT} (port 0: any free port) with the process's {@link HttpLimits}, each request
 * handled on a virtual thread, and one policy for what goes wrong: a method other than GET or HEAD is 405, a
 * {@link BadRequestException} (malformed query, bad parameter) 400, any other failure 500 with a log line
 * naming the path; every error answer is JSON {@code {"error": "..."}}. The exchange is always closed.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Handles one request; may throw {@link BadRequestException}. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange ex) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private ApiServer(HttpServer server) {
        this.server = server;
    }

    /** Binds and starts serving {@code handler} for every path, GET and HEAD only. */
    public static ApiServer start(String host, int port, Handler handler) throws IOException {
        return start(host, port, handler, path -> false);
    }

    /** As above; the paths {@code postPaths} accepts take POST (and only POST), the body read with {@link #body}. */
    public static ApiServer start(String host, int port, Handler handler, Predicate<String> postPaths) throws IOException {
        HttpLimits.freeze();
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
        ApiServer s = new ApiServer(http);
        http.setExecutor(s.executor);
        http.createContext("/", ex -> s.serve(ex, handler, postPaths));
        http.start();
        return s;
    }

    private void serve(HttpExchange ex, Handler handler, Predicate<String> postPaths) {
        try (ex) {
            String method = ex.getRequestMethod();
            boolean post = postPaths.test(ex.getRequestURI().getPath());
            if (post ? !"POST".equals(method) : !"GET".equals(method) && !"HEAD".equals(method)) {
                ex.getResponseHeaders().set("Allow", post ? "POST" : "GET, HEAD");
                json(ex, 405, error((post ? "only POST is supported here: method=" : "only GET is supported: method=") + method));
                return;
            }
            try {
                handler.handle(ex);
            } catch (BadRequestException e) {
                json(ex, 400, error(e.getMessage()));
            } catch (Exception e) {
                LOG.warn("HTTP request failed: path={} error={}", ex.getRequestURI().getPath(), e.toString());
                json(ex, 500, error("internal error: " + e.getClass().getSimpleName()));
            }
        } catch (IOException e) {
            LOG.debug("HTTP answer not sent: path={} error={}", ex.getRequestURI().getPath(), e.toString());
        }
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://host:port}. */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    /**
     * The request body, at most {@code maxBytes}.
     *
     * @throws BadRequestException when it is longer
     */
    public static byte[] body(HttpExchange ex, int maxBytes) throws IOException {
        byte[] b = ex.getRequestBody().readNBytes(maxBytes + 1);
        if (b.length > maxBytes) {
            throw new BadRequestException("request body larger than " + maxBytes + " bytes");
        }
        return b;
    }

    /** {@code {"error": message}}. */
    public static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    /** Sends {@code body} as JSON with {@code status} (no body for HEAD). */
    public static void json(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(body));
    }

    /** Sends {@code body} as text of {@code contentType}. */
    public static void text(HttpExchange ex, int status, String contentType, String body) throws IOException {
        send(ex, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if ("HEAD".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
