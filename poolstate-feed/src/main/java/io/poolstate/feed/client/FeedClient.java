package io.poolstate.feed.client;

import io.poolstate.eth.Bytes32;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.feed.FrameCodec;
import io.poolstate.protocol.feed.FrameFormatException;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to a feed socket and delivers complete blocks. Validates Begin → Updates → End (numbers, hash,
 * count, (tx, log) order ascending or, for a revert, descending); a violation, like a dropped connection, closes
 * the connection, and the client reconnects with backoff and resumes after the last block it delivered. A block
 * is delivered only whole. Owns one thread ({@code feed-client}); the listener runs on it.
 */
public final class FeedClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeedClient.class);

    /** Receives what the feed sends, on the client's thread. */
    public interface Listener {
        void onBlock(FeedBlock block);

        default void onHello(FeedFrame.Hello hello) {
        }

        default void onHeartbeat(long headBlockNumber) {
        }

        /** The feed lost track of the chain (deep reorg): rebuild state from a fresh scrape. */
        default void onRescrape(FeedFrame.Rescrape rescrape) {
        }

        /** The resume point was not served: blocks were missed, rebuild state from a fresh scrape. */
        default void onResumeRejected(FeedFrame.ResumeRejected rejected) {
        }

        default void onDisconnect(String reason) {
        }
    }

    private final Path socket;
    private final Listener listener;
    private final Duration maxBackoff;
    private volatile boolean running = true;
    private volatile SocketChannel channel;
    private long tipNumber;
    private Bytes32 tipHash = Bytes32.ZERO;
    private Thread thread;

    /**
     * @param afterNumber resume after this block (0: from the feed's next block)
     * @param afterHash   its hash (ignored for 0)
     */
    public FeedClient(Path socket, long afterNumber, Bytes32 afterHash, Listener listener, Duration maxBackoff) {
        this.socket = socket;
        this.listener = listener;
        this.maxBackoff = maxBackoff;
        this.tipNumber = afterNumber;
        this.tipHash = afterHash == null ? Bytes32.ZERO : afterHash;
    }

    public FeedClient start() {
        thread = Thread.ofPlatform().name("feed-client").daemon().start(this::run);
        return this;
    }

    /** The block the client would resume after: the last block delivered, or the parent of a reverted one. */
    public synchronized FeedFrame.Resume tip() {
        return new FeedFrame.Resume(tipNumber, tipHash);
    }

    private void run() {
        long backoff = 50;
        while (running) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                channel = ch;
                backoff = 50;
                session(ch);
            } catch (IOException | FrameFormatException e) {
                if (!running) {
                    return;
                }
                String reason = e instanceof FrameFormatException ? "protocol violation: " + e.getMessage() : e.getMessage();
                listener.onDisconnect(reason);
                LOG.debug("feed connection lost: socket={} reason={}", socket, reason);
            }
            sleep(backoff);
            backoff = Math.min(maxBackoff.toMillis(), backoff * 2);
        }
    }

    /** Buffered reading: frames are parsed out of 256 KiB reads, not read one by one. */
    private final ByteBuffer in = ByteBuffer.allocate(256 * 1024);

    private void session(SocketChannel ch) throws IOException, FrameFormatException {
        in.clear().flip();
        FeedFrame first = read(ch);
        if (!(first instanceof FeedFrame.Hello hello)) {
            throw new FrameFormatException("expected Hello, got " + first.getClass().getSimpleName());
        }
        if (hello.protocolVersion() != FrameCodec.PROTOCOL_VERSION) {
            throw new FrameFormatException("unsupported protocol version " + hello.protocolVersion());
        }
        listener.onHello(hello);
        long n;
        Bytes32 h;
        synchronized (this) {
            n = tipNumber;
            h = tipHash;
        }
        write(ch, FrameCodec.encode(new FeedFrame.Resume(n, h)));
        FeedFrame.BeginBlock begin = null;
        List<FeedFrame.PoolUpdate> updates = new ArrayList<>();
        while (running) {
            FeedFrame f = read(ch);
            switch (f) {
                case FeedFrame.BeginBlock b -> {
                    if (begin != null) {
                        throw new FrameFormatException("BeginBlock " + b.blockNumber() + " inside block " + begin.blockNumber());
                    }
                    begin = b;
                    updates.clear();
                }
                case FeedFrame.PoolUpdate u -> {
                    if (begin == null || u.blockNumber() != begin.blockNumber()) {
                        throw new FrameFormatException("PoolUpdate for block " + u.blockNumber() + " outside its block");
                    }
                    if (!updates.isEmpty()) {
                        FeedFrame.PoolUpdate prev = updates.get(updates.size() - 1);
                        int order = Long.compare(((long) prev.txIndex() << 32) | prev.logIndex(), ((long) u.txIndex() << 32) | u.logIndex());
                        if (begin.isRevert() ? order <= 0 : order >= 0) {
                            throw new FrameFormatException("PoolUpdate out of order in block " + u.blockNumber());
                        }
                    }
                    updates.add(u);
                }
                case FeedFrame.EndBlock e -> {
                    if (begin == null || e.blockNumber() != begin.blockNumber() || !e.blockHash().equals(begin.blockHash())) {
                        throw new FrameFormatException("EndBlock " + e.blockNumber() + " does not close the open block");
                    }
                    if (e.numUpdates() != updates.size()) {
                        throw new FrameFormatException("EndBlock " + e.blockNumber() + " counts " + e.numUpdates() + " updates, received " + updates.size());
                    }
                    FeedBlock block = new FeedBlock(begin, updates, e);
                    begin = null;
                    updates = new ArrayList<>();
                    listener.onBlock(block);
                    synchronized (this) {
                        if (block.isRevert()) {
                            tipNumber = block.number() - 1;
                            tipHash = block.begin().parentHash();
                        } else {
                            tipNumber = block.number();
                            tipHash = block.begin().blockHash();
                        }
                    }
                }
                case FeedFrame.Heartbeat hb -> listener.onHeartbeat(hb.headBlockNumber());
                case FeedFrame.Rescrape r -> {
                    synchronized (this) {
                        tipNumber = 0;
                        tipHash = Bytes32.ZERO;
                    }
                    listener.onRescrape(r);
                }
                case FeedFrame.ResumeRejected r -> {
                    synchronized (this) {
                        tipNumber = 0;
                        tipHash = Bytes32.ZERO;
                    }
                    listener.onResumeRejected(r);
                }
                default -> throw new FrameFormatException("unexpected " + f.getClass().getSimpleName() + " from the feed");
            }
        }
    }

    private FeedFrame read(SocketChannel ch) throws IOException, FrameFormatException {
        need(ch, 4);
        int n = in.getInt();
        if (n <= 0 || n > FrameCodec.MAX_FRAME) {
            throw new FrameFormatException("frame length " + n + " out of range");
        }
        if (n > in.capacity()) {
            ByteBuffer big = ByteBuffer.allocate(n);
            big.put(in);
            while (big.hasRemaining()) {
                if (ch.read(big) < 0) {
                    throw new EOFException("feed closed the connection");
                }
            }
            return FrameCodec.decode(big.flip());
        }
        need(ch, n);
        ByteBuffer body = in.slice(in.position(), n);
        in.position(in.position() + n);
        return FrameCodec.decode(body);
    }

    /** Ensures {@code n} unread bytes are buffered (the buffer is in read mode between calls). */
    private void need(SocketChannel ch, int n) throws IOException {
        if (in.remaining() >= n) {
            return;
        }
        in.compact();
        while (in.position() < n) {
            if (ch.read(in) < 0) {
                throw new EOFException("feed closed the connection");
            }
        }
        in.flip();
    }

    private static void write(SocketChannel ch, byte[] frame) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(frame);
        while (b.hasRemaining()) {
            ch.write(b);
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
        SocketChannel ch = channel;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                LOG.debug("closing feed connection failed: {}", e.getMessage());
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
