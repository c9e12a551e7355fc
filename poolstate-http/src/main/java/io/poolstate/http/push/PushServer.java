package io.poolstate.http.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolstate.http.BadRequestException;
import io.poolstate.http.QueryString;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A push server on its own port: a GET of {@code path} opens a subscription, as a WebSocket (RFC 6455, when the
 * request asks for the upgrade) or as Server-Sent Events (any other GET: what a browser's {@code EventSource} sends).
 * The {@link Endpoint} validates the request and feeds the {@link PushSession}; each session has a bounded queue and
 * is dropped when it is full (see {@link PushSession}). Requests are HTTP/1.1 with headers of at most 16 KiB, read
 * within the request time-out; a wrong path is 404, another method 405, a bad WebSocket handshake 400 (426 for
 * another version), more than {@code maxConnections} sessions 503, a refused subscription 400 — each a JSON
 * {@code {"error": ...}}. A WebSocket's client frames are read and answered (ping with pong, close with close);
 * text or binary frames from a client are not part of the protocol and close it with 1003.
 *
 * <p>Threads: one platform thread accepts; each connection runs on a virtual thread (the session's writer) plus,
 * for its reads, another.
 */
public final class PushServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_CLIENT_PAYLOAD = 4096;

    /** Opens subscriptions; {@link #open} runs before the answer's headers are sent and may refuse the request. */
    @FunctionalInterface
    public interface Endpoint {
        /**
         * Starts feeding {@code session} (queue messages with {@link PushSession#offer}).
         *
         * @throws BadRequestException the request's parameters are wrong: answered 400 with the message
         */
        void open(PushRequest request, PushSession session);
    }

    /**
     * {@code queueMessages}: a session's queue (full: dropped as too slow); {@code heartbeat}: idle time before a ping;
     * {@code dropGrace}: how long a dropped session may take to receive its reason; {@code requestTimeout}: to send the
     * request; {@code maxConnections}: open sessions at most; {@code sendBufferBytes}: the kernel's send buffer per
     * connection (0: the system's, which may grow to megabytes and hide a slow subscriber for that long).
     */
    public record Settings(int queueMessages, Duration heartbeat, Duration dropGrace, Duration requestTimeout, int maxConnections, int sendBufferBytes) {
        public static final Settings DEFAULT = new Settings(1024, Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofSeconds(10), 256, 0);

        public Settings {
            if (queueMessages < 1 || maxConnections < 1) {
                throw new IllegalArgumentException("queue and connection limits must be positive: queue=" + queueMessages + " connections=" + maxConnections);
            }
        }

        public Settings withQueue(int messages) {
            return new Settings(messages, heartbeat, dropGrace, requestTimeout, maxConnections, sendBufferBytes);
        }

        public Settings withSendBuffer(int bytes) {
            return new Settings(queueMessages, heartbeat, dropGrace, requestTimeout, maxConnections, bytes);
        }
    }

    private final ServerSocket server;
    private final String path;
    private final Endpoint endpoint;
    private final Settings settings;
    private final Set<PushSession> sessions = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean running = true;

    private PushServer(ServerSocket server, String path, Endpoint endpoint, Settings settings) {
        this.server = server;
        this.path = path;
        this.endpoint = endpoint;
        this.settings = settings;
        this.acceptor = Thread.ofPlatform().name("push-accept").daemon().unstarted(this::accept);
    }

    /** Binds {@code host:port} (0: any free port) and serves subscriptions on {@code path}. */
    public static PushServer start(String host, int port, String path, Endpoint endpoint, Settings settings) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(host), port), 128);
        PushServer p = new PushServer(s, path, endpoint, settings);
        p.acceptor.start();
        return p;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** Sessions open now. */
    public int sessions() {
        return sessions.size();
    }

    private void accept() {
        while (running) {
            try {
                Socket c = server.accept();
                Thread.ofVirtual().name("push-conn").start(() -> serve(c));
            } catch (IOException e) {
                if (running) {
                    LOG.warn("push server accept failed: address={} reason={}", address(), e.getMessage());
                }
            }
        }
    }

    private void serve(Socket socket) {
        try {
            socket.setTcpNoDelay(true);
            if (settings.sendBufferBytes() > 0) {
                socket.setSendBufferSize(settings.sendBufferBytes());
            }
            socket.setSoTimeout((int) settings.requestTimeout().toMillis());
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            Request r = Request.read(in);
            if (r == null) {
                socket.close();
                return;
            }
            URI uri;
            try {
                uri = new URI(r.target());
            } catch (URISyntaxException e) {
                refuse(socket, out, 400, "malformed request target: target=" + r.target(), Map.of());
                return;
            }
            if (!r.method().equals("GET")) {
                refuse(socket, out, 405, "only GET is supported: method=" + r.method(), Map.of("Allow", "GET"));
                return;
            }
            if (!path.equals(uri.getRawPath())) {
                refuse(socket, out, 404, "no such endpoint: " + uri.getRawPath() + " (subscriptions are at " + path + ")", Map.of());
                return;
            }
            boolean ws = "websocket".equalsIgnoreCase(r.headers().getOrDefault("upgrade", ""));
            if (ws) {
                String problem = handshakeProblem(r);
                if (problem != null) {
                    boolean version = problem.startsWith("Sec-WebSocket-Version");
                    refuse(socket, out, version ? 426 : 400, problem, version ? Map.of("Sec-WebSocket-Version", "13") : Map.of());
                    return;
                }
            }
            if (sessions.size() >= settings.maxConnections()) {
                refuse(socket, out, 503, "too many subscribers: max=" + settings.maxConnections(), Map.of());
                return;
            }
            PushSession session = new PushSession(socket, out, ws, settings.queueMessages(), settings.heartbeat(), settings.dropGrace());
            PushRequest req;
            try {
                req = new PushRequest(uri.getRawPath(), QueryString.parse(uri.getRawQuery()), r.headers(), ws, session.remote());
                sessions.add(session);
                session.onClose(() -> sessions.remove(session));
                endpoint.open(req, session);
            } catch (BadRequestException | IllegalArgumentException e) {
                sessions.remove(session);
                refuse(socket, out, 400, e.getMessage(), Map.of());
                return;
            } catch (RuntimeException e) {
                sessions.remove(session);
                LOG.warn("push subscription failed: path={} remote={} error={}", uri.getRawPath(), session.remote(), e.toString());
                refuse(socket, out, 500, "internal error: " + e.getClass().getSimpleName(), Map.of());
                return;
            }
            socket.setSoTimeout(0);
            synchronized (out) {
                if (ws) {
                    head(out, "101 Switching Protocols", Map.of("Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Accept",
                            WebSocketCodec.acceptKey(r.headers().get("sec-websocket-key"))));
                } else {
                    head(out, "200 OK", Map.of("Content-Type", "text/event-stream; charset=utf-8", "Cache-Control", "no-store", "Connection", "close",
                            "X-Accel-Buffering", "no"));
                }
                out.flush();
            }
            Thread.ofVirtual().name("push-read").start(() -> read(in, session));
            session.run();
        } catch (IOException e) {
            LOG.debug("push connection ended: remote={} reason={}", socket.getRemoteSocketAddress(), e.toString());
            closeQuietly(socket);
        }
    }

    /** Reads the client's frames: ping answered with pong, close with close; an SSE client's bytes are ignored until it hangs up. */
    private static void read(InputStream in, PushSession session) {
        try {
            if (!session.webSocket()) {
                while (in.read() >= 0) {
                    // an SSE client sends nothing; reading tells when it hangs up
                }
                session.peerClosed("the subscriber closed the connection");
                return;
            }
            while (true) {
                WebSocketCodec.Frame f = WebSocketCodec.read(in, true, MAX_CLIENT_PAYLOAD);
                switch (f.opcode()) {
                    case WebSocketCodec.PING -> session.control(WebSocketCodec.PONG, f.payload());
                    case WebSocketCodec.PONG -> {
                        // the answer to our heartbeat
                    }
                    case WebSocketCodec.CLOSE -> {
                        if (session.isOpen()) {
                            int code = f.payload().length >= 2 ? ((f.payload()[0] & 0xFF) << 8) | (f.payload()[1] & 0xFF) : WebSocketCodec.CLOSE_NORMAL;
                            session.control(WebSocketCodec.CLOSE, WebSocketCodec.closePayload(code, ""));
                        }
                        session.peerClosed("the subscriber closed the WebSocket");
                        return;
                    }
                    default -> {
                        session.drop(WebSocketCodec.CLOSE_UNSUPPORTED_DATA, "subscribers send no data frames; subscribe with the query parameters");
                        return;
                    }
                }
            }
        } catch (WebSocketCodec.ProtocolException e) {
            session.drop(e.closeCode(), e.getMessage());
        } catch (IOException e) {
            session.peerClosed("connection lost: " + e.getMessage());
        }
    }

    /** Why a WebSocket upgrade request is not one (RFC 6455 section 4.2.1), or null. */
    static String handshakeProblem(Request r) {
        String connection = r.headers().getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        boolean upgradeToken = false;
        for (String t : connection.split(",")) {
            upgradeToken |= t.trim().equals("upgrade");
        }
        if (!upgradeToken) {
            return "a WebSocket handshake needs Connection: Upgrade: connection=" + connection;
        }
        if (!r.version().equals("HTTP/1.1")) {
            return "a WebSocket handshake needs HTTP/1.1: version=" + r.version();
        }
        String key = r.headers().get("sec-websocket-key");
        byte[] nonce;
        try {
            nonce = key == null ? null : java.util.Base64.getDecoder().decode(key.trim());
        } catch (IllegalArgumentException e) {
            nonce = null;
        }
        if (nonce == null || nonce.length != 16) {
            return "a WebSocket handshake needs Sec-WebSocket-Key, 16 bytes in base64: key=" + key;
        }
        if (!"13".equals(r.headers().get("sec-websocket-version"))) {
            return "Sec-WebSocket-Version must be 13: version=" + r.headers().get("sec-websocket-version");
        }
        return null;
    }

    private static void refuse(Socket socket, OutputStream out, int status, String message, Map<String, String> headers) throws IOException {
        byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("error", message));
        Map<String, String> h = new HashMap<>(headers);
        h.put("Content-Type", "application/json");
        h.put("Content-Length", Integer.toString(body.length));
        h.put("Connection", "close");
        head(out, status + " " + reason(status), h);
        out.write(body);
        out.flush();
        socket.close();
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 426 -> "Upgrade Required";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }

    private static void head(OutputStream out, String status, Map<String, String> headers) throws IOException {
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A request line and headers (names lowercase; a repeated header's values joined with commas). */
    record Request(String method, String target, String version, Map<String, String> headers) {
        /** Reads up to the blank line; null when the connection closed before sending anything. */
        static Request read(InputStream in) throws IOException {
            byte[] buf = new byte[MAX_HEADER_BYTES];
            int n = 0;
            while (n < 4 || !(buf[n - 4] == '\r' && buf[n - 3] == '\n' && buf[n - 2] == '\r' && buf[n - 1] == '\n')) {
                int b = in.read();
                if (b < 0) {
                    if (n == 0) {
                        return null;
                    }
                    throw new SocketException("connection closed inside the request headers");
                }
                if (n == buf.length) {
                    throw new SocketException("request headers above " + MAX_HEADER_BYTES + " bytes");
                }
                buf[n++] = (byte) b;
            }
            String[] lines = new String(buf, 0, n - 4, StandardCharsets.ISO_8859_1).split("\r\n");
            String[] first = lines[0].split(" ");
            if (first.length != 3) {
                throw new SocketException("malformed request line: " + lines[0]);
            }
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) {
                    throw new SocketException("malformed header line: " + lines[i]);
                }
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
            return new Request(first[0], first[1], first[2], Map.copyOf(headers));
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        running = false;
        closeQuietly(server);
        sessions.forEach(PushSession::close);
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
