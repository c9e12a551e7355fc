package io.poolstate.feed.whitelist;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.protocol.whitelist.UpdateType;
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
public final class NatsWhitelistAgent implements AutoCloseable {
    /** Receives the subject's messages. */
    public interface Sink {
        /** Every stored message, in order, after (re)subscribing. */
        void replayed(List<WhitelistMessage> stored);

        /** A message published after the replay. */
        void live(WhitelistMessage message);

        /** True when a gap was found and the stored messages should be replayed again. */
        boolean needsResync();
    }

    /** The feed's sink: folds a replay into one full list and queues it (or the messages) on the tracker. */
    public static Sink forTracker(WhitelistTracker tracker) {
        return new Sink() {
            @Override
            public void replayed(List<WhitelistMessage> stored) {
                WhitelistMessage folded = fold(stored);
                if (folded != null) {
                    tracker.offer(folded);
                    LOG.info("whitelist replayed: pools={} snapshot={}", folded.poolIds().size(), folded.snapshotId());
                } else {
                    stored.forEach(tracker::offer); // no full list stored: the tracker judges the diffs
                }
            }

            @Override
            public void live(WhitelistMessage message) {
                tracker.offer(message);
            }

            @Override
            public boolean needsResync() {
                return tracker.needsResync();
            }
        };
    }
    private static final Logger LOG = LoggerFactory.getLogger(NatsWhitelistAgent.class);

    private final String url;
    private final String subject;
    private final Sink sink;
    private final Runnable onMalformed;
    private final int maxMessageBytes;
    private volatile boolean running = true;
    private volatile boolean reconnected;
    private Connection nc;
    private Dispatcher dispatcher;
    private JetStreamSubscription sub;
    private final List<WhitelistMessage> replay = new ArrayList<>();
    private boolean replaying;
    private Thread watcher;

    /** The feed's subscription: {@code whitelist.pools.<chain>.minimal} into the tracker. */
    public NatsWhitelistAgent(String url, String chain, WhitelistTracker tracker, FeedMetrics metrics, int maxMessageBytes) {
        this(url, "whitelist.pools." + chain + ".minimal", forTracker(tracker), () -> metrics.malformed("nats"), maxMessageBytes);
    }

    public NatsWhitelistAgent(String url, String subject, Sink sink, Runnable onMalformed, int maxMessageBytes) {
        this.url = url;
        this.subject = subject;
        this.sink = sink;
        this.onMalformed = onMalformed;
        this.maxMessageBytes = maxMessageBytes;
    }

    public String subject() {
        return subject;
    }

    public NatsWhitelistAgent start() {
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
            LOG.info("nats connection: {} url={}", type, url);
            if (type == ConnectionListener.Events.RECONNECTED) {
                reconnected = true; // the server may have lost our consumer: subscribe again and replay
            }
        };
        nc = Nats.connect(new Options.Builder().server(url).maxReconnects(-1).reconnectWait(Duration.ofMillis(500))
                .connectionListener(events).build());
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
            onMalformed.run();
            LOG.warn("rejected whitelist message: subject={} bytes={} reason={}", m.getSubject(), m.getData().length, e.getMessage());
            return;
        }
        if (!replaying) {
            sink.live(w);
            return;
        }
        replay.add(w);
        if (m.metaData().pendingCount() == 0) {
            sink.replayed(List.copyOf(replay));
            replay.clear();
            replaying = false;
        }
    }

    /** The list the replayed messages add up to: the last full one plus the diffs that follow it in order. */
    static WhitelistMessage fold(List<WhitelistMessage> messages) {
        WhitelistTracker scratch = new WhitelistTracker(java.util.Set.of(), false);
        int lastFull = -1;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).type() == UpdateType.FULL) {
                lastFull = i;
            }
        }
        if (lastFull < 0) {
            return null;
        }
        messages.subList(lastFull, messages.size()).forEach(scratch::offer);
        scratch.applyPending();
        Whitelist w = scratch.current();
        List<io.poolstate.dex.pool.PoolId> ids = new ArrayList<>();
        w.addresses().forEach(a -> ids.add(io.poolstate.dex.pool.PoolId.of(a)));
        w.v4Ids().forEach(v -> ids.add(io.poolstate.dex.pool.PoolId.of(v)));
        return new WhitelistMessage(UpdateType.FULL, null, w.snapshotId(), null, null, List.of(), ids);
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
