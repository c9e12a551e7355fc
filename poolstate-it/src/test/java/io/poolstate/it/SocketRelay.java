package io.poolstate.it;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Unix-socket relay between a feed and its consumer that can damage what the feed sends: flip a byte inside
 * the next chunk (a corrupt frame) or pass half of it and hang up (a truncated frame). Counts what it did.
 */
final class SocketRelay implements AutoCloseable {
    private final Path listen;
    private final Path target;
    private final ServerSocketChannel server;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger corruptions = new AtomicInteger();
    private final AtomicInteger truncations = new AtomicInteger();
    private volatile int corruptNext;
    private volatile int truncateNext;
    private volatile boolean closed;

    SocketRelay(Path listen, Path target) throws IOException {
        this.listen = listen;
        this.target = target;
        Files.deleteIfExists(listen);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(listen));
        Thread.ofVirtual().name("relay-accept").start(this::accept);
    }

    Path path() {
        return listen;
    }

    /** The next {@code n} chunks from the feed each get one byte flipped past the first frame header. */
    void corrupt(int n) {
        corruptNext = n;
    }

    /** The next chunk from the feed is cut in half and the connection closed. */
    void truncate() {
        truncateNext = 1;
    }

    int corruptions() {
        return corruptions.get();
    }

    int truncations() {
        return truncations.get();
    }

    private void accept() {
        while (!closed) {
            try {
                SocketChannel consumer = server.accept();
                SocketChannel feed = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    feed.connect(UnixDomainSocketAddress.of(target));
                } catch (IOException e) {
                    consumer.close(); // the feed is down: the consumer sees a refused connection
                    feed.close();
                    continue;
                }
                open.add(consumer);
                open.add(feed);
                Thread.ofVirtual().start(() -> pump(consumer, feed, false));
                Thread.ofVirtual().start(() -> pump(feed, consumer, true));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to, boolean fromFeed) {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        try {
            while (from.read(b) >= 0) {
                b.flip();
                if (fromFeed && truncateNext > 0 && b.remaining() > 8) {
                    truncateNext = 0;
                    b.limit(b.position() + b.remaining() / 2);
                    write(to, b);
                    truncations.incrementAndGet();
                    break;
                }
                if (fromFeed && corruptNext > 0 && b.remaining() > 12) {
                    corruptNext--;
                    int at = b.position() + 5 + (b.remaining() - 6) / 2;
                    b.put(at, (byte) (b.get(at) ^ 0x5a));
                    corruptions.incrementAndGet();
                }
                write(to, b);
                b.clear();
            }
        } catch (IOException e) {
            // either side went away
        }
        quietly(from);
        quietly(to);
    }

    private static void write(SocketChannel to, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            to.write(b);
        }
    }

    private static void quietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        open.forEach(SocketRelay::quietly);
        Files.deleteIfExists(listen);
    }
}
