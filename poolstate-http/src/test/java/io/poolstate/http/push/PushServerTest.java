package io.poolstate.http.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.http.BadRequestException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The push server against the JDK's own WebSocket and HTTP clients, and a raw socket that stops reading. */
class PushServerTest {
    private final List<PushSession> opened = new CopyOnWriteArrayList<>();
    private final java.util.Map<String, PushSession> byName = new java.util.concurrent.ConcurrentHashMap<>();

    /** Collects whole text messages (the JDK client hands large ones over in parts). */
    private static final class Collector implements WebSocket.Listener {
        final LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder part = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                got.add(part.toString());
                part.setLength(0);
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            closed.complete(code + " " + reason);
            return null;
        }
    }

    private PushServer server(int queue) throws Exception {
        return PushServer.start("127.0.0.1", 0, "/v1/stream", (req, session) -> {
            if (req.query().has("bad")) {
                throw new BadRequestException("bad subscription: bad=" + req.query().get("bad"));
            }
            opened.add(session);
            byName.put(req.query().getOrDefault("name", ""), session);
            session.offer(new PushMessage("hello", "1", "{\"hello\":\"" + req.query().getOrDefault("name", "") + "\"}"));
        }, new PushServer.Settings(queue, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5), 16, 0));
    }

    @Test
    void aJdkWebSocketClientReceivesTextFramesPingsAndTheCloseReason() throws Exception {
        try (PushServer s = server(16)) {
            Collector c = new Collector();
            LinkedBlockingQueue<String> got = c.got;
            CompletableFuture<String> closed = c.closed;
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + s.address().getPort() + "/v1/stream?name=a%20b"), c).get(5, TimeUnit.SECONDS);
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("{\"hello\":\"a b\"}");
            String big = "x".repeat(70_000);
            opened.get(0).offer(new PushMessage(null, null, big));
            String received = got.poll(5, TimeUnit.SECONDS);
            assertThat(received != null && received.equals(big)).as("a 70,000-character message arrives whole").isTrue();
            ws.sendPing(java.nio.ByteBuffer.wrap(new byte[] {1, 2})).get(5, TimeUnit.SECONDS);
            Thread.sleep(500); // heartbeats (pings) pass; the JDK client answers them
            opened.get(0).drop(WebSocketCodec.CLOSE_TRY_AGAIN_LATER, "slow consumer: test");
            assertThat(closed.get(5, TimeUnit.SECONDS)).isEqualTo("1013 slow consumer: test");
        }
    }

    @Test
    void serverSentEventsCarryIdEventAndData() throws Exception {
        try (PushServer s = server(16)) {
            HttpResponse<InputStream> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.address().getPort()
                    + "/v1/stream?name=sse")).header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
            opened.get(0).drop(WebSocketCodec.CLOSE_TRY_AGAIN_LATER, "slow consumer: test");
            String body = new String(res.body().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(body).startsWith("id: 1\nevent: hello\ndata: {\"hello\":\"sse\"}\n\n")
                    .endsWith("event: dropped\ndata: {\"type\":\"dropped\",\"code\":1013,\"reason\":\"slow consumer: test\"}\n\n");
        }
    }

    @Test
    void refusedRequestsAnswerJsonErrors() throws Exception {
        try (PushServer s = server(16)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + s.address().getPort();
            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/stream?bad=1")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).isEqualTo("{\"error\":\"bad subscription: bad=1\"}");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/other")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            try (Socket raw = new Socket("127.0.0.1", s.address().getPort())) {
                raw.getOutputStream().write(("GET /v1/stream HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String answer = new String(raw.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(answer).startsWith("HTTP/1.1 426 ").contains("Sec-WebSocket-Version: 13");
            }
        }
    }

    @Test
    void theRfcHandshakeAndAMaskedCloseAreAnswered() throws Exception {
        try (PushServer s = server(16); Socket raw = new Socket("127.0.0.1", s.address().getPort())) {
            OutputStream out = raw.getOutputStream();
            out.write(("GET /v1/stream?name=raw HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = raw.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101 Switching Protocols\r\n").contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(WebSocketCodec.read(in, false, 1000).text()).isEqualTo("{\"hello\":\"raw\"}");
            WebSocketCodec.write(out, WebSocketCodec.CLOSE, WebSocketCodec.closePayload(1000, "bye"), new byte[] {1, 2, 3, 4});
            WebSocketCodec.Frame f;
            do {
                f = WebSocketCodec.read(in, false, 1000);
            } while (f.opcode() == WebSocketCodec.PING);
            assertThat(f.opcode()).isEqualTo(WebSocketCodec.CLOSE);
            assertThat(f.payload()).startsWith(0x03, (byte) 0xe8);
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedWithoutSlowingAnother() throws Exception {
        try (PushServer s = server(8); Socket stuck = new Socket("127.0.0.1", s.address().getPort())) {
            stuck.setReceiveBufferSize(4096);
            stuck.getOutputStream().write(("GET /v1/stream?name=stuck HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Collector c = new Collector();
            LinkedBlockingQueue<String> got = c.got;
            HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + s.address().getPort() + "/v1/stream?name=fast"), c)
                    .get(5, TimeUnit.SECONDS);
            assertThat(got.poll(5, TimeUnit.SECONDS)).contains("fast");
            while (byName.size() < 2) {
                Thread.sleep(5);
            }
            PushSession stuckSession = byName.get("stuck");
            String chunk = "y".repeat(100_000);
            long t0 = System.nanoTime();
            int delivered = 0;
            for (int i = 0; i < 200; i++) {
                opened.forEach(x -> x.offer(new PushMessage(null, null, chunk)));
                if (got.poll(2, TimeUnit.SECONDS) != null) {
                    delivered++;
                }
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(delivered).as("the reading client got every message").isEqualTo(200);
            assertThat(stuckSession.isOpen()).as("the client that stopped reading was dropped").isFalse();
            assertThat(stuckSession.closeReason()).startsWith("slow consumer: queue of 8 messages full");
            assertThat(ms).as("200 messages of 100 kB to the reading client").isLessThan(20_000);
        }
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            sb.append((char) b);
        }
        return sb.toString();
    }
}
