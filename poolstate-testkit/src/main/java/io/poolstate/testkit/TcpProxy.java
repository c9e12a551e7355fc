package io.poolstate.testkit;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on a free 127.0.0.1 port in front of one target (a node's HTTP/WebSocket port, PostgreSQL, NATS),
 * with the faults of a network or a hanging server:
 * <ul>
 *   <li>{@link #freeze()}: connections stay open, new ones are accepted (and connected to the target), but no
 *       byte is forwarded in either direction until {@link #thaw()} — a node that hangs;</li>
 *   <li>{@link #resetAll()}: every open connection is closed abruptly (SO_LINGER 0, so a TCP RST) on both sides,
 *       client and target;</li>
 *   <li>{@link #refuse(boolean)}: new connections are accepted and reset at once.</li>
 * </ul>
 * Half-closes are forwarded (a side's end of stream shuts the other socket's output); a reset from one side
 * resets the other. A target that cannot be reached resets the client's connection.
 *
 * <p>Threads: a virtual thread accepts, two virtual threads per connection copy bytes (one per direction),
 * blocking on the sockets and, while frozen, on a condition: no polling. Controls are safe from any thread.
 */
public final class TcpProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpProxy.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** Counters since start: connections accepted (refused ones included), refused, reset by {@link #resetAll()},
     * not connected because the target was unreachable, open now; bytes forwarded each way. */
    public record Stats(long accepted, long refused, long reset, long targetUnreachable, int open, long bytesToTarget, long bytesToClient) {
    }

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final FreezeGate gate = new FreezeGate();
    private volatile boolean refusing;
    private volatile boolean closed;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong reset = new AtomicLong();
    private final AtomicLong unreachable = new AtomicLong();
    private final AtomicLong toTarget = new AtomicLong();
    private final AtomicLong toClient = new AtomicLong();
    private final Thread acceptor;

    private TcpProxy(String targetHost, int targetPort, ServerSocket server) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = server;
        this.acceptor = Thread.ofVirtual().name("tcp-proxy-" + server.getLocalPort()).start(this::accept);
    }

    /** Listens on a free 127.0.0.1 port and forwards each connection to {@code targetHost:targetPort}. */
    public static TcpProxy start(String targetHost, int targetPort) {
        try {
            ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            TcpProxy p = new TcpProxy(targetHost, targetPort, s);
            LOG.info("tcp proxy started: listen=127.0.0.1:{} target={}:{}", s.getLocalPort(), targetHost, targetPort);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("tcp proxy cannot listen on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:<port>}, to build the URL a client uses instead of the target's. */
    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    /** Stops forwarding bytes, both ways, on every connection, open or new; nothing is closed. */
    public void freeze() {
        gate.freeze();
        LOG.info("tcp proxy frozen: port={} open={}", port(), links.size());
    }

    /** Forwards again; bytes held while frozen go through in order. */
    public void thaw() {
        gate.thaw();
        LOG.info("tcp proxy thawed: port={} open={}", port(), links.size());
    }

    public boolean frozen() {
        return gate.frozen();
    }

    /**
     * Resets every connection the proxy has accepted on both sides (TCP RST, no orderly close); returns how many.
     * A connection the kernel has completed but the proxy not yet accepted is not among them ({@link Stats#open()}
     * counts the accepted ones).
     */
    public int resetAll() {
        List<Link> now = List.copyOf(links);
        now.forEach(l -> l.close(true));
        reset.addAndGet(now.size());
        gate.wake();
        LOG.info("tcp proxy reset connections: port={} count={}", port(), now.size());
        return now.size();
    }

    /** While true, each new connection is reset as soon as it is accepted; open connections are left alone. */
    public void refuse(boolean refuse) {
        refusing = refuse;
        LOG.info("tcp proxy {} new connections: port={}", refuse ? "refuses" : "accepts", port());
    }

    public Stats stats() {
        return new Stats(accepted.get(), refused.get(), reset.get(), unreachable.get(), links.size(), toTarget.get(), toClient.get());
    }

    /** Stops listening and closes every connection (orderly close, no RST); returns when the threads have ended. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(server, false);
        List<Link> now = List.copyOf(links);
        now.forEach(l -> l.close(false));
        gate.wake();
        try {
            acceptor.join(Duration.ofSeconds(5));
            for (Link l : now) {
                l.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("tcp proxy closed: port={} accepted={} bytes_to_target={} bytes_to_client={}", port(), accepted.get(), toTarget.get(), toClient.get());
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.error("tcp proxy stopped accepting: port={} reason={}", port(), e.toString());
                }
                return;
            }
            accepted.incrementAndGet();
            if (refusing || closed) {
                refused.incrementAndGet();
                closeQuietly(client, true);
                continue;
            }
            Link l = new Link(client);
            links.add(l);
            Thread.ofVirtual().name("tcp-proxy-" + port() + "-connect").start(l::connect);
        }
    }

    private static void closeQuietly(Closeable c, boolean rst) {
        try {
            if (rst && c instanceof Socket s && !s.isClosed()) {
                s.setSoLinger(true, 0);
            }
            c.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** One client connection and its connection to the target. */
    private final class Link {
        private final Socket client;
        private final Socket target = new Socket();
        private volatile boolean closed;
        private volatile Thread up;
        private volatile Thread down;
        private final AtomicInteger ended = new AtomicInteger();

        Link(Socket client) {
            this.client = client;
        }

        void connect() {
            try {
                client.setTcpNoDelay(true);
                target.setTcpNoDelay(true);
                target.connect(new InetSocketAddress(targetHost, targetPort), (int) CONNECT_TIMEOUT.toMillis());
            } catch (IOException e) {
                if (!closed) {
                    unreachable.incrementAndGet();
                    LOG.warn("tcp proxy cannot reach target, resetting client: port={} target={}:{} reason={}", port(), targetHost, targetPort, e.toString());
                }
                close(true);
                return;
            }
            if (closed) {
                close(true);
                return;
            }
            up = Thread.ofVirtual().name("tcp-proxy-" + port() + "-up").start(() -> pump(client, target, toTarget));
            down = Thread.ofVirtual().name("tcp-proxy-" + port() + "-down").start(() -> pump(target, client, toClient));
        }

        /** Copies {@code from} to {@code to} until end of stream (then shuts {@code to}'s output) or an error (then resets both). */
        private void pump(Socket from, Socket to, AtomicLong counter) {
            byte[] buf = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    int n = in.read(buf);
                    if (!gate.pass(() -> closed || TcpProxy.this.closed, () -> { })) {
                        return;
                    }
                    if (n < 0) {
                        to.shutdownOutput();
                        break;
                    }
                    out.write(buf, 0, n);
                    counter.addAndGet(n);
                }
            } catch (IOException e) {
                close(true); // a reset (or our own close) on one side: the other side sees a reset too
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close(true);
                return;
            }
            if (ended.incrementAndGet() == 2) {
                close(false);
            }
        }

        void close(boolean rst) {
            closed = true;
            links.remove(this);
            closeQuietly(client, rst);
            closeQuietly(target, rst);
        }

        void join() throws InterruptedException {
            for (Thread t : new Thread[] {up, down}) {
                if (t != null) {
                    t.join(Duration.ofSeconds(5));
                }
            }
        }
    }
}
