package io.poolstate.feed.stream;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.rpc.Backoff;
import io.poolstate.feed.chain.BlockSink;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.feed.client.FeedClient;
import io.poolstate.feed.client.FeedSession;
import io.poolstate.feed.client.PoolSetChange;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.feed.socket.BlockFrames;
import io.poolstate.feed.socket.PoolSetFrames;
import io.poolstate.feed.whitelist.Whitelist;
import io.poolstate.nats.FeedLease;
import io.poolstate.nats.FeedStreamMessage;
import io.poolstate.nats.FeedStreamWriter;
import io.poolstate.nats.NatsSettings;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.feed.FeedSubjects;
import io.poolstate.protocol.feed.FrameCodec;
import io.poolstate.protocol.feed.FrameFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the feed's blocks to the chain's JetStream stream ({@link FeedSubjects}) while this feed holds the
 * chain's lease ({@link FeedLease}); every feed of the chain follows the chain all the time, so a follower is ready
 * when the active feed stops.
 *
 * <p>The publisher keeps the stream equal to its view of the chain: after every block the follower hands it, and
 * after taking the lease, it compares the stream's tip with its canonical blocks. A tip on its chain: the blocks
 * after it are published. A tip off its chain (the previous feed saw a fork this one does not, or its follower
 * reverted the block): the stream's blocks
 * are reverted, newest first, down to one on its chain — blocks it published itself with their own revert frames,
 * blocks it found in the stream (after a take-over) with revert frames made from the stream's own frames — then its
 * blocks follow. A tip ahead of its chain that its follower has not seen: it waits for the follower. A tip older
 * than its history, or a fork deeper than the stream's blocks it knows: a rescrape message, then its newest block. The first block
 * after a take-over, and one block in every {@code replaceEvery}, begins with a replacing pool set, so a consumer can
 * join anywhere in the retained stream. Every publish expects the subject's last sequence to be the one it knows:
 * a publish by another feed in between fails it, and this feed stops publishing at once; so does a lease it could
 * not renew in time.
 *
 * <p>Threads: owns {@code feed-stream} (all state here is confined to it); {@link BlockSink} calls only queue.
 */
