package io.poolstate.testkit;

import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.feed.FrameCodec;
import io.poolstate.protocol.feed.FrameFormatException;
import io.poolstate.protocol.feed.FrameReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A feed socket played by the test: a Unix domain server socket that accepts consumers (one connection after
 * another: a consumer that rejects the stream reconnects) and writes exactly what the test gives — frames encoded
 * with {@link FrameCodec}, frames damaged after encoding, hand-made frames with a valid checksum, raw bytes, a
 * frame cut short — so a test can check that a consumer rejects a corrupt or
 * truncated stream and reconnects, and what it asks for when it does ({@link Connection#read}).
 *
 * <p>Threads: a virtual thread accepts; one virtual thread per connection reads what the consumer sends. Writes
 * happen on the test's thread.
 */
public final class FrameInjector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrameInjector.class);

    private final Path socket;
    private final ServerSocketChannel server;
    private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;

    private FrameInjector(Path socket, ServerSocketChannel server) {
        this.socket = socket;
        this.server = server;
        this.acceptor = Thread.ofVirtual().name("frame-injector-accept").start(this::accept);
    }

    /** Listens at {@code socket} (a stale socket file there is replaced). */
    public static FrameInjector listen(Path socket) {
        try {
            Files.deleteIfExists(socket);
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            s.bind(UnixDomainSocketAddress.of(socket));
            LOG.info("frame injector listening: socket={}", socket);
            return new FrameInjector(socket, s);
        } catch (IOException e) {
            throw new UncheckedIOException("frame injector cannot listen at " + socket + ": " + e.getMessage(), e);
        }
    }

    public Path socket() {
        return socket;
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /**
     * The next consumer connection (in the order they were accepted).
     *
     * @throws AssertionError when none comes within {@code timeout}
     */
    public Connection awaitConnection(Duration timeout) throws InterruptedException {
        Connection c = connections.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
            throw new AssertionError("no consumer connected to " + socket + " within " + timeout.toMillis() + " ms (accepted so far: " + accepted() + ")");
        }
        return c;
    }

    /** Stops listening, closes every connection not yet taken, removes the socket file. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            acceptor.join(Duration.ofSeconds(5));
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.debug("frame injector close: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connections.forEach(Connection::close);
    }

    private void accept() {
        while (!closed) {
            try {
                SocketChannel ch = server.accept();
                accepted.incrementAndGet();
                connections.add(new Connection(ch, accepted.get()));
            } catch (IOException e) {
                if (!closed) {
                    LOG.error("frame injector stopped accepting: socket={} reason={}", socket, e.toString());
                }
                return;
            }
        }
    }

    /** {@code typeAndBody} framed as {@link FrameCodec} frames it: u32 length, the bytes, u32 CRC-32C of the bytes. */
    static byte[] envelope(byte[] typeAndBody) {
        return FrameCodec.frame(typeAndBody);
    }

    /** What the consumer sent or how its side ended, in order. */
    private sealed interface Received {
        record Frame(FeedFrame frame) implements Received {
        }

        record Ended(String reason) implements Received {
        }
    }

    /** One consumer connection: what to send it, and what it sends back. */
    public final class Connection implements AutoCloseable {
        private final SocketChannel channel;
        private final int number;
        private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        private volatile String ended;

        private Connection(SocketChannel channel, int number) {
            this.channel = channel;
            this.number = number;
            Thread.ofVirtual().name("frame-injector-read-" + number).start(this::read);
        }

        /** 1 for the first connection accepted, 2 for the next, ... */
        public int number() {
            return number;
        }

        /** Writes {@code frames}, encoded, in order. */
        public Connection send(FeedFrame... frames) throws IOException {
            for (FeedFrame f : frames) {
                write(FrameCodec.encode(f));
            }
            return this;
        }

        /**
         * Writes {@code frame} with the byte at {@code offset} of its encoding inverted — a frame damaged in transit,
         * which its CRC-32C must catch. {@code offset} counts from the start of the length prefix and must lie after
         * it (4 or more), so the damage is inside the frame and not in its length.
         */
        public Connection sendCorrupted(FeedFrame frame, int offset) throws IOException {
            byte[] bytes = FrameCodec.encode(frame);
            if (offset < 4 || offset >= bytes.length) {
                throw new IllegalArgumentException("offset must be in 4.." + (bytes.length - 1) + " for a frame of " + bytes.length + " bytes, got " + offset);
            }
            bytes[offset] = (byte) ~bytes[offset];
            write(bytes);
            return this;
        }

        /**
         * Writes a hand-made frame with a correct length prefix and CRC-32C trailer around {@code typeAndBody} — for
         * what a checksum cannot catch: an unknown type, a field out of range, a frame of the wrong size. The
         * envelope is the one {@link FrameCodec} documents (length, type and body, CRC-32C of type and body).
         */
        public Connection sendWithChecksum(byte[] typeAndBody) throws IOException {
            write(envelope(typeAndBody));
            return this;
        }

        /** Writes {@code bytes} as they are (garbage, a bad length prefix, a hand-made frame). */
        public Connection sendRaw(byte[] bytes) throws IOException {
            write(bytes);
            return this;
        }

        /** Writes the first {@code keep} bytes of {@code frame}'s encoding (length prefix included) and nothing more. */
        public Connection sendTruncated(FeedFrame frame, int keep) throws IOException {
            byte[] whole = FrameCodec.encode(frame);
            if (keep < 0 || keep >= whole.length) {
                throw new IllegalArgumentException("keep must be in 0.." + (whole.length - 1) + " for a frame of " + whole.length + " bytes, got " + keep);
            }
            write(Arrays.copyOf(whole, keep));
            return this;
        }

        /**
         * The next frame the consumer sent.
         *
         * @throws AssertionError when none arrives within {@code timeout}, or the consumer's side ended first
         */
        public FeedFrame read(Duration timeout) throws InterruptedException {
            Received r = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (r == null) {
                throw new AssertionError("consumer " + number + " sent no frame within " + timeout.toMillis() + " ms");
            }
            return switch (r) {
                case Received.Frame f -> f.frame();
                case Received.Ended e -> {
                    received.add(e);
                    throw new AssertionError("consumer " + number + " sent no frame: " + e.reason());
                }
            };
        }

        /**
         * Waits until the consumer has closed its side; returns how it ended ("closed", or the read error). Frames it
         * sent meanwhile are skipped.
         *
         * @throws AssertionError when it is still connected after {@code timeout}
         */
        public String awaitClosedByConsumer(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Received r = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (r == null) {
                    throw new AssertionError("consumer " + number + " still connected after " + timeout.toMillis() + " ms");
                }
                if (r instanceof Received.Ended e) {
                    received.add(e);
                    return e.reason();
                }
            }
        }

        /** Whether the consumer's side has ended (closed or failed). */
        public boolean endedByConsumer() {
            return ended != null;
        }

        /** Closes the connection from the feed's side. */
        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("frame injector connection close: {}", e.toString());
            }
        }

        private void write(byte[] bytes) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }

        private void read() {
            FrameReader reader = new FrameReader(channel, 64 * 1024, "consumer");
            String reason;
            while (true) {
                try {
                    received.add(new Received.Frame(reader.next()));
                } catch (java.io.EOFException e) {
                    reason = "closed";
                    break;
                } catch (IOException | FrameFormatException e) {
                    reason = e.toString();
                    break;
                }
            }
            ended = reason;
            received.add(new Received.Ended(reason));
        }
    }
}
