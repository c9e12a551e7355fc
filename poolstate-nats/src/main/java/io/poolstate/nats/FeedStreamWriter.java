package io.poolstate.nats;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.PublishOptions;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.poolstate.eth.Bytes32;
import io.poolstate.protocol.feed.FeedSubjects;
import io.poolstate.protocol.feed.FrameFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the feed's block stream for one chain ({@link FeedSubjects}): creates the stream with its limits or brings
 * it to them, publishes one block message (in parts when it would not fit {@code max_payload}), each part with its
 * message id and the expected last sequence of the subject — so two feeds that both think they are active cannot
 * interleave: the second publish fails with {@link #WRONG_LAST_SEQUENCE} — and reads stored messages back (the
 * tail a new active feed continues from).
 *
 * <p>Threads: one caller at a time (the feed's stream publisher).
 */
public final class FeedStreamWriter {
    private static final Logger LOG = LoggerFactory.getLogger(FeedStreamWriter.class);
    /** JetStream's error code for a publish whose expected last sequence is not the stream's. */
    public static final int WRONG_LAST_SEQUENCE = 10071;
    static final int NO_MESSAGE_FOUND = 10037;
    static final int STREAM_NOT_FOUND = 10059;

    /**
     * The stream's retention: at most {@code maxMsgs} messages and {@code maxBytes} bytes (the oldest go first),
     * {@code replicas} copies on a cluster, {@code duplicateWindow} for message-id de-duplication.
     */
    public record Limits(long maxMsgs, long maxBytes, int replicas, Duration duplicateWindow) {
        public static final Limits DEFAULT = new Limits(100_000, 1L << 30, 1, Duration.ofMinutes(2));

        public Limits {
            if (maxMsgs < 16 || maxBytes < (1 << 20) || replicas < 1 || replicas > 5 || duplicateWindow.isNegative()) {
                throw new IllegalArgumentException("feed stream limits out of range: max_msgs=" + maxMsgs + " (>= 16) max_bytes=" + maxBytes
                        + " (>= 1 MiB) replicas=" + replicas + " (1..5) duplicate_window=" + duplicateWindow);
            }
        }
    }

    /** What a block message was stored as: the sequence of its first and last part, and whether the stream had it already. */
    public record Stored(long firstSeq, long lastSeq, boolean duplicate) {
    }

    private final Connection connection;
    private final JetStream js;
    private final JetStreamManagement jsm;
    private final String stream;
    private final String subject;
    private final Limits limits;
    private final String feedId;

    public FeedStreamWriter(Connection connection, long chainId, Limits limits, String feedId) throws IOException {
        this(connection, chainId, limits, feedId, JetStreamOptions.DEFAULT_JS_OPTIONS);
    }

    /** The same with the JetStream API calls made with {@code api} (a reader's shorter request time-out, say). */
    public FeedStreamWriter(Connection connection, long chainId, Limits limits, String feedId, JetStreamOptions api) throws IOException {
        this.connection = connection;
        this.js = connection.jetStream(api);
        this.jsm = connection.jetStreamManagement(api);
        this.stream = FeedSubjects.stream(chainId);
        this.subject = FeedSubjects.blocks(chainId);
        this.limits = limits;
        this.feedId = feedId;
    }

    public String subject() {
        return subject;
    }

    /** Creates the stream with the limits, or brings an existing one to them. */
    public void ensureStream() throws IOException, JetStreamApiException {
        StreamConfiguration.Builder b = StreamConfiguration.builder().name(stream).subjects(subject).storageType(StorageType.File)
                .retentionPolicy(RetentionPolicy.Limits).discardPolicy(DiscardPolicy.Old).maxMessages(limits.maxMsgs()).maxBytes(limits.maxBytes())
                .replicas(limits.replicas()).duplicateWindow(limits.duplicateWindow());
        try {
            StreamInfo si = jsm.getStreamInfo(stream);
            StreamConfiguration c = si.getConfiguration();
            if (c.getMaxMsgs() != limits.maxMsgs() || c.getMaxBytes() != limits.maxBytes() || c.getReplicas() != limits.replicas()
                    || !limits.duplicateWindow().equals(c.getDuplicateWindow())) {
                jsm.updateStream(b.build());
                LOG.info("feed stream limits set: stream={} max_msgs={} max_bytes={} replicas={}", stream, limits.maxMsgs(), limits.maxBytes(),
                        limits.replicas());
            }
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            jsm.addStream(b.build());
            LOG.info("feed stream created: stream={} subject={} max_msgs={} max_bytes={} replicas={}", stream, subject, limits.maxMsgs(),
                    limits.maxBytes(), limits.replicas());
        }
    }

    /** The newest stored message, or null when the stream holds none. */
    public FeedStreamMessage last() throws IOException, JetStreamApiException, FrameFormatException {
        try {
            MessageInfo mi = jsm.getLastMessage(stream, subject);
            return FeedStreamMessage.of(mi.getSeq(), mi.getHeaders(), mi.getData());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
                return null;
            }
            throw e;
        }
    }

    /** The message stored at {@code seq}, or null when the stream no longer (or never) held it. */
    public FeedStreamMessage get(long seq) throws IOException, JetStreamApiException, FrameFormatException {
        try {
            MessageInfo mi = jsm.getMessage(stream, seq);
            return FeedStreamMessage.of(mi.getSeq(), mi.getHeaders(), mi.getData());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE_FOUND) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Publishes one block message: {@code frames} joined, cut at frame boundaries into parts that fit the server's
     * {@code max_payload} (minus 4 KiB for headers), each part expecting the subject's last sequence to be the
     * previous one's ({@code expectedLastSeq} for the first).
     *
     * @param setSeq the newest replacing set's sequence, 0 when this message begins with one
     * @throws JetStreamApiException {@link #WRONG_LAST_SEQUENCE} when another writer published meanwhile
     */
    public Stored publish(long number, Bytes32 hash, Bytes32 parentHash, FeedSubjects.Kind kind, List<byte[]> frames, long setSeq,
                          long expectedLastSeq) throws IOException, JetStreamApiException {
        List<byte[]> parts = split(frames, (int) Math.max(64 << 10, connection.getMaxPayload() - 4096));
        long expected = expectedLastSeq;
        long first = 0;
        boolean duplicate = true;
        for (int i = 0; i < parts.size(); i++) {
            Headers h = new Headers();
            String id = FeedSubjects.messageId(hash, kind, i + 1, parts.size());
            h.put(FeedSubjects.MSG_ID_HEADER, id);
            h.put(FeedSubjects.BLOCK_HEADER, FeedSubjects.blockHeader(number, hash, parentHash, kind));
            if (parts.size() > 1) {
                h.put(FeedSubjects.PART_HEADER, (i + 1) + "/" + parts.size());
            }
            long named = setSeq > 0 ? setSeq : i == 0 ? 0 : first;
            if (named > 0) {
                h.put(FeedSubjects.SET_SEQ_HEADER, Long.toString(named));
            }
            h.put(FeedSubjects.FEED_HEADER, feedId);
            PublishAck ack = js.publish(NatsMessage.builder().subject(subject).headers(h).data(parts.get(i)).build(),
                    PublishOptions.builder().expectedLastSubjectSequence(expected).build());
            if (ack.isDuplicate() && ack.getSeqno() <= expected) {
                // the id names an older message (the block committed, reverted and committed again within the window),
                // not this publish retried: store it under an id that also names its place in the stream
                h.put(FeedSubjects.MSG_ID_HEADER, id + "-after" + expected);
                ack = js.publish(NatsMessage.builder().subject(subject).headers(h).data(parts.get(i)).build(),
                        PublishOptions.builder().expectedLastSubjectSequence(expected).build());
            }
            duplicate &= ack.isDuplicate();
            if (!ack.isDuplicate()) {
                expected = ack.getSeqno();
            } else {
                expected = Math.max(expected, ack.getSeqno());
            }
            if (i == 0) {
                first = ack.getSeqno();
            }
        }
        return new Stored(first, expected, duplicate);
    }

    /** Frames joined into bodies of at most {@code max} bytes, never cutting a frame (a larger frame gets a body of its own). */
    static List<byte[]> split(List<byte[]> frames, int max) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            if (cur.size() > 0 && cur.size() + f.length > max) {
                out.add(cur.toByteArray());
                cur.reset();
            }
            cur.writeBytes(f);
        }
        if (cur.size() > 0 || out.isEmpty()) {
            out.add(cur.toByteArray());
        }
        return out;
    }
}