public final class StreamPublisher implements BlockSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamPublisher.class);

    /**
     * @param feedId       this feed's name in the lease and in every message it publishes
     * @param replaceEvery a replacing pool set at least every this many blocks
     * @param historyBlocks canonical blocks kept to continue or revert the stream
     */
    public record Settings(String feedId, FeedStreamWriter.Limits limits, Duration leaseTtl, int replaceEvery, int historyBlocks) {
        public Settings {
            if (feedId == null || feedId.isBlank() || feedId.contains(" ")) {
                throw new IllegalArgumentException("feed id must be a non-empty word: value=" + feedId);
            }
            if (replaceEvery < 1 || replaceEvery * 4L > limits.maxMsgs()) {
                throw new IllegalArgumentException("--nats-replace-every must lie in 1.." + limits.maxMsgs() / 4
                        + " (a quarter of the stream's messages, so a replacing set is always retained): value=" + replaceEvery);
            }
        }
    }

    private sealed interface Event {
    }

    private record Commit(BlockFrames block) implements Event {
    }

    private record Revert(BlockFrames block) implements Event {
    }

    private record Rescrape(FeedFrame.Rescrape frame) implements Event {
    }

    /** A block the stream holds at its tip: how to undo it, and the pool set consumers hold after (null: unchanged). */
    private record StreamBlock(long number, Bytes32 hash, Bytes32 parentHash, List<byte[]> undo, Whitelist poolsAfterRevert) {
    }

    private final NatsSettings nats;
    private final long chainId;
    private final Settings settings;
    private final FeedMetrics metrics;
    private final BlockingQueue<Event> inbox = new LinkedBlockingQueue<>();
    private final TreeMap<Long, BlockFrames> chain = new TreeMap<>();
    private final Deque<StreamBlock> stack = new ArrayDeque<>();
    /** Blocks this feed's follower committed lately (reverted ones included): a stream tip among them is not one to wait for. */
    private final java.util.Set<Bytes32> followed = java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Bytes32, Boolean> eldest) {
            return size() > 4 * settings.historyBlocks();
        }
    });
    private volatile boolean running = true;
    private Thread thread;
    private Connection connection;
    private FeedStreamWriter writer;
    private FeedLease lease;
    private boolean active;
    private long lastSeq;
    private long setSeq;
    private long tipNumber;
    private Bytes32 tipHash = Bytes32.ZERO;
    private Whitelist announced;
    private int sinceReplace;
    private long nextLeaseNanos;

    public StreamPublisher(NatsSettings nats, long chainId, Settings settings, FeedMetrics metrics) {
        this.nats = nats;
        this.chainId = chainId;
        this.settings = settings;
        this.metrics = metrics;
    }

    public StreamPublisher start() {
        thread = Thread.ofPlatform().name("feed-stream").start(this::run);
        return this;
    }

    /** Whether this feed publishes the stream now (any thread). */
    public boolean active() {
        return metrics.streamActive.get() == 1;
    }

    @Override
    public void committed(BlockFrames block) {
        inbox.add(new Commit(block));
    }

    @Override
    public void reverted(BlockFrames block) {
        inbox.add(new Revert(block));
    }

    @Override
    public void rescrape(FeedFrame.Rescrape rescrape) {
        inbox.add(new Rescrape(rescrape));
    }

    private void run() {
        // at most a second between attempts: a cluster that lost a node answers again within seconds, and a follower
        // waiting out a long backoff would leave the stream without a publisher that much longer
        Backoff backoff = Backoff.of(200, 1_000);
        while (running) {
            try {
                if (connection == null) {
                    connection = nats.connect((c, type) -> LOG.info("nats connection (feed stream): {} servers={}", type, nats.redacted()));
                    writer = new FeedStreamWriter(connection, chainId, settings.limits(), settings.feedId());
                    writer.ensureStream();
                    lease = new FeedLease(connection, chainId, settings.feedId(), settings.leaseTtl(), settings.limits().replicas());
                    lease.ensureBucket();
                    LOG.info("feed stream publisher ready: feed={} subject={} lease_ttl={} (following; publishing while it holds the lease)",
                            settings.feedId(), writer.subject(), settings.leaseTtl());
                }
                loop();
            } catch (InterruptedException e) {
                break;
            } catch (IOException | JetStreamApiException | FrameFormatException | RuntimeException e) {
                if (!running) {
                    break;
                }
                if (lease == null || !lease.held()) {
                    deactivate("NATS error: " + e.getMessage());
                } // else: still the lease holder; the next sync publishes again from the stream's tip (same message ids)
                if (e instanceof RuntimeException) {
                    metrics.threadFailure("feed-stream");
                    LOG.error("feed stream publisher failed, continuing in {} ms: reason={}", backoff.millis(), e.toString(), e);
                } else {
                    LOG.warn("feed stream publisher: NATS unavailable, retrying in {} ms: reason={}", backoff.millis(), e.getMessage());
                }
                backoff = backoff.pause();
            }
        }
        if (lease != null && active) {
            lease.release();
        }
        deactivate("stopped");
    }

    private void loop() throws InterruptedException, IOException, JetStreamApiException, FrameFormatException {
        long wait = Math.max(20, settings.leaseTtl().toMillis() / 8);
        while (running) {
            Event e = inbox.poll(wait, TimeUnit.MILLISECONDS);
            while (e != null) {
                record(e);
                e = inbox.poll();
            }
            upkeep();
            if (active) {
                sync();
            }
        }
    }

    /** Keeps the chain view: canonical blocks by number, bounded. */
    private void record(Event e) throws IOException, JetStreamApiException {
        switch (e) {
            case Commit c -> {
                chain.tailMap(c.block().number(), true).clear();
                chain.put(c.block().number(), c.block());
                followed.add(c.block().hash());
                while (chain.size() > settings.historyBlocks()) {
                    chain.pollFirstEntry();
                }
            }
            case Revert r -> chain.remove(r.block().number(), r.block());
            case Rescrape r -> {
                chain.clear();
                if (active) {
                    publishRescrape(r.frame());
                }
            }
        }
    }

    /** Renews the lease when due (losing it stops publishing), or tries to take it. */
    private void upkeep() throws IOException, JetStreamApiException, FrameFormatException {
        if (active && !lease.held()) {
            deactivate("lease not renewed within its validity");
        }
        if (System.nanoTime() < nextLeaseNanos) {
            return;
        }
        nextLeaseNanos = System.nanoTime() + settings.leaseTtl().dividedBy(4).toNanos();
        if (active) {
            if (!lease.renew()) {
                deactivate("another feed holds the lease");
            }
        } else if (!chain.isEmpty() && lease.tryAcquire()) {
            takeOver();
        }
    }

    /** Took the lease: read where the stream stands, then continue it. */
    private void takeOver() throws IOException, JetStreamApiException, FrameFormatException {
        long t0 = System.nanoTime();
        stack.clear();
        tipNumber = 0;
        tipHash = Bytes32.ZERO;
        setSeq = 0;
        announced = null;
        FeedStreamMessage last = writer.last();
        lastSeq = last == null ? 0 : last.seq();
        if (last != null) {
            fold(last);
        }
        active = true;
        metrics.streamActive.set(1);
        metrics.streamTakeovers.increment();
        LOG.info("feed stream lease taken: feed={} stream_tip={} {} last_seq={} stream_blocks_known={} my_head={} ms={}", settings.feedId(), tipNumber,
                tipHash, lastSeq, stack.size(), chain.isEmpty() ? 0 : chain.lastKey(), (System.nanoTime() - t0) / 1_000_000);
        sync();
    }

    /** Reads the stream from the replacing set in force at its last message to the end: its tip, its blocks and their pool sets. */
    private void fold(FeedStreamMessage last) throws IOException, JetStreamApiException, FrameFormatException {
        long from = last.foldFrom();
        List<FeedStreamMessage> messages = new ArrayList<>();
        for (long s = from; s <= last.seq(); s++) {
            FeedStreamMessage m = writer.get(s);
            if (m == null) {
                LOG.warn("feed stream: message {} missing while reading the tail (retention): a rescrape follows", s);
                return;
            }
            messages.add(m);
        }
        StreamFold f = new StreamFold();
        FeedSession session = new FeedSession(f, f);
        List<byte[]> bodies = new ArrayList<>();
        FeedStreamMessage open = null;
        for (FeedStreamMessage m : messages) {
            if (m.part() == 1) {
                bodies.clear();
                open = m;
            } else if (open == null || !m.hash().equals(open.hash()) || m.part() != bodies.size() + 1) {
                continue;
            }
            bodies.add(m.data());
            if (!m.last()) {
                continue;
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            bodies.forEach(body::writeBytes);
            f.beginMessage();
            for (FeedFrame frame : FeedStreamMessage.frames(body.toByteArray())) {
                session.accept(frame);
            }
            f.endMessage();
            setSeq = m.foldFrom();
        }
        if (!session.poolsKnown() || session.open()) {
            LOG.warn("feed stream: the tail holds no usable replacing pool set (from seq {}): a rescrape follows", from);
            return;
        }
        stack.addAll(f.stack);
        tipNumber = f.tipNumber;
        tipHash = f.tipHash;
        announced = f.current;
    }

    /** Brings the stream to this feed's chain. */
    private void sync() throws IOException, JetStreamApiException {
        while (active && !chain.isEmpty()) {
            if (tipNumber == 0) {
                publishCommit(chain.lastEntry().getValue()); // an empty or rescraped stream: consumers start from the newest block
                continue;
            }
            BlockFrames mine = chain.get(tipNumber);
            if (mine != null && mine.hash().equals(tipHash)) {
                for (BlockFrames b : List.copyOf(chain.tailMap(tipNumber, false).values())) {
                    publishCommit(b);
                }
                return;
            }
            if (tipNumber > chain.lastKey() && !followed.contains(tipHash)) {
                return; // the stream is ahead of this feed's follower (a block it has not seen yet): wait for it
            }
            if (tipNumber < chain.firstKey() || stack.isEmpty()) {
                publishRescrape(new FeedFrame.Rescrape(tipNumber, "the stream's block " + tipNumber + " " + tipHash
                        + " cannot be joined to feed " + settings.feedId() + "'s chain"));
                continue;
            }
            StreamBlock top = stack.pollLast();
            if (top.number() != tipNumber || !top.hash().equals(tipHash)) {
                publishRescrape(new FeedFrame.Rescrape(tipNumber, "the stream's tip is not the block it knows"));
                continue;
            }
            publish(top.number(), top.hash(), top.parentHash(), FeedSubjects.Kind.REVERT, top.undo(), false);
            tipNumber = top.number() - 1;
            tipHash = top.parentHash();
            if (top.poolsAfterRevert() != null) {
                announced = top.poolsAfterRevert();
            }
            metrics.streamReverts.increment();
        }
    }

    private void publishCommit(BlockFrames b) throws IOException, JetStreamApiException {
        boolean replace = announced == null || !b.follows(announced) || sinceReplace + 1 >= settings.replaceEvery();
        publish(b.number(), b.hash(), b.parentHash(), FeedSubjects.Kind.COMMIT, replace ? b.replaceWith() : b.live(), replace);
        sinceReplace = replace ? 0 : sinceReplace + 1;
        announced = b.pools();
        tipNumber = b.number();
        tipHash = b.hash();
        stack.addLast(new StreamBlock(b.number(), b.hash(), b.parentHash(), b.undo(), b.parentPools()));
        while (stack.size() > settings.historyBlocks()) {
            stack.pollFirst();
        }
    }

    private void publishRescrape(FeedFrame.Rescrape r) throws IOException, JetStreamApiException {
        publish(r.fromBlockNumber(), Bytes32.ZERO, Bytes32.ZERO, FeedSubjects.Kind.RESCRAPE, List.of(FrameCodec.encode(r)), false);
        LOG.warn("feed stream: rescrape published: feed={} reason={}", settings.feedId(), r.reason());
        stack.clear();
        tipNumber = 0;
        tipHash = Bytes32.ZERO;
        announced = null;
    }

    /** One message, expecting the stream's last sequence to be ours; another writer in between ends our turn. */
    private void publish(long number, Bytes32 hash, Bytes32 parent, FeedSubjects.Kind kind, List<byte[]> frames, boolean replace)
            throws IOException, JetStreamApiException {
        if (!lease.held()) {
            deactivate("lease not renewed within its validity");
            throw new IOException("lease expired before publishing block " + number);
        }
        Bytes32 id = kind == FeedSubjects.Kind.RESCRAPE ? Bytes32.of(java.math.BigInteger.valueOf(System.nanoTime())) : hash;
        try {
            FeedStreamWriter.Stored s = writer.publish(number, id, parent, kind, frames, replace ? 0 : setSeq, lastSeq);
            lastSeq = Math.max(lastSeq, s.lastSeq());
            if (replace && !s.duplicate()) {
                setSeq = s.firstSeq();
            }
            metrics.streamLastSeq.set(lastSeq);
            metrics.streamMessages.increment();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == FeedStreamWriter.WRONG_LAST_SEQUENCE) {
                deactivate("another feed published to the stream (expected last sequence " + lastSeq + ")");
            }
            throw e;
        }
    }

    private void deactivate(String reason) {
        if (active) {
            LOG.warn("feed stream: stopped publishing: feed={} reason={}", settings.feedId(), reason);
        }
        active = false;
        metrics.streamActive.set(0);
    }

    /** Folds the stream's tail: the blocks at its tip with revert frames, the pool set consumers hold, the tip. */
    private static final class StreamFold implements FeedClient.Listener, FeedSession.TipSink {
        final Deque<StreamBlock> stack = new ArrayDeque<>();
        final Set<PoolId> ids = new LinkedHashSet<>();
        long snapshot;
        Whitelist current;
        Whitelist atMessageStart;
        long tipNumber;
        Bytes32 tipHash = Bytes32.ZERO;

        void beginMessage() {
            atMessageStart = current;
        }

        void endMessage() {
        }

        @Override
        public void onPoolSet(PoolSetChange c) {
            if (c.replace()) {
                ids.clear();
            }
            ids.removeAll(c.removed());
            ids.addAll(c.added());
            snapshot = c.snapshotId();
            current = Whitelist.of(snapshot, ids);
        }

        @Override
        public void onBlock(FeedBlock b) {
            if (b.isRevert()) {
                stack.pollLast();
                return;
            }
            List<byte[]> undo = new ArrayList<>(b.updates().size() + 4);
            FeedFrame.BeginBlock begin = b.begin();
            undo.add(FrameCodec.encode(new FeedFrame.BeginBlock(begin.blockNumber(), begin.blockHash(), begin.parentHash(), begin.timestamp(), true)));
            for (int i = b.updates().size() - 1; i >= 0; i--) {
                undo.add(FrameCodec.encode(b.updates().get(i)));
            }
            undo.add(FrameCodec.encode(b.end()));
            Whitelist parent = atMessageStart;
            if (parent != null && current != null) {
                undo.addAll(PoolSetFrames.change(b.number(), current, parent));
            }
            stack.addLast(new StreamBlock(b.number(), begin.blockHash(), begin.parentHash(), List.copyOf(undo), parent));
        }

        @Override
        public void onRescrape(FeedFrame.Rescrape r) {
            stack.clear();
        }

        @Override
        public void advanced(long number, Bytes32 hash) {
            tipNumber = number;
            tipHash = hash;
        }

        @Override
        public void reset() {
            tipNumber = 0;
            tipHash = Bytes32.ZERO;
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        NatsSettings.close(connection);
    }
}
