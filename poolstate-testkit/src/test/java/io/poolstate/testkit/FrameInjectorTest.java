package io.poolstate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.feed.client.FeedClient;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.feed.FrameCodec;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The injector as a feed for the real consumer library: after a corrupt, mis-sized or truncated frame the client
 * drops the connection, reconnects, and resumes after the last block it delivered.
 */
class FrameInjectorTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long CHAIN = 31337;
    private static final PoolId POOL = PoolId.of(Address.of("0x00000000000000000000000000000000000000a1"));

    @TempDir
    Path dir;

    private FrameInjector feed;
    private FeedClient client;
    private final BlockingQueue<FeedBlock> blocks = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> disconnects = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        feed = FrameInjector.listen(dir.resolve("feed.sock"));
        client = new FeedClient(feed.socket(), 0, Bytes32.ZERO, new FeedClient.Listener() {
            @Override
            public void onBlock(FeedBlock block) {
                blocks.add(block);
            }

            @Override
            public void onDisconnect(String reason) {
                disconnects.add(reason);
            }
        }, new FeedClient.Settings(CHAIN, false, Duration.ofMillis(800), Duration.ofMillis(100))).start();
    }

    @AfterEach
    void stop() {
        client.close();
        feed.close();
    }

    @Test
    void damagedFrameIsRejectedAndTheClientResumesAfterItsLastBlock() throws Exception {
        FrameInjector.Connection first = deliverBlockOne();
        first.sendCorrupted(begin(2), 12); // a byte of the block number
        assertThat(disconnects.poll(10, TimeUnit.SECONDS)).contains("protocol violation").contains("CRC-32C");
        assertThat(first.awaitClosedByConsumer(WAIT)).isEqualTo("closed");
        assertResumesAfterBlockOne();
        assertThat(blocks).isEmpty();
    }

    @Test
    void unknownFrameTypeWithAValidChecksumIsRejected() throws Exception {
        FrameInjector.Connection first = deliverBlockOne();
        first.sendWithChecksum(new byte[] {0x7f, 0});
        assertThat(disconnects.poll(10, TimeUnit.SECONDS)).contains("protocol violation").contains("unknown frame type 127");
        assertResumesAfterBlockOne();
    }

    @Test
    void handMadeEnvelopeIsTheCodecs() {
        // pins the injector's copy of the frame envelope to the codec: a Heartbeat is type 7 and a u64
        FeedFrame.Heartbeat hb = new FeedFrame.Heartbeat(0x0102030405060708L);
        byte[] typeAndBody = ByteBuffer.allocate(9).put((byte) 7).putLong(hb.headBlockNumber()).array();
        assertThat(FrameInjector.envelope(typeAndBody)).isEqualTo(FrameCodec.encode(hb));
    }

    @Test
    void lengthOutOfRangeIsRejected() throws Exception {
        FrameInjector.Connection first = deliverBlockOne();
        first.sendRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
        assertThat(disconnects.poll(10, TimeUnit.SECONDS)).contains("frame length -1 out of range");
        assertResumesAfterBlockOne();
    }

    @Test
    void frameCutShortByTheFeedClosingIsNotDelivered() throws Exception {
        FrameInjector.Connection first = deliverBlockOne();
        first.send(begin(2)).sendTruncated(end(2), 20);
        first.close();
        assertThat(disconnects.poll(10, TimeUnit.SECONDS)).contains("closed the connection");
        assertResumesAfterBlockOne();
        assertThat(blocks).as("block 2 never ended: nothing delivered").isEmpty();
    }

    @Test
    void frameCutShortOnAnOpenConnectionEndsAtTheReadDeadline() throws Exception {
        FrameInjector.Connection first = deliverBlockOne();
        long t0 = System.nanoTime();
        first.send(begin(2)).sendTruncated(end(2), 20);
        assertThat(disconnects.poll(10, TimeUnit.SECONDS)).contains("no frame for 800 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
        assertResumesAfterBlockOne();
    }

    @Test
    void writesExactlyTheBytesGivenAndReadsWhatTheConsumerSends() throws Exception {
        Path path = dir.resolve("raw.sock");
        try (FrameInjector own = FrameInjector.listen(path); SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            FrameInjector.Connection c = own.awaitConnection(WAIT);
            byte[] whole = FrameCodec.encode(end(2));
            c.send(end(2)).sendTruncated(end(2), 20).sendRaw(new byte[] {9}).sendCorrupted(end(2), 4);
            assertThatThrownBy(() -> c.sendTruncated(end(2), whole.length)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.sendCorrupted(end(2), 3)).as("the length prefix stays whole").isInstanceOf(IllegalArgumentException.class);

            raw.write(ByteBuffer.wrap(FrameCodec.encode(new FeedFrame.Resume(5, hash(5)))));
            assertThat(c.read(WAIT)).isEqualTo(new FeedFrame.Resume(5, hash(5)));
            c.close();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (raw.read(buf.clear()) >= 0) {
                got.write(buf.array(), 0, buf.position());
            }
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.write(whole);
            expected.write(whole, 0, 20);
            expected.write(9);
            byte[] damaged = whole.clone();
            damaged[4] = (byte) ~damaged[4];
            expected.write(damaged);
            assertThat(got.toByteArray()).isEqualTo(expected.toByteArray());
            assertThat(own.accepted()).isEqualTo(1);
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void reportsTheConsumerClosing() throws Exception {
        Path path = dir.resolve("raw.sock");
        try (FrameInjector own = FrameInjector.listen(path)) {
            SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(path));
            FrameInjector.Connection c = own.awaitConnection(WAIT);
            assertThat(c.endedByConsumer()).isFalse();
            raw.close();
            assertThat(c.awaitClosedByConsumer(WAIT)).isEqualTo("closed");
            assertThat(c.endedByConsumer()).isTrue();
            assertThatThrownBy(() -> c.read(Duration.ofMillis(100))).isInstanceOf(AssertionError.class).hasMessageContaining("closed");
        }
    }

    /** Hello, the client's Resume, a pool set and block 1, delivered; returns that connection. */
    private FrameInjector.Connection deliverBlockOne() throws Exception {
        FrameInjector.Connection c = feed.awaitConnection(WAIT);
        c.send(new FeedFrame.Hello(FrameCodec.PROTOCOL_VERSION, CHAIN, 0, Bytes32.ZERO, 0));
        assertThat(c.read(WAIT)).isEqualTo(new FeedFrame.Resume(0, Bytes32.ZERO));
        c.send(new FeedFrame.PoolSet(1, 7, true, false, List.of(POOL), List.of()), begin(1), end(1));
        FeedBlock b = blocks.poll(10, TimeUnit.SECONDS);
        assertThat(b).isNotNull();
        assertThat(b.number()).isEqualTo(1);
        return c;
    }

    private void assertResumesAfterBlockOne() throws Exception {
        FrameInjector.Connection again = feed.awaitConnection(WAIT);
        assertThat(again.number()).isEqualTo(2);
        again.send(new FeedFrame.Hello(FrameCodec.PROTOCOL_VERSION, CHAIN, 1, hash(1), 0));
        assertThat(again.read(WAIT)).isEqualTo(new FeedFrame.Resume(1, hash(1)));
    }

    private static FeedFrame.BeginBlock begin(long n) {
        return new FeedFrame.BeginBlock(n, hash(n), hash(n - 1), 1_700_000_000L + n * 12, false);
    }

    private static FeedFrame.EndBlock end(long n) {
        return new FeedFrame.EndBlock(n, hash(n), 0, 7, 1);
    }

    private static Bytes32 hash(long n) {
        return n == 0 ? Bytes32.ZERO : Bytes32.of(BigInteger.valueOf(0xb10c00L + n));
    }
}
