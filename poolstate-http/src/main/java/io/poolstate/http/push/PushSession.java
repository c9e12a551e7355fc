package io.poolstate.http.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;

/**
 * One subscriber's connection: a bounded queue of messages and the thread that writes them (WebSocket text frames or
 * Server-Sent Events). {@link #offer} never blocks: when the queue is full the subscriber is too slow and is dropped
 * with the reason (a WebSocket close frame with code 1013, or an SSE {@code dropped} event) — what is queued is
 * discarded, and the connection is cut after a grace period if even that cannot be written. Others are never
 * slowed. Idle connections get a heartbeat (a WebSocket ping, an SSE comment).
 *
 * <p>Threads: {@link #offer}, {@link #drop} and {@link #close} from any thread; the writer loop runs on the
 * connection's thread.
 */
public final class PushSession {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Close(int code, String reason) {
    }

    private final Socket socket;
    private final OutputStream out;
    private final boolean webSocket;
    private final BlockingQueue<Object> queue;
    private final int capacity;
    private final Duration heartbeat;
    private final Duration dropGrace;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final String remote;
    private volatile String closeReason;

    PushSession(Socket socket, OutputStream out, boolean webSocket, int capacity, Duration heartbeat, Duration dropGrace) {
        this.socket = socket;
        this.out = out;
        this.webSocket = webSocket;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity + 1); // one place kept for the close
        this.heartbeat = heartbeat;
        this.dropGrace = dropGrace;
        this.remote = String.valueOf(socket.getRemoteSocketAddress());
    }

    public boolean webSocket() {
        return webSocket;
    }

    public String remote() {
        return remote;
    }

    /** Why the session ended (null while open). */
    public String closeReason() {
        return closeReason;
    }

    public boolean isOpen() {
        return !closing.get();
    }

    /** Runs {@code r} once when the session ends, however it ends (any thread). */
    public void onClose(Runnable r) {
        onClose.add(r);
        if (closed.get()) {
            r.run();
        }
    }

    /**
     * Queues {@code m}; false when the session is closing, or when its queue is full: then the subscriber is dropped
     * as too slow (never blocks).
     */
    public boolean offer(PushMessage m) {
        if (closing.get()) {
            return false;
        }
        if (queue.size() >= capacity || !queue.offer(m)) {
            drop(WebSocketCodec.CLOSE_TRY_AGAIN_LATER, "slow consumer: queue of " + capacity + " messages full");
            return false;
        }
        return true;
    }

    /**
     * Ends the session with {@code code} and {@code reason}: what is queued is discarded, the reason is sent next, and the
     * connection is cut if it cannot be within the grace period.
     */
    public void drop(int code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closeReason = reason;
        queue.clear();
        queue.offer(new Close(code, reason));
        Thread.ofVirtual().name("push-drop").start(() -> {
            try {
                Thread.sleep(dropGrace.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finish();
        });
    }

    /** Ends the session normally (server shutdown, 1001 going away). */
    public void close() {
        drop(WebSocketCodec.CLOSE_GOING_AWAY, "server shutting down");
    }

    /** The writer loop: until the session ends (connection thread). */
    void run() {
        boolean sentClose = false;
        try {
            while (true) {
                Object item = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (item == null) {
                    heartbeat();
                } else if (item instanceof Close c) {
                    writeClose(c);
                    socket.shutdownOutput(); // the peer reads the close, answers and hangs up; the grace period cuts it otherwise
                    sentClose = true;
                    return;
                } else {
                    write((PushMessage) item);
                }
            }
        } catch (IOException e) {
            if (closeReason == null) {
                closeReason = "connection lost: " + e.getMessage();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closing.set(true);
            if (!sentClose) {
                finish();
            }
        }
    }

    /** The peer closed, or broke the protocol (reader thread). */
    void peerClosed(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        closing.set(true);
        queue.clear();
        finish();
    }

    /** Writes a control frame from the reader thread (pong, the answer to a close). */
    void control(int opcode, byte[] payload) throws IOException {
        synchronized (out) {
            WebSocketCodec.write(out, opcode, payload, null);
            out.flush();
        }
    }

    private void write(PushMessage m) throws IOException {
        synchronized (out) {
            if (webSocket) {
                WebSocketCodec.write(out, WebSocketCodec.TEXT, m.data().getBytes(StandardCharsets.UTF_8), null);
            } else {
                StringBuilder sb = new StringBuilder(m.data().length() + 64);
                if (m.id() != null) {
                    sb.append("id: ").append(m.id()).append('\n');
                }
                if (m.event() != null) {
                    sb.append("event: ").append(m.event()).append('\n');
                }
                sb.append("data: ").append(m.data()).append("\n\n");
                out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        }
    }

    private void heartbeat() throws IOException {
        synchronized (out) {
            if (webSocket) {
                WebSocketCodec.write(out, WebSocketCodec.PING, new byte[0], null);
            } else {
                out.write(": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        }
    }

    private void writeClose(Close c) throws IOException {
        synchronized (out) {
            if (webSocket) {
                WebSocketCodec.write(out, WebSocketCodec.CLOSE, WebSocketCodec.closePayload(c.code(), c.reason()), null);
            } else {
                String data = JSON.createObjectNode().put("type", "dropped").put("code", c.code()).put("reason", c.reason()).toString();
                out.write(("event: dropped\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        }
    }

    private void finish() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        onClose.forEach(Runnable::run);
    }
}
