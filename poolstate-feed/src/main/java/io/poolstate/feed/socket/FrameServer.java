package io.poolstate.feed.socket;

import io.poolstate.eth.Bytes32;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.feed.FrameCodec;
import io.poolstate.protocol.feed.FrameFormatException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves frames on a Unix domain socket (file mode 0600; a stale socket file is replaced, a live one is an
 * error) to any number of consumers. On connect a consumer gets {@link FeedFrame.Hello} and answers with
 * {@link FeedFrame.Resume} (block 0 = from now on); it then gets what it missed from the {@link FrameHistory}
 * and every block after. Each consumer has a bounded queue and its own writer thread: one that stops reading is
 * dropped with a reason when its queue is full, and never slows the follower or the others.
 *
 * <p>Threads: {@link #publishCommit}/{@link #publishRevert}/{@link #broadcast} are called by the follower thread;
 * an accept thread and, per consumer, a handshake-then-reader thread and a writer thread.
 */
public final class FrameServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrameServer.class);

    private final Path path;
    private final long chainId;
    private final int queueFrames;
    private final FeedMetrics metrics;
    private final FrameHistory history;
    private final Object lock = new Object();
    private final List<Consumer> consumers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long head;
    private volatile Backfill backfill;
    private ServerSocketChannel server;

    /**
     * Rebuilds blocks the history no longer (or never) held, from the node: the canonical blocks after
     * (number, hash) and before {@code before}, or null when (number, hash) is not canonical. Called on a
     * consumer's thread.
     */
    public interface Backfill {
        List<BlockFrames> canonicalAfter(long number, Bytes32 hash, long before);
    }

    /** Lets consumers resume from blocks older than the history (e.g. after this feed restarted). */
    public void backfill(Backfill source) {
        this.backfill = source;
    }

    public FrameServer(Path path, long chainId, int historyBlocks, int queueFrames, FeedMetrics metrics) {
        this.path = path;
        this.chainId = chainId;
        this.queueFrames = queueFrames;
        this.metrics = metrics;
        this.history = new FrameHistory(historyBlocks);
    }

    /** Binds the socket and starts accepting. */
    public FrameServer start() throws IOException {
        if (Files.exists(path)) {
            try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                throw new IOException("another process is serving " + path + " (connect succeeded); stop it or choose another --socket");
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("another process")) {
                    throw e;
                }
                LOG.info("removing stale socket file: path={}", path);
                Files.delete(path);
            }
        }
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        Thread.ofPlatform().name("feed-accept").daemon().start(this::acceptLoop);
        LOG.info("feed socket listening: path={}", path);
        return this;
    }

    public Path path() {
        return path;
    }

    public int consumers() {
        return consumers.size();
    }

    /** Sends a committed block to every consumer and keeps it for resumes. Follower thread. */
    public void publishCommit(BlockFrames b) {
        synchronized (lock) {
            head = b.number();
            history.committed(b);
            enqueueAll(b.commit());
        }
    }

    /** Sends a block's revert frames to every consumer; the block leaves the canonical history. Follower thread. */
    public void publishRevert(BlockFrames b) {
        synchronized (lock) {
            history.reverted(b);
            enqueueAll(b.revert());
        }
    }

    /** A heartbeat or rescrape frame to every live consumer; a rescrape also forgets the history. */
    public void broadcast(FeedFrame frame) {
        synchronized (lock) {
            if (frame instanceof FeedFrame.Rescrape) {
                history.clear();
            }
            if (frame instanceof FeedFrame.Heartbeat h) {
                head = Math.max(head, h.headBlockNumber());
            }
            enqueueAll(List.of(FrameCodec.encode(frame)));
        }
    }

    private void enqueueAll(List<byte[]> frames) {
        for (Consumer c : consumers) {
            if (c.live) {
                c.enqueue(frames);
            }
        }
    }

    private void acceptLoop() {
        while (!closed.get()) {
            try {
                SocketChannel ch = server.accept();
                Consumer c = new Consumer(ch);
                consumers.add(c);
                metrics.consumersConnected.set(consumers.size());
                Thread.ofVirtual().name("feed-consumer-" + c.id).start(c::handshakeAndRead);
            } catch (IOException e) {
                if (!closed.get()) {
                    LOG.error("feed socket accept failed: path={} reason={}", path, e.getMessage());
                }
                return;
            }
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        consumers.forEach(c -> c.drop("feed shutting down", false));
        try {
            if (server != null) {
                server.close();
            }
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("closing feed socket failed: path={} reason={}", path, e.getMessage());
        }
    }

    private static int nextId;

    /** One connected consumer: a bounded frame queue drained by its writer thread. */
    private final class Consumer {
        final int id;
        final SocketChannel channel;
        final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(queueFrames);
        final AtomicBoolean gone = new AtomicBoolean();
        volatile boolean live;

        Consumer(SocketChannel channel) {
            synchronized (FrameServer.class) {
                this.id = ++nextId;
            }
            this.channel = channel;
        }

        void enqueue(List<byte[]> frames) {
            for (byte[] f : frames) {
                if (!queue.offer(f)) {
                    drop("queue full: " + queueFrames + " frames waiting, consumer not reading", true);
                    return;
                }
            }
        }

        void handshakeAndRead() {
            try {
                write(FrameCodec.encode(new FeedFrame.Hello(FrameCodec.PROTOCOL_VERSION, chainId, head, history.oldest())));
                FeedFrame first = readFrame();
                if (!(first instanceof FeedFrame.Resume r)) {
                    throw new FrameFormatException("expected Resume after Hello, got " + first.getClass().getSimpleName());
                }
                resume(r);
                Thread.ofVirtual().name("feed-writer-" + id).start(this::writeLoop);
                while (readFrame() != null) {
                    // consumers send nothing after Resume; reading detects the hang-up
                }
            } catch (IOException | FrameFormatException e) {
                drop(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), !(e instanceof java.io.EOFException));
            }
        }

        /** Queues what the consumer missed and makes it live, atomically with respect to new blocks. */
        private void resume(FeedFrame.Resume r) {
            long n = r.afterBlockNumber();
            if (n == 0) {
                synchronized (lock) {
                    LOG.info("consumer {} connected: live from block {}", id, head + 1);
                    live = true;
                }
                return;
            }
            FrameHistory.Catchup c;
            long oldest;
            synchronized (lock) {
                c = history.after(n, r.afterBlockHash());
                oldest = history.oldest();
                if (c.rejected() == null || backfill == null || history.isEmpty() || n >= oldest) {
                    enqueue(c.rejected() != null ? List.of(FrameCodec.encode(c.rejected())) : c.frames());
                    LOG.info("consumer {} resumes after block {}: {}", id, n,
                            c.rejected() != null ? "rejected (" + c.rejected().reason() + ")" : c.frames().size() + " frames to catch up");
                    live = true;
                    return;
                }
            }
            // older than the history: rebuild the missing blocks from the node, then join the history
            List<BlockFrames> rebuilt = backfill.canonicalAfter(n, r.afterBlockHash(), oldest);
            synchronized (lock) {
                Bytes32 parent = rebuilt == null ? null : rebuilt.isEmpty() ? r.afterBlockHash() : rebuilt.get(rebuilt.size() - 1).hash();
                List<byte[]> rest = parent == null || history.oldest() != oldest ? null : history.canonicalFrom(oldest, parent);
                if (rest == null) {
                    FeedFrame.ResumeRejected no = new FeedFrame.ResumeRejected(rebuilt == null ? FeedFrame.RejectReason.UNKNOWN_HASH
                            : FeedFrame.RejectReason.TOO_OLD, history.oldest(), "block " + n + " " + r.afterBlockHash()
                            + (rebuilt == null ? " is not on the node's chain" : " could not be joined to the feed's history") + ": rescrape");
                    enqueue(List.of(FrameCodec.encode(no)));
                    LOG.info("consumer {} resumes after block {}: rejected ({})", id, n, no.reason());
                } else {
                    rebuilt.forEach(b -> enqueue(b.commit()));
                    enqueue(rest);
                    LOG.info("consumer {} resumes after block {}: {} blocks rebuilt from the node, then the history", id, n, rebuilt.size());
                }
                live = true;
            }
        }

        private FeedFrame readFrame() throws IOException, FrameFormatException {
            ByteBuffer len = ByteBuffer.allocate(4);
            readFully(len);
            int n = len.flip().getInt();
            if (n <= 0 || n > FrameCodec.MAX_FRAME) {
                metrics.malformed("frame");
                throw new FrameFormatException("frame length " + n + " out of range");
            }
            ByteBuffer body = ByteBuffer.allocate(n);
            readFully(body);
            return FrameCodec.decode(body.flip());
        }

        private void readFully(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                if (channel.read(b) < 0) {
                    throw new java.io.EOFException("consumer hung up");
                }
            }
        }

        /** Drains the queue in batches of up to 1,024 frames, each batch one gathering write. */
        void writeLoop() {
            List<byte[]> batch = new java.util.ArrayList<>(1024);
            try {
                while (!gone.get()) {
                    byte[] f = queue.poll(1, TimeUnit.SECONDS);
                    if (f == null) {
                        continue;
                    }
                    batch.add(f);
                    queue.drainTo(batch, 1023);
                    ByteBuffer[] buffers = new ByteBuffer[batch.size()];
                    long total = 0;
                    for (int i = 0; i < buffers.length; i++) {
                        buffers[i] = ByteBuffer.wrap(batch.get(i));
                        total += buffers[i].remaining();
                    }
                    while (total > 0) {
                        total -= channel.write(buffers);
                    }
                    batch.clear();
                }
            } catch (IOException e) {
                drop("write failed: " + e.getMessage(), false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void write(byte[] frame) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(frame);
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }

        void drop(String reason, boolean count) {
            if (!gone.compareAndSet(false, true)) {
                return;
            }
            consumers.remove(this);
            metrics.consumersConnected.set(consumers.size());
            if (count) {
                metrics.consumersDropped.increment();
                LOG.warn("consumer {} dropped: reason={}", id, reason);
            } else {
                LOG.info("consumer {} disconnected: {}", id, reason);
            }
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing consumer {} failed: {}", id, e.getMessage());
            }
        }
    }
}
