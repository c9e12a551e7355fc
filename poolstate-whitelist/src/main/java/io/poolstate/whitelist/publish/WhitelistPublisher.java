package io.poolstate.whitelist.publish;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.protocol.whitelist.WhitelistAssembler;
import io.poolstate.protocol.whitelist.WhitelistCodec;
import io.poolstate.protocol.whitelist.WhitelistFormat;
import io.poolstate.protocol.whitelist.WhitelistFormatException;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.protocol.whitelist.WhitelistSubjects;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes whitelist updates through JetStream on {@code whitelist.pools.<chain>.minimal} and {@code .full}
 * (spec section 1; the wire format in the README).
 *
 * <ul>
 *   <li>Compact JSON. An update larger than the server's {@code max_payload} (read from the connection, minus
 *       {@link #HEADROOM} for headers; lowered further by {@link Settings#maxMessageBytes}) goes out as numbered
 *       parts with message ids {@code <snapshot_id>-<format>-<i>of<n>@<chain>}; a whole one as
 *       {@code <snapshot_id>-<format>@<chain>} (one stream holds every chain).</li>
 *   <li>{@link #prepare} encodes an update and reads every message back with the consumers' strict reader before
 *       anything is stored, so a snapshot that could never be published, or that consumers would refuse, never
 *       becomes pending.</li>
 *   <li>Headers ({@link WhitelistSubjects}): every message says what it is ({@code full 2/40}) and where the newest
 *       complete full list on its subject starts, so consumers re-sync without reading older lists.</li>
 *   <li>The stream is created or brought to the {@link Settings}' limits: messages per subject, bytes, age and
 *       duplicate window, all explicit. A full list that would not fit twice within them raises them (logged):
 *       retention never drops the newest full list while the diffs after it remain.</li>
 * </ul>
 *
 * <p>Single writer: the whitelist run (under its run lock); {@link #prepare} is also used by the sync responder.
 */
public final class WhitelistPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(WhitelistPublisher.class);
    /** The stream's name. */
    public static final String STREAM = WhitelistSubjects.STREAM;
    /**
     * Held while the stream's configuration is read and written: the publishers of several chains in one process
     * share the stream, and a read-modify-write of one must not undo a limit another just raised.
     */
    private static final Object STREAM_CONFIG = new Object();
    /** Bytes kept free under {@code max_payload} for the headers of a message. */
    public static final int HEADROOM = 1024;

    /**
     * @param fullEvery          a full list is published again once this many snapshots followed the last one
     * @param maxMsgsPerSubject  the stream keeps at most this many messages per subject
     * @param maxBytes           the stream keeps at most this many bytes (all chains); -1 for no limit
     * @param maxAge             the stream drops messages older than this; zero for never. When set, a full list is
     *                           published again once the last one is half this old, changes or not
     * @param duplicateWindow    JetStream drops a message whose id it saw within this window
     * @param maxMessageBytes    largest payload per message; 0 for the server's {@code max_payload} minus headroom
     */
    public record Settings(int fullEvery, long maxMsgsPerSubject, long maxBytes, Duration maxAge, Duration duplicateWindow, int maxMessageBytes) {
        /** A full list every 100 snapshots, 1,000 messages per subject, 1 GiB, no age limit, a 2-minute duplicate window. */
        public static final Settings DEFAULT = new Settings(100, 1_000, 1L << 30, Duration.ZERO, Duration.ofMinutes(2), 0);

        public Settings {
            if (fullEvery < 1) {
                throw new IllegalArgumentException("full-every must be at least 1: value=" + fullEvery);
            }
            if (maxMsgsPerSubject < fullEvery + 2L) {
                throw new IllegalArgumentException("stream-max-msgs-per-subject must hold a full list and the diffs after it: value=" + maxMsgsPerSubject
                        + " full-every=" + fullEvery + " (at least " + (fullEvery + 2) + ")");
            }
            if (maxBytes == 0 || maxBytes < -1) {
                throw new IllegalArgumentException("stream-max-bytes must be positive or -1 (no limit): value=" + maxBytes);
            }
            if (maxAge.isNegative() || duplicateWindow.isNegative() || duplicateWindow.isZero()) {
                throw new IllegalArgumentException("stream-max-age must be zero or positive and duplicate-window positive: max_age=" + maxAge
                        + " duplicate_window=" + duplicateWindow);
            }
            if (!maxAge.isZero() && duplicateWindow.compareTo(maxAge) > 0) {
                throw new IllegalArgumentException("duplicate-window must not exceed stream-max-age: duplicate_window=" + duplicateWindow + " max_age=" + maxAge);
            }
            if (maxMessageBytes < 0) {
                throw new IllegalArgumentException("max-message-bytes must be 0 (the server's limit) or positive: value=" + maxMessageBytes);
            }
        }
    }

    /** What one update took on the wire: bytes and messages per format. */
    public record Sent(int minimalBytes, int fullBytes, int minimalParts, int fullParts) {
    }

    /** An update encoded within the server's limit and read back as consumers will read it: ready to publish. */
    public record Prepared(WhitelistMessage message, List<byte[]> minimal, List<byte[]> full) {
        public Prepared {
            minimal = List.copyOf(minimal);
            full = List.copyOf(full);
        }

        public Sent sent() {
            return new Sent(minimal.stream().mapToInt(b -> b.length).sum(), full.stream().mapToInt(b -> b.length).sum(), minimal.size(), full.size());
        }

        List<byte[]> parts(WhitelistFormat format) {
            return format == WhitelistFormat.FULL ? full : minimal;
        }
    }

    private final Connection nats;
    private final WhitelistSubjects subjects;
    private final long chainId;
    private final Settings settings;
    private final int replicas;
    /** Per subject: the stream sequence of the first part of its newest complete full list; absent when unknown. */
    private final Map<WhitelistFormat, Long> fullSequence = new EnumMap<>(WhitelistFormat.class);

    public WhitelistPublisher(Connection nats, String chain) {
        this(nats, chain, Settings.DEFAULT);
    }

    public WhitelistPublisher(Connection nats, String chain, Settings settings) {
        this(nats, chain, 0, settings, 1);
    }

    /** With the stream kept in {@code replicas} copies on a NATS cluster (1..5); an existing stream is brought to it. */
    public WhitelistPublisher(Connection nats, String chain, Settings settings, int replicas) {
        this(nats, chain, 0, settings, replicas);
    }

    /** Lists made on chain {@code chainId} (sent in {@value WhitelistSubjects#CHAIN_ID_HEADER}; 0 sends none), one stream copy. */
    public WhitelistPublisher(Connection nats, String chain, long chainId, Settings settings) {
        this(nats, chain, chainId, settings, 1);
    }

    /**
     * @param chainId  the chain id of the node the lists are made from, sent in {@value WhitelistSubjects#CHAIN_ID_HEADER}
     *                 so that consumers on another chain refuse them; 0 sends none
     * @param replicas copies of the stream on a NATS cluster (1..5); an existing stream is brought to it
     */
    public WhitelistPublisher(Connection nats, String chain, long chainId, Settings settings, int replicas) {
        if (replicas < 1 || replicas > 5) {
            throw new IllegalArgumentException("stream replicas must lie in 1..5: value=" + replicas);
        }
        this.nats = nats;
        this.subjects = new WhitelistSubjects(chain);
        this.chainId = chainId;
        this.settings = settings;
        this.replicas = replicas;
    }

    public Settings settings() {
        return settings;
    }

    public String chain() {
        return subjects.chain();
    }

    /** The largest payload of one message: the server's {@code max_payload} minus {@link #HEADROOM}, or the setting when lower. */
    public int maxMessageBytes() {
        long server = nats.getMaxPayload() - HEADROOM;
        return (int) (settings.maxMessageBytes() > 0 ? Math.min(settings.maxMessageBytes(), server) : server);
    }

    /**
     * Creates the stream, or brings an existing one to the settings' subjects, age and duplicate window. Message and
     * byte limits are raised to the settings, never lowered here: lowering one could drop the newest full list
     * (lower them by hand, after a full list was published).
     */
    public void ensureStream() throws IOException, JetStreamApiException {
        synchronized (STREAM_CONFIG) {
            ensureStreamLocked();
        }
    }

    private void ensureStreamLocked() throws IOException, JetStreamApiException {
        JetStreamManagement jsm = nats.jetStreamManagement();
        if (!jsm.getStreamNames().contains(STREAM)) {
            jsm.addStream(config(StorageType.File, settings.maxMsgsPerSubject(), settings.maxBytes()).build());
            LOG.info("created JetStream stream {}: max_msgs_per_subject={} max_bytes={} max_age={} duplicate_window={}", STREAM, settings.maxMsgsPerSubject(),
                    settings.maxBytes(), settings.maxAge(), settings.duplicateWindow());
            return;
        }
        StreamConfiguration now = jsm.getStreamInfo(STREAM).getConfiguration();
        StreamConfiguration want = config(now.getStorageType(), Math.max(settings.maxMsgsPerSubject(), now.getMaxMsgsPerSubject()),
                settings.maxBytes() == -1 || now.getMaxBytes() == -1 ? -1 : Math.max(settings.maxBytes(), now.getMaxBytes())).build();
        if (!now.getSubjects().containsAll(want.getSubjects()) || now.getMaxMsgsPerSubject() != want.getMaxMsgsPerSubject()
                || now.getMaxBytes() != want.getMaxBytes() || !now.getMaxAge().equals(want.getMaxAge())
                || !now.getDuplicateWindow().equals(want.getDuplicateWindow()) || now.getMaxMsgs() != -1 || now.getReplicas() != want.getReplicas()) {
            jsm.updateStream(want);
            LOG.info("updated JetStream stream {}: max_msgs_per_subject={} max_bytes={} max_age={} duplicate_window={}", STREAM, want.getMaxMsgsPerSubject(),
                    want.getMaxBytes(), want.getMaxAge(), want.getDuplicateWindow());
        }
    }

    private StreamConfiguration.Builder config(StorageType storage, long perSubject, long bytes) {
        return StreamConfiguration.builder().name(STREAM).subjects(WhitelistSubjects.STREAM_SUBJECTS).storageType(storage).discardPolicy(DiscardPolicy.Old)
                .maxMessages(-1).maxMessagesPerSubject(perSubject).maxBytes(bytes).maxAge(settings.maxAge()).duplicateWindow(settings.duplicateWindow())
                .replicas(replicas);
    }

    /**
     * Encodes an update for the server's current limit (split into parts when needed) and reads every message back
     * with the consumers' strict reader.
     *
     * @throws IllegalArgumentException when the update cannot be published (a pool larger than a message, metadata
     *     consumers refuse): nothing should be stored for it
     */
    public Prepared prepare(WhitelistMessage m) {
        int max = maxMessageBytes();
        Prepared p = new Prepared(m, WhitelistCodec.writeParts(m, WhitelistFormat.MINIMAL, max), WhitelistCodec.writeParts(m, WhitelistFormat.FULL, max));
        for (WhitelistFormat f : WhitelistFormat.values()) {
            WhitelistMessage back = readBack(p.parts(f), f);
            if (!back.poolIds().equals(m.poolIds()) || (f == WhitelistFormat.FULL && m.type() != UpdateType.REMOVE && !back.pools().equals(m.pools()))) {
                throw new IllegalStateException("update does not read back as written: snapshot_id=" + m.snapshotId() + " format=" + f.suffix());
            }
        }
        return p;
    }

    private WhitelistMessage readBack(List<byte[]> parts, WhitelistFormat format) {
        WhitelistCodec.Expect expect = new WhitelistCodec.Expect(subjects.chain(), format, Integer.MAX_VALUE);
        WhitelistAssembler assembler = new WhitelistAssembler(Long.MAX_VALUE, Duration.ofDays(1));
        WhitelistMessage out = null;
        for (byte[] b : parts) {
            try {
                for (WhitelistAssembler.Result r : assembler.accept(WhitelistCodec.readMessage(b, expect), b.length, 0)) {
                    if (r instanceof WhitelistAssembler.Result.Complete c) {
                        out = c.message();
                    } else if (r instanceof WhitelistAssembler.Result.Dropped d) {
                        throw new IllegalArgumentException("consumers would drop this update: " + d.reason());
                    }
                }
            } catch (WhitelistFormatException e) {
                throw new IllegalArgumentException("consumers would refuse this update: format=" + format.suffix() + " reason=" + e.getMessage(), e);
            }
        }
        if (out == null) {
            throw new IllegalStateException("update parts do not complete: format=" + format.suffix() + " parts=" + parts.size());
        }
        return out;
    }

    /** Prepares and publishes one update on both subjects. */
    public Sent publish(WhitelistMessage m) throws IOException, JetStreamApiException {
        return publish(prepare(m));
    }

    /** Publishes a prepared update on both subjects, minimal first. */
    public Sent publish(Prepared p) throws IOException, JetStreamApiException {
        WhitelistMessage m = p.message();
        if (m.type() == UpdateType.FULL) {
            ensureRoom(p);
        }
        for (WhitelistFormat f : WhitelistFormat.values()) {
            send(f, m, p.parts(f));
        }
        Sent s = p.sent();
        LOG.info("published {} update: snapshot={} prev={} pools={} bytes minimal={} full={} messages minimal={} full={} chain={}", m.type().wireName(),
                m.snapshotId(), m.prevSnapshotId(), m.poolIds().size(), s.minimalBytes(), s.fullBytes(), s.minimalParts(), s.fullParts(), subjects.chain());
        return s;
    }

    private void send(WhitelistFormat format, WhitelistMessage m, List<byte[]> parts) throws IOException, JetStreamApiException {
        String subject = subjects.subject(format);
        Long base = m.type() == UpdateType.FULL && parts.size() == 1 ? null : base(format, subject);
        long first = 0;
        int n = parts.size();
        for (int i = 1; i <= n; i++) {
            Headers h = new Headers().put(WhitelistSubjects.MSG_ID_HEADER, subjects.messageId(m.snapshotId(), format, i, n))
                    .put(WhitelistSubjects.UPDATE_HEADER, WhitelistSubjects.updateHeader(m.type(), i, n));
            if (chainId > 0) {
                h.put(WhitelistSubjects.CHAIN_ID_HEADER, Long.toString(chainId));
            }
            Long marker = m.type() != UpdateType.FULL ? base : i == n && n > 1 ? Long.valueOf(first) : i < n ? base : null;
            if (marker != null) {
                h.put(WhitelistSubjects.FULL_SEQ_HEADER, Long.toString(marker));
            }
            PublishAck ack = nats.jetStream().publish(NatsMessage.builder().subject(subject).headers(h).data(parts.get(i - 1)).build());
            if (i == 1) {
                first = ack.getSeqno(); // for a duplicate, the sequence of the message stored before
            }
        }
        if (m.type() == UpdateType.FULL) {
            fullSequence.put(format, first);
        }
    }

    /**
     * The stream sequence of the newest complete full list on the subject: known from this publisher's own
     * publications, else read from the subject's last message (a restarted publisher finishing a pending snapshot);
     * null when the subject names none.
     */
    private Long base(WhitelistFormat format, String subject) throws IOException, JetStreamApiException {
        Long known = fullSequence.get(format);
        if (known != null) {
            return known;
        }
        JetStreamManagement jsm = nats.jetStreamManagement();
        MessageInfo last = message(() -> jsm.getLastMessage(STREAM, subject));
        Headers h = last == null ? null : last.getHeaders();
        if (h == null) {
            return null;
        }
        if (WhitelistSubjects.isWholeFull(h.getFirst(WhitelistSubjects.UPDATE_HEADER))) {
            return last.getSeq();
        }
        try {
            String marker = h.getFirst(WhitelistSubjects.FULL_SEQ_HEADER);
            return marker == null ? null : Long.valueOf(marker.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Raises the stream's limits when a full list of this size would not fit twice within them. */
    private void ensureRoom(Prepared p) throws IOException, JetStreamApiException {
        synchronized (STREAM_CONFIG) {
            ensureRoomLocked(p);
        }
    }

    private void ensureRoomLocked(Prepared p) throws IOException, JetStreamApiException {
        JetStreamManagement jsm = nats.jetStreamManagement();
        StreamConfiguration c = jsm.getStreamInfo(STREAM).getConfiguration();
        Sent s = p.sent();
        long perSubject = 2L * Math.max(s.minimalParts(), s.fullParts()) + settings.fullEvery() + 2;
        long bytes = 3L * (s.minimalBytes() + s.fullBytes() + 2L * HEADROOM * (s.minimalParts() + s.fullParts()));
        boolean raise = c.getMaxMsgsPerSubject() != -1 && c.getMaxMsgsPerSubject() < perSubject || c.getMaxBytes() != -1 && c.getMaxBytes() < bytes;
        if (raise) {
            long newPerSubject = c.getMaxMsgsPerSubject() == -1 ? -1 : Math.max(c.getMaxMsgsPerSubject(), perSubject);
            long newBytes = c.getMaxBytes() == -1 ? -1 : Math.max(c.getMaxBytes(), bytes);
            jsm.updateStream(config(c.getStorageType(), newPerSubject, newBytes).build());
            LOG.warn("raised JetStream stream {} limits so the newest full list and the diffs after it stay stored: max_msgs_per_subject {} -> {},"
                    + " max_bytes {} -> {} (full list: {} + {} messages, {} + {} bytes)", STREAM, c.getMaxMsgsPerSubject(), newPerSubject, c.getMaxBytes(), newBytes,
                    s.minimalParts(), s.fullParts(), s.minimalBytes(), s.fullBytes());
        }
    }

    /**
     * Whether the stream still continues snapshot {@code snapshotId}: on both subjects the last message is this
     * snapshot's, published with the headers consumers re-sync from, and the newest full list they name is still
     * stored. False after the stream lost messages (a new NATS store, retention), or when someone else published
     * after us: the next update must then be a full list.
     */
    public boolean continues(long snapshotId) throws IOException, JetStreamApiException {
        JetStreamManagement jsm = nats.jetStreamManagement();
        if (!jsm.getStreamNames().contains(STREAM)) {
            return false;
        }
        for (WhitelistFormat f : WhitelistFormat.values()) {
            String subject = subjects.subject(f);
            MessageInfo last = message(() -> jsm.getLastMessage(STREAM, subject));
            Headers h = last == null ? null : last.getHeaders();
            if (h == null || !Long.valueOf(snapshotId).equals(WhitelistSubjects.snapshotOfMessageId(h.getFirst(WhitelistSubjects.MSG_ID_HEADER)))) {
                LOG.info("stream does not end with snapshot {} on {}: a full list follows", snapshotId, subject);
                return false;
            }
            long start;
            if (WhitelistSubjects.isWholeFull(h.getFirst(WhitelistSubjects.UPDATE_HEADER))) {
                start = last.getSeq();
            } else {
                try {
                    start = Long.parseLong(String.valueOf(h.getFirst(WhitelistSubjects.FULL_SEQ_HEADER)));
                } catch (NumberFormatException e) {
                    LOG.info("last message on {} names no full list: a full list follows", subject);
                    return false;
                }
            }
            MessageInfo full = message(() -> jsm.getMessage(STREAM, start));
            String update = full == null || full.getHeaders() == null ? null : full.getHeaders().getFirst(WhitelistSubjects.UPDATE_HEADER);
            if (full == null || !subject.equals(full.getSubject()) || update == null || !update.startsWith("full 1/")) {
                LOG.info("the newest full list on {} (sequence {}) is no longer stored: a full list follows", subject, start);
                return false;
            }
            fullSequence.put(f, start);
        }
        return true;
    }

    private interface Get {
        MessageInfo get() throws IOException, JetStreamApiException;
    }

    private static MessageInfo message(Get get) throws IOException, JetStreamApiException {
        try {
            return get.get();
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == 10037) {
                return null; // no message found
            }
            throw e;
        }
    }
}
