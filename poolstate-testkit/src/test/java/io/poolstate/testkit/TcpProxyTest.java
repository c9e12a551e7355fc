package io.poolstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy in front of a real TCP echo server: forwarding, half-close, freeze, reset, refusal, close. */
class TcpProxyTest {
    private EchoServer echo;
    private TcpProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new EchoServer();
        proxy = TcpProxy.start("127.0.0.1", echo.port());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void forwardsBothWaysAndCountsBytes() throws Exception {
        try (Socket c = connect()) {
            send(c, "hello");
            assertThat(read(c, 5)).isEqualTo("hello");
            c.shutdownOutput();
            assertThat(c.getInputStream().read()).as("the target's close after our half-close reaches us").isEqualTo(-1);
        }
        awaitOpen(0);
        TcpProxy.Stats s = proxy.stats();
        assertThat(s.accepted()).isEqualTo(1);
        assertThat(s.bytesToTarget()).isEqualTo(5);
        assertThat(s.bytesToClient()).isEqualTo(5);
        assertThat(s.reset()).isZero();
    }

    @Test
    void freezeHoldsBytesBothWaysWithoutClosingAndThawDeliversThem() throws Exception {
        try (Socket a = connect()) {
            send(a, "one");
            assertThat(read(a, 3)).isEqualTo("one");
            proxy.freeze();
            send(a, "two");
            try (Socket b = connect()) {
                send(b, "three");
                a.setSoTimeout(400);
                b.setSoTimeout(400);
                assertThatThrownBy(() -> a.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                assertThatThrownBy(() -> b.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                assertThat(echo.received()).as("nothing reached the target while frozen").isEqualTo(3);
                awaitOpen(2); // a connection made while frozen is accepted and held open

                proxy.thaw();
                a.setSoTimeout(5000);
                b.setSoTimeout(5000);
                assertThat(read(a, 3)).isEqualTo("two");
                assertThat(read(b, 5)).isEqualTo("three");
            }
        }
    }

    @Test
    void freezeHoldsWhatTheTargetSendsFirst() throws Exception {
        // servers such as NATS speak first: the frozen proxy must hold that too
        try (ServerSocket greeter = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             TcpProxy p = TcpProxy.start("127.0.0.1", greeter.getLocalPort())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = greeter.accept()) {
                    s.getOutputStream().write("INFO".getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().read();
                } catch (IOException e) {
                    // test over
                }
            });
            p.freeze();
            try (Socket c = new Socket("127.0.0.1", p.port())) {
                c.setSoTimeout(400);
                assertThatThrownBy(() -> c.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                p.thaw();
                c.setSoTimeout(5000);
                assertThat(read(c, 4)).isEqualTo("INFO");
            }
        }
    }

    @Test
    void resetAllResetsBothSides() throws Exception {
        try (Socket c = connect()) {
            send(c, "x");
            assertThat(read(c, 1)).isEqualTo("x");
            assertThat(proxy.resetAll()).isEqualTo(1);
            assertThatThrownBy(() -> c.getInputStream().read()).isInstanceOf(SocketException.class).hasMessageContaining("reset");
            assertThat(echo.failures().poll(5, TimeUnit.SECONDS)).as("the target side sees a reset, not an orderly close")
                    .isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
        assertThat(proxy.stats().reset()).isEqualTo(1);
        assertThat(proxy.stats().open()).isZero();
    }

    @Test
    void resetAllWhileFrozenReleasesHeldConnections() throws Exception {
        try (Socket c = connect()) {
            awaitOpen(1); // accepted by the proxy, not only queued by the kernel
            proxy.freeze();
            send(c, "held");
            proxy.resetAll();
            c.setSoTimeout(5000);
            assertThatThrownBy(() -> c.getInputStream().read()).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
        awaitOpen(0);
        assertThat(echo.received()).isZero();
    }

    @Test
    void refusedConnectionsAreResetAtOnceAndOpenOnesStay() throws Exception {
        try (Socket open = connect()) {
            awaitOpen(1);
            proxy.refuse(true);
            try (Socket refused = connect()) {
                assertThat(readOutcome(refused)).isIn("eof", "reset");
            }
            send(open, "still");
            assertThat(read(open, 5)).isEqualTo("still");
            proxy.refuse(false);
            try (Socket again = connect()) {
                send(again, "back");
                assertThat(read(again, 4)).isEqualTo("back");
            }
        }
        assertThat(proxy.stats().refused()).isEqualTo(1);
        assertThat(echo.accepted()).isEqualTo(2);
    }

    @Test
    void unreachableTargetResetsTheClient() throws Exception {
        try (TcpProxy p = TcpProxy.start("127.0.0.1", LoopbackPorts.free());
             Socket c = new Socket("127.0.0.1", p.port())) {
            c.setSoTimeout(5000);
            assertThat(readOutcome(c)).isIn("eof", "reset");
            assertThat(p.stats().targetUnreachable()).isEqualTo(1);
        }
    }

    @Test
    void closeStopsListeningAndEndsConnections() throws Exception {
        try (Socket c = connect()) {
            send(c, "a");
            assertThat(read(c, 1)).isEqualTo("a");
            proxy.close();
            assertThat(c.getInputStream().read()).isEqualTo(-1);
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", proxy.port()).close()).isInstanceOf(ConnectException.class);
        assertThat(proxy.stats().open()).isZero();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", proxy.port());
        s.setSoTimeout(5000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    private static String read(Socket s, int n) throws IOException {
        return new String(s.getInputStream().readNBytes(n), StandardCharsets.US_ASCII);
    }

    /** "eof" or "reset": how a connection the proxy will not serve ends. */
    private static String readOutcome(Socket s) throws IOException {
        try {
            int b = s.getInputStream().read();
            return b < 0 ? "eof" : "byte " + b;
        } catch (SocketException e) {
            return e.getMessage().contains("reset") ? "reset" : e.getMessage();
        }
    }

    private void awaitOpen(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (proxy.stats().open() != n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(proxy.stats().open()).isEqualTo(n);
    }

    /** Echoes every byte back; counts what it received and keeps the errors its connections ended with. */
    private static final class EchoServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final BlockingQueue<IOException> failures = new LinkedBlockingQueue<>();
        private final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();

        EchoServer() throws IOException {
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        long received() {
            return received.get();
        }

        int accepted() {
            return accepted.get();
        }

        BlockingQueue<IOException> failures() {
            return failures;
        }

        private void accept() {
            while (true) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                accepted.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(s));
            }
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = s.getInputStream();
                byte[] buf = new byte[1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    received.addAndGet(n);
                    s.getOutputStream().write(buf, 0, n);
                }
            } catch (IOException e) {
                failures.add(e);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
