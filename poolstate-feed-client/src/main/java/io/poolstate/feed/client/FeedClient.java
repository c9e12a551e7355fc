package io.poolstate.feed.client;

import io.poolstate.eth.Bytes32;
import io.poolstate.eth.rpc.Backoff;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.feed.FrameCodec;
import io.poolstate.protocol.feed.FrameFormatException;
import io.poolstate.protocol.feed.FrameReader;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to a feed socket and delivers whole blocks and pool-set changes, in stream order: the socket
 * {@link FeedSource}. Checks Hello first (protocol version, chain id), then the stream through a
 * {@link FeedSession} (pool sets, Begin → Updates → End, counts and order). A violation, a dropped
 * connection or silence longer than the read deadline (heartbeats arrive every few seconds from a live feed)
 * closes the connection; the client reconnects with backoff and resumes after the last block it delivered.
 *
 * <p>Owns one thread ({@code feed-client}, the listener runs on it) and a watchdog (virtual thread).
 */
public final class FeedClient implements FeedSource {
    private static final Logger LOG = LoggerFactory.getLogger(FeedClient.class);

    /** Receives what the feed sends, on the client's thread. */
    public interface Listener {
        /** Connected: the feed's chain, head and history, before anything else of the session. */
        default void onHello(FeedFrame.Hello hello) {
        }

        /** The forwarded pools change here: before the next block, or after the revert that undid a change. */
        default void onPoolSet(PoolSetChange change) {
        }

        /**
         * An update of the open block ({@code begin}), accepted, as it arrives: a listener may start on it before the
         * block is whole. The block's {@link #onBlock} carries the same update objects in the same order; a block that
         * is refused or cut off never gets its {@link #onBlock}, so anything started here is only a head start.
         */
        default void onUpdate(FeedFrame.BeginBlock begin, FeedFrame.PoolUpdate update) {
        }

        void onBlock(FeedBlock block);

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

    /**
     * How to connect: {@code expectedChainId} (0: any) is checked against the feed's Hello; {@code startAtHead}:
     * with no block to resume after, resume after the feed's newest block (the Hello names it) rather than wait
     * for the next; {@code readDeadline}: silence after which the connection is considered dead.
     */
    public record Settings(long expectedChainId, boolean startAtHead, Duration readDeadline, Duration maxBackoff) {
        public static final Settings DEFAULT = new Settings(0, false, Duration.ofSeconds(15), Duration.ofSeconds(2));
    }

    private final Path socket;
    private final Listener listener;
    private final Settings settings;
    private volatile boolean running = true;
    private volatile SocketChannel channel;
    private volatile long lastFrameNanos;
    private long tipNumber;
    private Bytes32 tipHash = Bytes32.ZERO;
    private Thread thread;
    private Thread watchdog;

    /**
     * @param afterNumber resume after this block (0: from the feed's next block, or its head with {@code startAtHead})
     * @param afterHash   its hash (ignored for 0)
     */
    public FeedClient(Path socket, long afterNumber, Bytes32 afterHash, Listener listener, Settings settings) {
        this.socket = socket;
        this.listener = listener;
        this.settings = settings;
        this.tipNumber = afterNumber;
        this.tipHash = afterHash == null ? Bytes32.ZERO : afterHash;
    }

    @Override
    public FeedClient start() {
        thread = Thread.ofPlatform().name("feed-client").daemon().start(this::run);
        watchdog = Thread.ofVirtual().name("feed-client-watchdog").start(this::watch);
        return this;
    }

    /** The block the client would resume after: the last block delivered, or the parent of a reverted one. */
    @Override
    public synchronized FeedFrame.Resume tip() {
        return new FeedFrame.Resume(tipNumber, tipHash);
    }

    private void run() {
        Backoff backoff = Backoff.of(50, settings.maxBackoff().toMillis());
        while (running) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                channel = ch;
                lastFrameNanos = System.nanoTime();
                backoff = session(ch) ? backoff.reset() : backoff;
            } catch (IOException | FrameFormatException e) {
                if (!running) {
                    return;
                }
                String reason = e instanceof FrameFormatException ? "protocol violation: " + e.getMessage()
                        : e instanceof java.nio.channels.AsynchronousCloseException ? "no frame for " + settings.readDeadline().toMillis() + " ms"
                        : String.valueOf(e.getMessage());
                listener.onDisconnect(reason);
                LOG.debug("feed connection lost: socket={} reason={}", socket, reason);
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                listener.onDisconnect("listener failed: " + e);
                LOG.error("feed client listener failed, reconnecting: socket={} reason={}", socket, e.toString(), e);
            } finally {
                channel = null;
            }
            backoff = backoff.pause();
        }
    }

    /** Closes a connection that has been silent past the read deadline; the reader then reconnects. */
    private void watch() {
        long deadline = settings.readDeadline().toNanos();
        while (running) {
            Backoff.sleep(Math.max(50, Math.min(1000, settings.readDeadline().toMillis() / 4)));
            SocketChannel ch = channel;
            if (ch != null && System.nanoTime() - lastFrameNanos > deadline) {
                LOG.warn("feed silent for more than {} ms, reconnecting: socket={}", settings.readDeadline().toMillis(), socket);
                closeQuietly(ch);
            }
        }
    }

    /** One connection; true once a block or heartbeat arrived (the backoff then starts over). */
    private boolean session(SocketChannel ch) throws IOException, FrameFormatException {
        FrameReader reader = new FrameReader(ch, 256 * 1024, "feed");
        FeedFrame first = read(reader);
        if (!(first instanceof FeedFrame.Hello hello)) {
            throw new FrameFormatException("expected Hello, got " + first.getClass().getSimpleName());
        }
        if (hello.protocolVersion() != FrameCodec.PROTOCOL_VERSION) {
            throw new FrameFormatException("unsupported protocol version " + hello.protocolVersion() + " (this client speaks " + FrameCodec.PROTOCOL_VERSION + ")");
        }
        if (settings.expectedChainId() != 0 && hello.chainId() != settings.expectedChainId()) {
            throw new FrameFormatException("the feed serves chain id " + hello.chainId() + ", expected " + settings.expectedChainId());
        }
        long n;
        Bytes32 h;
        synchronized (this) {
            if (tipNumber == 0 && settings.startAtHead() && hello.headBlockNumber() > 0) {
                tipNumber = hello.headBlockNumber();
                tipHash = hello.headBlockHash();
            }
            n = tipNumber;
            h = tipHash;
        }
        listener.onHello(hello);
        write(ch, FrameCodec.encode(new FeedFrame.Resume(n, h)));
        FeedSession s = new FeedSession(listener, new FeedSession.TipSink() {
            @Override
            public void advanced(long number, Bytes32 hash) {
                synchronized (FeedClient.this) {
                    tipNumber = number;
                    tipHash = hash;
                }
            }

            @Override
            public void reset() {
                resetTip();
            }
        });
        boolean progressed = false;
        while (running) {
            progressed |= s.accept(read(reader));
        }
        return progressed;
    }

    private FeedFrame read(FrameReader reader) throws IOException, FrameFormatException {
        FeedFrame f = reader.next();
        lastFrameNanos = System.nanoTime();
        return f;
    }

    private synchronized void resetTip() {
        tipNumber = 0;
        tipHash = Bytes32.ZERO;
    }

    private static void write(SocketChannel ch, byte[] frame) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(frame);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debug("closing feed connection failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        SocketChannel ch = channel;
        if (ch != null) {
            closeQuietly(ch);
        }
        if (thread != null) {
            thread.interrupt();
        }
        if (watchdog != null) {
            watchdog.interrupt();
        }
    }
}
