package io.poolstate.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.poolstate.protocol.whitelist.WhitelistCodec;
import io.poolstate.protocol.whitelist.WhitelistFormatException;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a whitelist subject ({@code whitelist.pools.<chain>.minimal} for the feed, {@code .full} for the
 * arena) on NATS JetStream. On start, on reconnection and whenever the sink reports a gap, the subject's stored
 * messages are replayed from the beginning and handed over as one batch (so the sink can fold them and never
 * put an older list in force, even briefly); then new messages are passed on as they arrive. Malformed messages
 * are skipped with a logged reason and counted. While NATS is unreachable the client reconnects by itself and
 * the list in force stays.
 *
 * <p>Threads: the NATS dispatcher thread calls the sink; a virtual thread owns (re)subscription.
 */
public final class WhitelistSubscription implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WhitelistSubscription.class);

    private final NatsSettings nats;
    private final String subject;
    private final WhitelistSink sink;
    private final int maxMessageBytes;
    private volatile boolean running = true;
    private volatile boolean reconnected;
    private Connection nc;
    private Dispatcher dispatcher;
    private JetStreamSubscription sub;
    private final List<WhitelistMessage> replay = new ArrayList<>();
    private boolean replaying;
    private Thread watcher;

    /**
     * @param subject         {@code whitelist.pools.<chain>.minimal} (feed) or {@code .full} (arena)
     * @param maxMessageBytes larger payloads are rejected unread
     */
    public WhitelistSubscription(NatsSettings nats, String subject, WhitelistSink sink, int maxMessageBytes) {
        this.nats = nats;
        this.subject = subject;
        this.sink = sink;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** A subscription to {@code url} without authentication or TLS. */
    public WhitelistSubscription(String url, String subject, WhitelistSink sink, int maxMessageBytes) {
        this(NatsSettings.of(url), subject, sink, maxMessageBytes);
    }

    public String subject() {
        return subject;
    }

    public WhitelistSubscription start() {
        watcher = Thread.ofVirtual().name("nats-whitelist").start(this::watch);
        return this;
    }

    private void watch() {
        long backoff = 500;
        while (running) {
            try {
                if (nc == null) {
                    connect();
                }
                if (sub == null || sink.needsResync() || reconnected) {
                    reconnected = false;
                    subscribe();
                    backoff = 500;
                }
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (running) {
                    LOG.warn("whitelist subscription not ready, retrying in {} ms: subject={} reason={}", backoff, subject, e.getMessage());
                }
                sleep(backoff);
                backoff = Math.min(10_000, backoff * 2);
            }
        }
    }

    private void connect() throws Exception {
        ConnectionListener events = (conn, type) -> {
            LOG.info("nats connection: {} servers={}", type, nats.redacted());
            if (type == ConnectionListener.Events.RECONNECTED) {
                reconnected = true; // the server may have lost our consumer: subscribe again and replay
            }
        };
        nc = nats.connect(events);
        dispatcher = nc.createDispatcher();
    }

    /** (Re)subscribes from the first stored message; folds the replay into one full list before going live. */
    private synchronized void subscribe() throws Exception {
        if (sub != null) {
            dispatcher.unsubscribe(sub);
            sub = null;
        }
        JetStream js = nc.jetStream();
        replay.clear();
        replaying = true;
        ConsumerConfiguration cc = ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.All).build();
        sub = js.subscribe(subject, dispatcher, this::onMessage, false, PushSubscribeOptions.builder().ordered(true).configuration(cc).build());
        try {
            if (sub.getConsumerInfo().getNumPending() == 0 && sub.getConsumerInfo().getDelivered().getStreamSequence() == 0) {
                replaying = false; // nothing stored for the subject yet: pass messages on as they come
            }
        } catch (Exception e) {
            LOG.debug("consumer info unavailable; the first message decides: {}", e.getMessage());
        }
        LOG.info("whitelist subscribed: subject={} replaying={}", subject, replaying);
    }

    private synchronized void onMessage(Message m) {
        m.ack();
        WhitelistMessage w;
        try {
            w = WhitelistCodec.read(m.getData(), maxMessageBytes);
        } catch (WhitelistFormatException e) {
            sink.malformed(m.getSubject(), e.getMessage());
            LOG.warn("rejected whitelist message: subject={} bytes={} reason={}", m.getSubject(), m.getData().length, e.getMessage());
            return;
        }
        if (!replaying) {
            sink.live(w);
            return;
        }
        replay.add(w);
        if (m.metaData().pendingCount() == 0) {
            sink.resynced(List.copyOf(replay));
            replay.clear();
            replaying = false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        if (watcher != null) {
            watcher.interrupt();
        }
        if (nc != null) {
            try {
                nc.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
