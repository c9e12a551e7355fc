package io.poolstate.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import io.poolstate.eth.rpc.Backoff;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.protocol.whitelist.WhitelistAssembler;
import io.poolstate.protocol.whitelist.WhitelistCodec;
import io.poolstate.protocol.whitelist.WhitelistFormatException;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.protocol.whitelist.WhitelistPart;
import io.poolstate.protocol.whitelist.WhitelistSubjects;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a whitelist subject ({@code whitelist.pools.<chain>.minimal} for the feed, {@code .full} for the arena)
 * on NATS JetStream.
 *
 * <p>On start, on reconnection, when the sink reports a gap and when a split list could not be completed, it
 * re-syncs: it reads the subject's last stored message, whose headers ({@link WhitelistSubjects}) name the stream
 * sequence of the newest complete full list, and replays the subject from there (an ordered consumer), so it
 * never reads older lists. The replay goes to the sink as one batch ({@link WhitelistSink#resynced}); then new
 * messages are passed on as they arrive ({@link WhitelistSink#live}). Without usable headers (messages from
 * another publisher) or when the replay holds no full list, it replays the subject from its first stored message,
 * which the stream's retention bounds.
 *
 * <p>Re-syncs are paced: at most one per {@code minResyncInterval}, the interval doubling up to
 * {@code maxResyncInterval} while re-syncs keep being asked for, back to the minimum after a calm period; so a
 * burst of bad messages cannot make it replay in a loop.
 *
 * <p>Every message is read strictly ({@link WhitelistCodec#readMessage}); split lists are put together by a
 * {@link WhitelistAssembler} and passed on only when complete. A message that cannot be read, or a split list
 * dropped (too large, incomplete past {@code partTimeout}, inconsistent), goes to
 * {@link WhitelistSink#malformed} with the reason and is counted; it changes nothing. While NATS is unreachable
 * the client reconnects by itself and the sink's list stays.
 *
 * <p>Threads: the NATS dispatcher thread calls the sink; a virtual thread owns (re)subscription, pacing and
 * expiry of incomplete lists. Reading and assembly happen under this object's lock.
 */
public final class WhitelistSubscription implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WhitelistSubscription.class);
    private static final int NO_MESSAGE_FOUND = 10037;

    /**
     * @param maxListBytes      the largest update taken, all its parts together (bytes); larger ones are dropped
     * @param partTimeout       how long the parts of a split list may take to arrive
     * @param minResyncInterval the shortest time between two re-syncs
     * @param maxResyncInterval the longest, reached by doubling while re-syncs keep being asked for
     */
    public record Settings(int maxListBytes, Duration partTimeout, Duration minResyncInterval, Duration maxResyncInterval) {
        public Settings {
            if (maxListBytes <= 0 || minResyncInterval.isNegative() || maxResyncInterval.compareTo(minResyncInterval) < 0) {
                throw new IllegalArgumentException("subscription settings out of range: max_list_bytes=" + maxListBytes + " min_resync=" + minResyncInterval
                        + " max_resync=" + maxResyncInterval);
            }
        }

        /** Parts within 30 s; re-syncs from 1 s apart, doubling up to a minute. */
        public static Settings defaults(int maxListBytes) {
            return new Settings(maxListBytes, Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(1));
        }
    }

    private final NatsSettings nats;
    private final String subject;
    private final WhitelistSink sink;
    private final Settings settings;
    private final WhitelistCodec.Expect expect;
    private final WhitelistAssembler assembler;
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private volatile boolean running = true;
    private volatile long expectedChainId;
    private volatile boolean reconnected;
    private volatile boolean resyncWanted;
    private volatile boolean replayFromStart;
    private Connection nc;
    private Dispatcher dispatcher;
    private JetStreamSubscription sub;
    private final List<WhitelistMessage> replay = new ArrayList<>();
    private boolean replaying;
    private long replayFrom;
    private Thread watcher;

    /**
     * @param subject         {@code whitelist.pools.<chain>.minimal} (feed) or {@code .full} (arena)
     * @param maxMessageBytes the largest update taken (all its parts together); the other settings are defaults
     */
    public WhitelistSubscription(NatsSettings nats, String subject, WhitelistSink sink, int maxMessageBytes) {
        this(nats, subject, sink, Settings.defaults(maxMessageBytes));
    }

    public WhitelistSubscription(NatsSettings nats, String subject, WhitelistSink sink, Settings settings) {
        this.nats = nats;
        this.subject = subject;
        this.sink = sink;
        this.settings = settings;
        this.expect = WhitelistCodec.Expect.forSubject(subject, settings.maxListBytes());
        this.assembler = new WhitelistAssembler(settings.maxListBytes(), settings.partTimeout());
    }

    public String subject() {
        return subject;
    }

    /** NATS messages received on the subject (replayed or live), since start. */
    public long messagesRead() {
        return messages.get();
    }

    /** Messages and split lists refused (also reported to the sink), since start. */
    public long malformedMessages() {
        return malformed.get();
    }

    /** (Re)subscriptions with a replay, the first one included, since start. */
    public long resyncs() {
        return resyncs.get();
    }

    /**
     * Refuses messages whose {@value WhitelistSubjects#CHAIN_ID_HEADER} names another chain than {@code chainId} (the
     * consumer's node's): a list made for another chain, published under this chain's name, is counted as malformed
     * and changes nothing. Messages without the header (older publishers) are taken. Before {@link #start()}.
     */
    public WhitelistSubscription chainId(long chainId) {
        this.expectedChainId = chainId;
        return this;
    }

    public WhitelistSubscription start() {
        watcher = Thread.ofVirtual().name("nats-whitelist").start(this::watch);
        return this;
    }

    private void watch() {
        Backoff backoff = Backoff.of(500, 10_000);
        long minPace = settings.minResyncInterval().toNanos();
        long maxPace = settings.maxResyncInterval().toNanos();
        long pace = minPace;
        long lastResync = System.nanoTime() - 3 * maxPace;
        while (running) {
            try {
                if (nc == null) {
                    connect();
                }
                long now = System.nanoTime();
                expireParts(now);
                if (replayFromStart) {
                    replayFromStart = false;
                    subscribe(false);
                }
                boolean wanted = sub == null || reconnected || resyncWanted || sink.needsResync();
                if (wanted && now - lastResync >= pace) {
                    boolean calm = now - lastResync > 2 * maxPace;
                    reconnected = false;
                    resyncWanted = false;
                    subscribe(true);
                    resyncs.incrementAndGet();
                    pace = calm ? minPace : Math.min(maxPace, Math.max(minPace, pace * 2));
                    lastResync = now;
                }
                backoff = backoff.reset();
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (running) {
                    LOG.warn("whitelist subscription not ready, retrying in {} ms: subject={} reason={}", backoff.millis(), subject, e.getMessage());
                }
                backoff = backoff.pause();
            }
        }
    }

    /** The one place a connection is opened. */
    private void connect() throws Exception {
        ConnectionListener events = (conn, type) -> {
            LOG.info("nats connection: {} servers={}", type, nats.redacted());
            if (type == ConnectionListener.Events.RECONNECTED) {
                reconnected = true; // the server may have lost our consumer, or its store: re-sync
            }
        };
        nc = nats.connect(events);
        dispatcher = nc.createDispatcher();
    }

    /**
     * (Re)subscribes and replays: from the newest complete full list when the last message's headers name it
     * ({@code fromLatestFull}), else from the first stored message.
     */
    private synchronized void subscribe(boolean fromLatestFull) throws Exception {
        if (sub != null) {
            dispatcher.unsubscribe(sub);
            sub = null;
        }
        replay.clear();
        assembler.reset();
        JetStreamManagement jsm = nc.jetStreamManagement();
        List<String> streams = jsm.getStreamNames(subject);
        if (streams.isEmpty()) {
            throw new IllegalStateException("no JetStream stream stores subject=" + subject + " (the whitelist publisher creates it)");
        }
        String stream = streams.get(0);
        replayFrom = fromLatestFull ? latestFullSequence(jsm, stream) : 0;
        ConsumerConfiguration cc = replayFrom > 0
                ? ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(replayFrom).build()
                : ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.All).build();
        replaying = true;
        sub = nc.jetStream().subscribe(subject, dispatcher, this::onMessage, false,
                PushSubscribeOptions.builder().stream(stream).ordered(true).configuration(cc).build());
        try {
            ConsumerInfo info = sub.getConsumerInfo();
            if (info.getNumPending() == 0 && info.getDelivered().getConsumerSequence() == 0) {
                replaying = false; // nothing stored for the subject: pass messages on as they come
            }
        } catch (Exception e) {
            LOG.debug("consumer info unavailable; the first message decides: {}", e.getMessage());
        }
        LOG.info("whitelist subscribed: subject={} stream={} from_sequence={} replaying={}", subject, stream,
                replayFrom > 0 ? Long.toString(replayFrom) : "first", replaying);
    }

    /** The stream sequence of the newest complete full list on the subject, from its last message's headers; 0 when unknown. */
    private long latestFullSequence(JetStreamManagement jsm, String stream) throws IOException, JetStreamApiException {
        MessageInfo last;
        try {
            last = jsm.getLastMessage(stream, subject);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
                return 0;
            }
            throw e;
        }
        Headers h = last.getHeaders();
        if (h != null && WhitelistSubjects.isWholeFull(h.getFirst(WhitelistSubjects.UPDATE_HEADER))) {
            return last.getSeq();
        }
        String marker = h == null ? null : h.getFirst(WhitelistSubjects.FULL_SEQ_HEADER);
        try {
            long seq = marker == null ? 0 : Long.parseLong(marker.trim());
            if (seq >= 1 && seq <= last.getSeq()) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // not ours: replay from the start
        }
        LOG.info("no full-list marker on the subject's last message, replaying the subject: subject={} sequence={} {}={}", subject, last.getSeq(),
                WhitelistSubjects.FULL_SEQ_HEADER, marker);
        return 0;
    }

    private synchronized void onMessage(Message m) {
        m.ack();
        messages.incrementAndGet();
        byte[] data = m.getData() == null ? new byte[0] : m.getData();
        String chainId = m.getHeaders() == null ? null : m.getHeaders().getFirst(WhitelistSubjects.CHAIN_ID_HEADER);
        if (expectedChainId > 0 && chainId != null && !chainId.trim().equals(Long.toString(expectedChainId))) {
            reject("chain_id=" + chainId.trim() + " expected=" + expectedChainId + " (a list made on another chain)", m);
        } else {
            read(m, data);
        }
        if (replaying && m.isJetStream() && m.metaData().pendingCount() == 0) {
            finishReplay();
        }
    }

    private void read(Message m, byte[] data) {
        try {
            WhitelistPart p = WhitelistCodec.readMessage(data, expect);
            for (WhitelistAssembler.Result r : assembler.accept(p, data.length, System.nanoTime())) {
                switch (r) {
                    case WhitelistAssembler.Result.Complete c -> deliver(c.message());
                    case WhitelistAssembler.Result.Dropped d -> {
                        reject(d.reason(), m);
                        resyncWanted = true; // the stream may hold the list whole: read it again (paced)
                    }
                    case WhitelistAssembler.Result.Waiting w -> {
                    }
                }
            }
        } catch (WhitelistFormatException e) {
            reject(e.getMessage(), m);
        }
    }

    private void deliver(WhitelistMessage w) {
        if (replaying) {
            replay.add(w);
        } else {
            sink.live(w);
        }
    }

    private void finishReplay() {
        boolean full = replay.stream().anyMatch(w -> w.type() == UpdateType.FULL);
        if (!full && replayFrom > 0) {
            LOG.warn("no complete full list from the marked sequence, replaying the subject from its start: subject={} from_sequence={}", subject, replayFrom);
            replay.clear();
            replayFromStart = true; // the watcher re-subscribes; nothing is passed on meanwhile
            return;
        }
        replaying = false;
        sink.resynced(List.copyOf(replay));
        replay.clear();
    }

    private void reject(String reason, Message m) {
        malformed.incrementAndGet();
        sink.malformed(m.getSubject(), reason);
        LOG.warn("rejected whitelist message: subject={} sequence={} bytes={} reason={}", m.getSubject(),
                m.isJetStream() ? m.metaData().streamSequence() : -1, m.getData() == null ? 0 : m.getData().length, reason);
    }

    private synchronized void expireParts(long now) {
        WhitelistAssembler.Result.Dropped d = assembler.expire(now);
        if (d != null) {
            malformed.incrementAndGet();
            sink.malformed(subject, d.reason());
            LOG.warn("dropped an incomplete split whitelist list, re-syncing: subject={} reason={}", subject, d.reason());
            resyncWanted = true; // its parts may all be stored by now
        }
    }

    @Override
    public void close() {
        running = false;
        if (watcher != null) {
            watcher.interrupt();
        }
        NatsSettings.close(nc);
    }
}
