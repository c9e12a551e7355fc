package io.poolstate.client;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Address;
import io.poolstate.protocol.stream.StreamCodec;
import io.poolstate.protocol.stream.StreamFormatException;
import io.poolstate.protocol.stream.StreamMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The arena's push stream ({@code ws://host:port/v1/stream}) kept as pool state: applies each message (snapshots
 * replace, blocks and reverts and updates change what they name) and hands the state after it to the
 * {@link Listener}. When the connection is lost it connects again resuming after the last message received
 * ({@code resume=SEQ:BLOCK:HASH}): the arena sends what was missed, reverts included, or — when it no longer keeps
 * that message — the whole state again. A message that does not decode, or does not apply (a change for a pool the
 * state lacks), ends the connection and resumes from the last good message.
 *
 * <p>Threads: messages are applied and the listener called on the JDK WebSocket's thread, one at a time; reconnects
 * run on a virtual thread; {@link #state()} from any thread.
 */
public final class ArenaStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArenaStream.class);

    /** Told of every message with the state after it (the WebSocket's thread; keep it short). */
    @FunctionalInterface
    public interface Listener {
        void onMessage(StreamMessage message, StreamState state);

        /** The connection ended ({@code code}, {@code reason} from the arena, e.g. 1013 for a subscriber too slow); it resumes. */
        default void onDisconnect(int code, String reason) {
        }
    }

    /** Which pools: ids and tokens (their union); both empty: every pool. */
    public record Subscription(Collection<PoolId> pools, Collection<Address> tokens) {
        public static final Subscription ALL = new Subscription(java.util.List.of(), java.util.List.of());

        String query() {
            StringBuilder q = new StringBuilder();
            if (!pools.isEmpty()) {
                q.append("pools=").append(pools.stream().map(Object::toString).collect(Collectors.joining(",")));
            }
            if (!tokens.isEmpty()) {
                q.append(q.isEmpty() ? "" : "&").append("tokens=").append(tokens.stream().map(Object::toString).collect(Collectors.joining(",")));
            }
            return q.toString();
        }
    }

    private final URI url;
    private final Subscription subscription;
    private final Listener listener;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong refusedResumes = new AtomicLong();
    private volatile StreamState state;
    private volatile WebSocket socket;
    private volatile Receiver receiver;
    private volatile boolean running = true;
    private long backoffMs = 100;

    /** {@code url}: {@code ws://host:port/v1/stream}. Call {@link #start()}. */
    public ArenaStream(URI url, Subscription subscription, Listener listener) {
        this(url, subscription, listener, null);
    }

    /**
     * As above, resuming from {@code from} (a state this subscription reached before, e.g. kept across a restart of the
     * consumer): the arena sends what followed it, or the whole state when it no longer can.
     */
    public ArenaStream(URI url, Subscription subscription, Listener listener, StreamState from) {
        this.url = url;
        this.subscription = subscription;
        this.listener = listener;
        this.state = from;
    }

    public ArenaStream start() {
        Thread.ofVirtual().name("arena-stream-connect").start(this::connect);
        return this;
    }

    /** The state after the last message applied; null before the first. */
    public StreamState state() {
        return state;
    }

    /** Connections opened so far (the first and every resume). */
    public long connects() {
        return connects.get();
    }

    /** Resumes the arena could not serve (it sent the whole state instead). */
    public long refusedResumes() {
        return refusedResumes.get();
    }

    /** Cuts the connection as a network failure would (the stream then resumes); for tests and operators. */
    public void dropConnection() {
        WebSocket w = socket;
        Receiver r = receiver;
        if (w != null && r != null && r.fail()) {
            w.abort();
            reconnect(1006, "connection dropped by the client");
        }
    }

    private void connect() {
        while (running) {
            StreamState s = state;
            String q = subscription.query();
            if (s != null) {
                q += (q.isEmpty() ? "" : "&") + "resume=" + s.seq() + ":" + s.blockNumber() + ":" + s.blockHash();
            }
            URI u = URI.create(url + (q.isEmpty() ? "" : "?" + q));
            try {
                Receiver r = new Receiver();
                receiver = r;
                socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(u, r).get(10, TimeUnit.SECONDS);
                connects.incrementAndGet();
                backoffMs = 100;
                return;
            } catch (Exception e) {
                LOG.warn("arena stream connect failed, retrying in {} ms: url={} reason={}", backoffMs, url, e.toString());
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMs = Math.min(5000, backoffMs * 2);
            }
        }
    }

    private void reconnect(int code, String reason) {
        socket = null;
        listener.onDisconnect(code, reason);
        if (running) {
            Thread.ofVirtual().name("arena-stream-connect").start(this::connect);
        }
    }

    private final class Receiver implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();

        /** True once: this connection is over (whoever ends it first reconnects). */
        boolean fail() {
            return failed.compareAndSet(false, true);
        }

        @Override
        public void onOpen(WebSocket w) {
            w.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            if (failed.get()) {
                return null;
            }
            if (last) {
                String json = text.toString();
                text.setLength(0);
                try {
                    StreamMessage m = StreamCodec.read(json);
                    if (m.type() == StreamMessage.Type.SNAPSHOT && m.reason() != null) {
                        refusedResumes.incrementAndGet();
                    }
                    StreamState next = StreamState.next(state, m);
                    state = next;
                    listener.onMessage(m, next);
                } catch (StreamFormatException | RuntimeException e) {
                    if (fail()) {
                        LOG.warn("arena stream message refused, resuming after seq {}: reason={}", state == null ? 0 : state.seq(), e.getMessage());
                        w.abort();
                        reconnect(1002, "message refused: " + e.getMessage());
                    }
                    return null;
                }
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            if (fail()) {
                reconnect(code, reason);
            }
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            if (fail()) {
                reconnect(1006, "connection lost: " + error);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        WebSocket w = socket;
        Receiver r = receiver;
        if (w != null && r != null && r.fail()) {
            w.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null);
            w.abort();
        }
    }
}
