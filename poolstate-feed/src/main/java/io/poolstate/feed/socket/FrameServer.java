package io.poolstate.feed.socket;

import io.poolstate.eth.Bytes32;
import io.poolstate.eth.rpc.RpcException;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.feed.whitelist.Whitelist;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.feed.FrameCodec;
import io.poolstate.protocol.feed.FrameFormatException;
import io.poolstate.protocol.feed.FrameReader;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves frames on a Unix domain socket (file mode 0600; a stale socket file is replaced, a live one is an
 * error) to any number of consumers. On connect a consumer gets {@link FeedFrame.Hello} and answers with
 * {@link FeedFrame.Resume} (block 0 = from now on); it then gets the pool set it starts from, what it missed
 * from the {@link FrameHistory} (or rebuilt from the node) and every block after. What it missed is streamed by
 * its writer before anything new, outside the bounded queue; the queue holds only blocks published since, and a
 * consumer that lets it fill up is dropped with a reason — it never slows the follower or the others.
 *
 * <p>Threads: {@link #publishCommit}/{@link #publishRevert}/{@link #broadcast} are called by the follower thread;
 * an accept thread and, per consumer, a handshake-then-reader thread and a writer thread (virtual).
 */
public final class FrameServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrameServer.class);
    private static final AtomicInteger IDS = new AtomicInteger();

    /** Queue and catch-up limits: frames a live consumer may fall behind, and blocks rebuilt from the node for one resume. */
    public record Limits(int queueFrames, int maxRebuildBlocks) {
        public static final Limits DEFAULT = new Limits(100_000, 2_000);
    }

    private final Path path;
    private final long chainId;
    private final Limits limits;
    private final FeedMetrics metrics;
    private final FrameHistory history;
    private final Object lock = new Object();
    private final List<Consumer> consumers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private long head;
    private Bytes32 headHash = Bytes32.ZERO;
    /** The pool set a live consumer holds: that of the newest block sent (guarded by {@link #lock}). */
    private Whitelist announced = Whitelist.EMPTY;
    private volatile Backfill backfill;
    private ServerSocketChannel server;
    private final Set<PosixFilePermission> socketMode;

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

    public FrameServer(Path path, long chainId, int historyBlocks, Limits limits, FeedMetrics metrics) {
        this(path, chainId, historyBlocks, limits, metrics, PosixFilePermissions.fromString("rw-------"));
    }

    /** @param socketMode the socket file's permissions (connecting needs write permission), e.g. rw-rw---- for a consumer group */
    public FrameServer(Path path, long chainId, int historyBlocks, Limits limits, FeedMetrics metrics, Set<PosixFilePermission> socketMode) {
        this.socketMode = Set.copyOf(socketMode);
        this.path = path;
        this.chainId = chainId;
        this.limits = limits;
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
        Files.setPosixFilePermissions(path, socketMode);
        Thread.ofPlatform().name("feed-accept").daemon().start(this::acceptLoop);
        LOG.info("feed socket listening: path={} mode={}", path, PosixFilePermissions.toString(socketMode));
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
            headHash = b.hash();
            history.committed(b);
            enqueueAll(b.follows(announced) ? b.live() : b.replaceWith());
            announced = b.pools();
        }
    }

    /** Sends a block's revert frames to every consumer; the block leaves the canonical history. Follower thread. */
    public void publishRevert(BlockFrames b) {
        synchronized (lock) {
            history.reverted(b);
            enqueueAll(b.undo());
            head = b.number() - 1;
            headHash = b.parentHash();
            if (b.parentPools() != null) {
                announced = b.parentPools();
            }
        }
    }

    /** A heartbeat or rescrape frame to every live consumer; a rescrape also forgets the history. */
    public void broadcast(FeedFrame frame) {
        synchronized (lock) {
            if (frame instanceof FeedFrame.Rescrape) {
                history.clear();
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
        long backoff = 50;
        while (!closed.get()) {
            try {
                SocketChannel ch = server.accept();
                backoff = 50;
                Consumer c = new Consumer(ch);
                consumers.add(c);
                metrics.consumersConnected.set(consumers.size());
                Thread.ofVirtual().name("feed-consumer-" + c.id).start(c::handshakeAndRead);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (closed.get()) {
                    return;
                }
                metrics.threadFailure("feed-accept");
                LOG.error("feed socket accept failed, retrying in {} ms: path={} reason={}", backoff, path, e.toString());
                pause(backoff);
                backoff = Math.min(5_000, backoff * 2);
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

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Frames bringing a consumer from the pool set {@code start} through {@code reverts} and {@code commits}, ending at the set live consumers hold. */
    private List<byte[]> assemble(long from, Whitelist start, List<BlockFrames> reverts, List<BlockFrames> commits) {
        List<byte[]> frames = new ArrayList<>(PoolSetFrames.replace(from, start));
        Whitelist cur = start;
        for (BlockFrames r : reverts) {
            if (BlockFrames.sameIds(cur, r.pools())) {
                frames.addAll(r.undo());
                cur = r.parentPools() != null ? r.parentPools() : cur;
            } else {
                frames.addAll(r.revert());
            }
        }
        for (BlockFrames c : commits) {
            frames.addAll(c.follows(cur) ? c.live() : c.replaceWith());
            cur = c.pools();
        }
        if (!BlockFrames.sameIds(cur, announced)) {
            frames.addAll(PoolSetFrames.replace(head + 1, announced));
        }
        return frames;
    }

    /** One connected consumer: what it missed, then a bounded frame queue, drained by its writer thread. */
    private final class Consumer {
        final int id = IDS.incrementAndGet();
        final SocketChannel channel;
        final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(limits.queueFrames());
        final AtomicBoolean gone = new AtomicBoolean();
        volatile boolean live;

        Consumer(SocketChannel channel) {
            this.channel = channel;
        }

        void enqueue(List<byte[]> frames) {
            for (byte[] f : frames) {
                if (!queue.offer(f)) {
                    drop("queue full: " + limits.queueFrames() + " frames waiting, consumer not reading", true);
                    return;
                }
            }
        }

        void handshakeAndRead() {
            try {
                FrameReader reader = new FrameReader(channel, 4096, "consumer");
                FeedFrame.Hello hello;
                synchronized (lock) {
                    hello = new FeedFrame.Hello(FrameCodec.PROTOCOL_VERSION, chainId, head, headHash, history.oldest());
                }
                write(FrameCodec.encode(hello));
                FeedFrame first = reader.next();
                if (!(first instanceof FeedFrame.Resume r)) {
                    throw new FrameFormatException("expected Resume after Hello, got " + first.getClass().getSimpleName());
                }
                List<byte[]> catchup = resume(r);
                if (gone.get()) {
                    return;
                }
                Thread.ofVirtual().name("feed-writer-" + id).start(() -> writeLoop(catchup));
                while (reader.next() != null) {
                    // consumers send nothing after Resume; reading detects the hang-up
                }
            } catch (FrameFormatException e) {
                metrics.malformed("frame");
                drop("protocol violation: " + e.getMessage(), true);
            } catch (IOException e) {
                drop(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), !(e instanceof java.io.EOFException));
            } catch (RpcException e) {
                drop("node unavailable while rebuilding missed blocks (the consumer retries): " + e.getMessage(), true);
            } catch (RuntimeException e) {
                metrics.threadFailure("feed-consumer");
                LOG.error("consumer {} failed: reason={}", id, e.toString(), e);
                drop("internal error: " + e, true);
            }
        }

        /** What the consumer missed, and it becomes live, atomically with respect to new blocks. */
        private List<byte[]> resume(FeedFrame.Resume r) throws IOException {
            long n = r.afterBlockNumber();
            if (n == 0) {
                synchronized (lock) {
                    LOG.info("consumer {} connected: live from block {}", id, head + 1);
                    live = true;
                    return PoolSetFrames.replace(head + 1, announced);
                }
            }
            FrameHistory.Catchup c;
            long oldest;
            synchronized (lock) {
                c = history.after(n, r.afterBlockHash());
                oldest = history.oldest();
                if (c.rejected() == null) {
                    live = true;
                    LOG.info("consumer {} resumes after block {}: {} reverts, {} blocks to catch up", id, n, c.reverts().size(), c.commits().size());
                    return assemble(n + 1, c.start(), c.reverts(), c.commits());
                }
                if (backfill != null && history.isEmpty()) {
                    // just started: no block sent yet to join rebuilt blocks to; the consumer reconnects and resumes then
                    throw new IOException("the feed has sent no block since it started, resume after block " + n + " again shortly");
                }
                if (backfill == null || n >= oldest) {
                    return rejected(c.rejected());
                }
            }
            if (oldest - n > limits.maxRebuildBlocks()) {
                synchronized (lock) {
                    return rejected(new FeedFrame.ResumeRejected(FeedFrame.RejectReason.TOO_OLD, history.oldest(), "block " + n
                            + " lies " + (oldest - n) + " blocks before the feed's history, more than the " + limits.maxRebuildBlocks()
                            + " it rebuilds from the node: rescrape"));
                }
            }
            // older than the history: rebuild the missing blocks from the node, then join the history
            List<BlockFrames> rebuilt = backfill.canonicalAfter(n, r.afterBlockHash(), oldest);
            synchronized (lock) {
                Bytes32 parent = rebuilt == null ? null : rebuilt.isEmpty() ? r.afterBlockHash() : rebuilt.get(rebuilt.size() - 1).hash();
                List<BlockFrames> rest = parent == null || history.oldest() != oldest ? null : history.canonicalFrom(oldest, parent);
                if (rest == null) {
                    return rejected(new FeedFrame.ResumeRejected(rebuilt == null ? FeedFrame.RejectReason.UNKNOWN_HASH : FeedFrame.RejectReason.TOO_OLD,
                            history.oldest(), "block " + n + " " + r.afterBlockHash()
                            + (rebuilt == null ? " is not on the node's chain" : " could not be joined to the feed's history") + ": rescrape"));
                }
                List<BlockFrames> commits = new ArrayList<>(rebuilt);
                commits.addAll(rest);
                live = true;
                LOG.info("consumer {} resumes after block {}: {} blocks rebuilt from the node, then {} from the history", id, n, rebuilt.size(),
                        rest.size());
                Whitelist start = rebuilt.isEmpty() ? (rest.isEmpty() ? announced : rest.get(0).pools()) : rebuilt.get(0).pools();
                return assemble(n + 1, start, List.of(), commits);
            }
        }

        /** Caller holds the lock. */
        private List<byte[]> rejected(FeedFrame.ResumeRejected no) {
            LOG.info("consumer {} resume refused: reason={} {}", id, no.reason(), no.message());
            live = true;
            List<byte[]> frames = new ArrayList<>();
            frames.add(FrameCodec.encode(no));
            frames.addAll(PoolSetFrames.replace(head + 1, announced));
            return frames;
        }

        /** Sends what the consumer missed, then drains the queue in batches of up to 1,024 frames, each batch one gathering write. */
        void writeLoop(List<byte[]> catchup) {
            try {
                for (int i = 0; i < catchup.size() && !gone.get(); i += 1024) {
                    writeBatch(catchup.subList(i, Math.min(catchup.size(), i + 1024)));
                }
                List<byte[]> batch = new ArrayList<>(1024);
                while (!gone.get()) {
                    byte[] f = queue.poll(1, TimeUnit.SECONDS);
                    if (f == null) {
                        continue;
                    }
                    batch.add(f);
                    queue.drainTo(batch, 1023);
                    writeBatch(batch);
                    batch.clear();
                }
            } catch (IOException e) {
                drop("write failed: " + e.getMessage(), false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void writeBatch(List<byte[]> batch) throws IOException {
            ByteBuffer[] buffers = new ByteBuffer[batch.size()];
            long total = 0;
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = ByteBuffer.wrap(batch.get(i));
                total += buffers[i].remaining();
            }
            while (total > 0) {
                total -= channel.write(buffers);
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
