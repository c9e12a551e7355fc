package io.poolstate.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamInfo;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.rpc.Backoff;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.feed.client.FeedClient;
import io.poolstate.feed.client.FeedSession;
import io.poolstate.feed.client.FeedSource;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.feed.FeedSubjects;
import io.poolstate.protocol.feed.FrameCodec;
import io.poolstate.protocol.feed.FrameFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed's block stream on JetStream as a {@link FeedSource}: the same frames as the socket, checked by the same
 * {@link FeedSession}, delivered to the same listener.
 *
 * <p>A session joins the stream at one message J — the last block delivered (its stream sequence, remembered
 * across sessions), or with none the newest message — after folding silently from the message that begins with
 * the replacing pool set in force at J ({@code Poolstate-Set-Seq}), so it knows the forwarded pools there; it
 * then says Hello (the head is the stream's tip at J), hands the listener that set as a replacing one, and
 * delivers every message after J as it arrives, through an ordered consumer. A fresh source given a block
 * (a checkpoint) looks for the newest message that leaves the stream at that block. When the stream no longer
 * holds J (retention) or never held that block, the listener gets a {@link FeedFrame.ResumeRejected} (rescrape),
 * and the session joins at the newest message. A commit of the block the session already stands on (a feed that
 * took over published it again after the duplicate window) is skipped; parts a newer first part overtook (a feed
 * that died while publishing a split message) are dropped. Silence is not an error (a quiet chain), but a stalled
 * consumer is (its NATS server died, and the ordered consumer's own heartbeat alarm would take 15 s): while no
 * message comes, the session looks at the stream's last sequence every {@link #STALL_CHECK} (or {@code readDeadline}
 * when shorter), and a message that was in the stream at one look and still not delivered at the next ends the
 * session, which rejoins after the last block it delivered; a look that gets no answer tells nothing, and
 * {@link #STALL_LOOKS_FAILED} of them in a row end the session too.
 *
 * <p>Owns one thread ({@code feed-stream-client}); the listener runs on it.
 */
public final class FeedStreamClient implements FeedSource {
    private static final Logger LOG = LoggerFactory.getLogger(FeedStreamClient.class);
    /** How often a quiet session compares the stream's last sequence with what it delivered. */
    static final Duration STALL_CHECK = Duration.ofSeconds(1);
    /**
     * JetStream API calls (stream info, message reads, consumer creation) give up after this long: while a cluster
     * elects new leaders after losing a node they go unanswered, and a short wait with a quick retry joins sooner
     * than a long one.
     */
    static final JetStreamOptions API = JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(1)).build();
    /** Stall looks in a row that got no answer before the session gives up and rejoins. */
    static final int STALL_LOOKS_FAILED = 3;

    private final Connection connection;
    private final long chainId;
    private final String stream;
    private final String subject;
    private final FeedClient.Listener listener;
    private final FeedClient.Settings settings;
    private volatile boolean running = true;
    private long tipNumber;
    private Bytes32 tipHash = Bytes32.ZERO;
    /** The stream sequence of the message after which the tip was reached (0: unknown). */
    private long tipSeq;
    private volatile String activeFeed;
    private Thread thread;
    private volatile JetStreamSubscription subscription;

    public FeedStreamClient(Connection connection, long afterNumber, Bytes32 afterHash, FeedClient.Listener listener, FeedClient.Settings settings) {
        if (settings.expectedChainId() <= 0) {
            throw new IllegalArgumentException("the feed stream is per chain: a chain id is needed");
        }
        this.connection = connection;
        this.chainId = settings.expectedChainId();
        this.stream = FeedSubjects.stream(chainId);
        this.subject = FeedSubjects.blocks(chainId);
        this.listener = new QuietReplace(listener);
        this.settings = settings;
        this.tipNumber = afterNumber;
        this.tipHash = afterHash == null ? Bytes32.ZERO : afterHash;
    }

    /**
     * Sources on the stream of the NATS servers in {@code nats}, sharing one connection (made on first use,
     * closed with the factory).
     */
    public static Factory factory(NatsSettings nats) {
        return new Factory(nats);
    }

    /** Opens {@link FeedStreamClient}s on one shared NATS connection. */
    public static final class Factory implements FeedSource.Factory, AutoCloseable {
        private final NatsSettings nats;
        private final AtomicReference<Connection> connection = new AtomicReference<>();

        Factory(NatsSettings nats) {
            this.nats = nats;
        }

        @Override
        public synchronized FeedSource open(long afterNumber, Bytes32 afterHash, FeedClient.Listener listener, FeedClient.Settings settings) {
            Connection c = connection.get();
            if (c == null) {
                try {
                    c = nats.connect((conn, type) -> LOG.info("nats connection (feed stream): {} servers={}", type, nats.redacted()));
                } catch (IOException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while connecting to NATS", e);
                }
                connection.set(c);
            }
            return new FeedStreamClient(c, afterNumber, afterHash, listener, settings);
        }

        @Override
        public String describe() {
            return "NATS JetStream " + nats.redacted();
        }

        @Override
        public void close() {
            NatsSettings.close(connection.getAndSet(null));
        }
    }

    @Override
    public FeedStreamClient start() {
        thread = Thread.ofPlatform().name("feed-stream-client").daemon().start(this::run);
        return this;
    }

    @Override
    public synchronized FeedFrame.Resume tip() {
        return new FeedFrame.Resume(tipNumber, tipHash);
    }

    /** The feed that published the last message read (its {@code Poolstate-Feed}), or null before any. */
    @Override
    public String activeFeed() {
        return activeFeed;
    }

    private void run() {
        Backoff backoff = Backoff.of(50, settings.maxBackoff().toMillis());
        while (running) {
            try {
                backoff = session() ? backoff.reset() : backoff;
            } catch (FrameFormatException e) {
                disconnected("protocol violation: " + e.getMessage());
            } catch (IOException | JetStreamApiException e) {
                disconnected(String.valueOf(e.getMessage()));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                listener.onDisconnect("listener failed: " + e);
                LOG.error("feed stream listener failed, rejoining: stream={} reason={}", stream, e.toString(), e);
            } finally {
                unsubscribe();
            }
            backoff = backoff.pause();
        }
    }

    private void disconnected(String reason) {
        if (running) {
            listener.onDisconnect(reason);
            LOG.debug("feed stream session ended: stream={} reason={}", stream, reason);
        }
    }

    /** Where a session joins: fold from {@code foldFrom}, deliver after {@code join}. */
    private record Join(long foldFrom, long join) {
    }

    /** One session: join, then deliver; true once something was delivered (the backoff starts over). */
    private boolean session() throws IOException, JetStreamApiException, FrameFormatException, InterruptedException {
        JetStreamManagement jsm = connection.jetStreamManagement(API);
        StreamInfo info;
        try {
            info = jsm.getStreamInfo(stream);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == FeedStreamWriter.STREAM_NOT_FOUND) {
                throw new IOException("stream " + stream + " does not exist yet (no feed has published for chain " + chainId + ")");
            }
            throw e;
        }
        long first = info.getStreamState().getFirstSequence();
        long last = info.getStreamState().getLastSequence();
        Join join = join(jsm, first, last);
        // fold silently up to the join point: the pool set and the tip there
        Recorder silentTip = new Recorder();
        FeedSession silent = new FeedSession(new FeedClient.Listener() {
            @Override
            public void onBlock(FeedBlock block) {
            }
        }, silentTip);
        Parts parts = new Parts();
        subscribe(Math.max(1, join.foldFrom()));
        long seen = join.foldFrom() - 1;
        boolean resuming = tipNumberKnown();
        while (running && seen < join.join()) {
            Message m = subscription.nextMessage(Duration.ofSeconds(5));
            if (m == null) {
                throw new IOException("stream " + stream + " gave no message while joining at sequence " + join.join());
            }
            FeedStreamMessage msg = FeedStreamMessage.of(m.metaData().streamSequence(), m.getHeaders(), m.getData());
            seen = msg.seq();
            byte[] body = parts.add(msg);
            if (body != null) {
                for (FeedFrame f : FeedStreamMessage.frames(body)) {
                    silent.accept(f);
                }
            }
        }
        if (!silent.poolsKnown() || silent.open()) {
            if (resuming) {
                rejected(FeedFrame.RejectReason.TOO_OLD, "the stream no longer holds the pool set in force at block " + tipNumber);
                return false;
            }
            throw new IOException("stream " + stream + " holds no replacing pool set before sequence " + join.join() + " (retention too short)");
        }
        long headNumber = join.join() == 0 ? 0 : silentTip.number;
        Bytes32 headHash = join.join() == 0 ? Bytes32.ZERO : silentTip.hash;
        synchronized (this) {
            tipNumber = headNumber;
            tipHash = headHash;
            tipSeq = join.join();
        }
        listener.onHello(new FeedFrame.Hello(FrameCodec.PROTOCOL_VERSION, chainId, headNumber, headHash, 0));
        FeedSession live = new FeedSession(listener, new FeedSession.TipSink() {
            @Override
            public void advanced(long number, Bytes32 hash) {
                synchronized (FeedStreamClient.this) {
                    tipNumber = number;
                    tipHash = hash;
                }
            }

            @Override
            public void reset() {
                synchronized (FeedStreamClient.this) {
                    tipNumber = 0;
                    tipHash = Bytes32.ZERO;
                }
            }
        });
        if (join.join() > 0) {
            live.accept(new FeedFrame.PoolSet(headNumber + 1, silent.snapshotId(), true, false, List.copyOf(silent.pools()), List.of()));
        }
        LOG.info("feed stream joined: stream={} after_block={} seq={} pools={}", stream, headNumber, join.join(), silent.pools().size());
        boolean progressed = false;
        StallWatch stall = new StallWatch(() -> jsm.getStreamInfo(stream).getStreamState().getLastSequence(),
                Math.min(STALL_CHECK.toNanos(), settings.readDeadline().toNanos()), System::nanoTime);
        while (running) {
            Message m = subscription.nextMessage(stall.pollWait());
            if (m == null) {
                stall.quiet(seen);
                continue;
            }
            FeedStreamMessage msg = FeedStreamMessage.of(m.metaData().streamSequence(), m.getHeaders(), m.getData());
            if (msg.seq() <= seen) {
                continue;
            }
            seen = msg.seq();
            activeFeed = msg.feedId();
            byte[] body = parts.add(msg);
            if (body == null) {
                continue;
            }
            if (msg.kind() == FeedSubjects.Kind.COMMIT && msg.number() == tip().afterBlockNumber() && msg.hash().equals(tip().afterBlockHash())) {
                LOG.info("feed stream: block {} {} published again, already applied: skipped (seq={})", msg.number(), msg.hash(), msg.seq());
                synchronized (this) {
                    tipSeq = msg.seq();
                }
                continue;
            }
            for (FeedFrame f : FeedStreamMessage.frames(body)) {
                live.accept(f);
            }
            progressed = true;
            if (!live.open()) {
                synchronized (this) {
                    tipSeq = msg.seq();
                }
            }
        }
        return progressed;
    }

    private synchronized boolean tipNumberKnown() {
        return tipNumber > 0;
    }

    /** Where to join: after the last delivered message, after the message that left the stream at the given block, or at the newest. */
    private Join join(JetStreamManagement jsm, long first, long last) throws IOException, JetStreamApiException, FrameFormatException {
        long n;
        Bytes32 h;
        long seq;
        synchronized (this) {
            n = tipNumber;
            h = tipHash;
            seq = tipSeq;
        }
        FeedStreamWriter reader = new FeedStreamWriter(connection, chainId, FeedStreamWriter.Limits.DEFAULT, "reader", API);
        if (n > 0 && seq > 0) {
            FeedStreamMessage at = seq >= first ? reader.get(seq) : null;
            if (at != null && at.tipNumber() == n && at.tipHash().equals(h) && at.last()) {
                return new Join(at.foldFrom(), seq);
            }
            rejected(FeedFrame.RejectReason.TOO_OLD, "the stream no longer holds sequence " + seq + " (block " + n + "; oldest sequence " + first + ")");
        } else if (n > 0) {
            for (long s = last; s >= first && s > 0; s--) {
                FeedStreamMessage m = reader.get(s);
                if (m != null && m.last() && m.tipNumber() == n && m.tipHash().equals(h)) {
                    return new Join(m.foldFrom(), s);
                }
                if (m != null && m.kind() == FeedSubjects.Kind.COMMIT && m.number() < n - 1024) {
                    break; // far below the block: it is not here
                }
            }
            rejected(FeedFrame.RejectReason.UNKNOWN_HASH, "block " + n + " " + h + " is not in the stream (sequences " + first + ".." + last + ")");
        }
        if (last == 0) {
            return new Join(1, 0);
        }
        FeedStreamMessage newest = reader.last();
        return new Join(newest == null ? 1 : newest.foldFrom(), last);
    }

    private void rejected(FeedFrame.RejectReason reason, String message) {
        synchronized (this) {
            tipNumber = 0;
            tipHash = Bytes32.ZERO;
            tipSeq = 0;
        }
        LOG.info("feed stream resume refused: stream={} reason={} {}", stream, reason, message);
        listener.onResumeRejected(new FeedFrame.ResumeRejected(reason, 0, message + ": rescrape"));
    }

    private void subscribe(long startSeq) throws IOException, JetStreamApiException {
        unsubscribe();
        PushSubscribeOptions o = PushSubscribeOptions.builder().stream(stream).ordered(true)
                .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(startSeq).build()).build();
        subscription = connection.jetStream(API).subscribe(subject, o);
    }

    private void unsubscribe() {
        JetStreamSubscription s = subscription;
        subscription = null;
        if (s != null) {
            try {
                s.unsubscribe();
            } catch (RuntimeException e) {
                LOG.debug("feed stream unsubscribe failed: {}", e.getMessage());
            }
        }
    }

    /**
     * Passes everything on but a replacing pool set equal to the set in force: the stream repeats its set every so
     * many blocks as a place to join, which changes nothing for a consumer already following.
     */
    private static final class QuietReplace implements FeedClient.Listener {
        private final FeedClient.Listener next;
        private java.util.Set<io.poolstate.dex.pool.PoolId> held;
        private long snapshot;

        QuietReplace(FeedClient.Listener next) {
            this.next = next;
        }

        @Override
        public void onHello(FeedFrame.Hello hello) {
            held = null; // a new session hands over its set again, whatever it is
            next.onHello(hello);
        }

        @Override
        public void onPoolSet(io.poolstate.feed.client.PoolSetChange change) {
            java.util.Set<io.poolstate.dex.pool.PoolId> now;
            if (change.replace()) {
                now = new java.util.HashSet<>(change.added());
                if (held != null && now.equals(held) && change.snapshotId() == snapshot) {
                    return;
                }
            } else {
                now = held == null ? new java.util.HashSet<>() : new java.util.HashSet<>(held);
                now.removeAll(change.removed());
                now.addAll(change.added());
            }
            held = now;
            snapshot = change.snapshotId();
            next.onPoolSet(change);
        }

        @Override
        public void onBlock(FeedBlock block) {
            next.onBlock(block);
        }

        @Override
        public void onHeartbeat(long headBlockNumber) {
            next.onHeartbeat(headBlockNumber);
        }

        @Override
        public void onRescrape(FeedFrame.Rescrape rescrape) {
            held = null;
            next.onRescrape(rescrape);
        }

        @Override
        public void onResumeRejected(FeedFrame.ResumeRejected rejected) {
            held = null;
            next.onResumeRejected(rejected);
        }

        @Override
        public void onDisconnect(String reason) {
            next.onDisconnect(reason);
        }
    }

    /**
     * Tells a stalled consumer from a quiet chain while no message comes: every {@code checkNanos} it looks at the
     * stream's last sequence; a sequence seen at one look and still not delivered at the next is a stall. A look that
     * gets no answer tells nothing; {@link #STALL_LOOKS_FAILED} in a row end the session too. Session thread only.
     */
    static final class StallWatch {
        /** The stream's last sequence, asked of the server. */
        @FunctionalInterface
        interface LastSequence {
            long get() throws IOException, JetStreamApiException;
        }

        private final LastSequence lastSequence;
        private final long checkNanos;
        private final LongSupplier clock;
        private long lastCheck;
        /** A sequence the stream held at the last look that was not delivered then (0: none). */
        private long waitingFor;
        private int failedLooks;

        /** {@code clock}: nanoseconds, as {@link System#nanoTime}. */
        StallWatch(LastSequence lastSequence, long checkNanos, LongSupplier clock) {
            this.lastSequence = lastSequence;
            this.checkNanos = checkNanos;
            this.clock = clock;
            this.lastCheck = clock.getAsLong();
        }

        /** How long to wait for a message before looking again: half the interval, 10 to 500 ms. */
        Duration pollWait() {
            return Duration.ofMillis(Math.max(10, Math.min(500, checkNanos / 2_000_000)));
        }

        /** No message came; {@code seen}: the last stream sequence delivered. Throws when the consumer stalled. */
        void quiet(long seen) throws IOException, JetStreamApiException {
            long now = clock.getAsLong();
            if (now - lastCheck < checkNanos) {
                return;
            }
            if (waitingFor > seen) {
                throw new IOException("stream message " + waitingFor + " not delivered within " + (now - lastCheck) / 1_000_000
                        + " ms (last delivered " + seen + "): the consumer stalled");
            }
            lastCheck = now;
            long newest;
            try {
                newest = lastSequence.get();
            } catch (IOException | JetStreamApiException e) {
                if (++failedLooks >= STALL_LOOKS_FAILED) {
                    throw e;
                }
                return;
            }
            failedLooks = 0;
            waitingFor = newest > seen ? newest : 0;
        }
    }

    /** Records where a silent fold stands. */
    private static final class Recorder implements FeedSession.TipSink {
        long number;
        Bytes32 hash = Bytes32.ZERO;

        @Override
        public void advanced(long number, Bytes32 hash) {
            this.number = number;
            this.hash = hash;
        }

        @Override
        public void reset() {
            number = 0;
            hash = Bytes32.ZERO;
        }
    }

    /** Joins the parts of split messages; drops parts a newer first part overtook. */
    static final class Parts {
        private final List<byte[]> bodies = new ArrayList<>();
        private FeedStreamMessage open;

        /** The whole body once the message is complete, else null. */
        byte[] add(FeedStreamMessage m) {
            if (m.part() == 1) {
                if (open != null) {
                    LOG.warn("feed stream: split message of block {} {} left incomplete at part {}/{} (its publisher stopped): dropped",
                            open.number(), open.hash(), bodies.size(), open.parts());
                }
                bodies.clear();
                open = m;
            } else if (open == null || m.part() != bodies.size() + 1 || !m.hash().equals(open.hash()) || m.parts() != open.parts()) {
                return null; // a part without its beginning (the session joined inside the message): skipped
            }
            bodies.add(m.data());
            if (!m.last()) {
                return null;
            }
            open = null;
            if (bodies.size() == 1) {
                return bodies.remove(0);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            bodies.forEach(out::writeBytes);
            bodies.clear();
            return out.toByteArray();
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        unsubscribe();
    }
}
