package io.poolstate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One server with short limits (they are process-wide): errors, a slow client, the connection limit. */
class ApiServerTest {
    private static ApiServer server;

    @BeforeAll
    static void start() throws IOException {
        HttpLimits.install(new HttpLimits(Duration.ofSeconds(1), Duration.ofSeconds(5), 3));
        server = ApiServer.start("127.0.0.1", 0, ex -> {
            QueryString q = QueryString.parse(ex.getRequestURI().getRawQuery());
            switch (ex.getRequestURI().getPath()) {
                case "/ok" -> ApiServer.json(ex, 200, ApiServer.error("none").put("n", q.intParam("n", 1, 1, 10)));
                case "/boom" -> throw new IllegalStateException("secret internals");
                default -> ApiServer.json(ex, 404, ApiServer.error("no such endpoint"));
            }
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        try (HttpClient c = HttpClient.newHttpClient()) {
            return c.send(HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    /** A raw request over a socket, for what an HTTP client library would refuse to send. */
    private static String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void malformedRequestsAre400AndFailuresAre500WithoutInternals() throws Exception {
        assertThat(get("/ok?n=3").body()).contains("\"n\":3");
        assertThat(get("/ok?n=x")).satisfies(r -> assertThat(r.statusCode()).isEqualTo(400)).extracting(HttpResponse::body).asString()
                .contains("n is not a number");
        assertThat(get("/ok?n=99").statusCode()).isEqualTo(400);
        assertThat(raw("GET /ok?n=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThatThrownBy(() -> QueryString.parse("n=%zz")).isInstanceOf(BadRequestException.class).hasMessageContaining("malformed query encoding");
        assertThat(raw("GET /ok?n=1&n=2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 400").contains("given twice");
        assertThat(raw("POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 405");
        assertThat(raw("GARBAGE\r\n\r\n")).startsWith("HTTP/1.1 400");
        HttpResponse<String> boom = get("/boom");
        assertThat(boom.statusCode()).isEqualTo(500);
        assertThat(boom.body()).contains("internal error").doesNotContain("secret internals");
        assertThat(raw("HEAD /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200").doesNotContain("\"n\"");
    }

    /** A client that opens a connection and never finishes its request is disconnected after the request time-out. */
    @Test
    void aSlowClientIsCutOff() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(8000);
            OutputStream o = s.getOutputStream();
            o.write("GET /ok HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
            long t = System.nanoTime();
            InputStream in = s.getInputStream();
            int read;
            try {
                read = in.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept a stalled request open for 8 s", e);
            } catch (IOException reset) {
                read = -1;
            }
            assertThat(read).as("closed, nothing served").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(6));
        }
    }

    /** With 3 connections open and idle, a fourth client is turned away (its connection closed); once one closes, clients are served again. */
    @Test
    void connectionsBeyondTheLimitWait() throws Exception {
        Socket[] open = new Socket[3];
        try {
            for (int i = 0; i < open.length; i++) {
                open[i] = new Socket("127.0.0.1", server.address().getPort());
                open[i].getOutputStream().write("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                open[i].setSoTimeout(5000);
                byte[] b = new byte[12];
                assertThat(open[i].getInputStream().readNBytes(b, 0, 12)).isEqualTo(12);
                assertThat(new String(b, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");
            }
            try (Socket fourth = new Socket("127.0.0.1", server.address().getPort())) {
                fourth.setSoTimeout(5000);
                int first;
                try {
                    fourth.getOutputStream().write("GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    first = fourth.getInputStream().read();
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("a connection beyond the limit was left hanging", e);
                } catch (IOException reset) {
                    first = -1;
                }
                assertThat(first).as("turned away").isEqualTo(-1);
            }
            open[0].close();
            Thread.sleep(300);
            assertThat(raw("GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
        } finally {
            for (Socket s : open) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    @Test
    void limitsCannotChangeOnceAServerRuns() {
        assertThatThrownBy(() -> HttpLimits.install(HttpLimits.DEFAULT)).hasMessageContaining("fixed once the first server has started");
        HttpLimits.install(new HttpLimits(Duration.ofSeconds(1), Duration.ofSeconds(5), 3));
        assertThatThrownBy(() -> new HttpLimits(Duration.ZERO, Duration.ofSeconds(1), 1)).hasMessageContaining("at least 1s");
    }
}
