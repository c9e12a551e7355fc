package io.poolstate.protocol.feed;

import io.poolstate.dex.event.EventKind;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary encoding of {@link FeedFrame}s. Every frame is a 4-byte big-endian length (of what follows), a
 * 1-byte type, then the fields, big-endian, fixed width unless noted:
 *
 * <pre>
 * frame        := length:u32 type:u8 body crc:u32    (length = 1 + len(body) + 4, at most {@link #MAX_FRAME};
 *                                                     crc = CRC-32C of type and body: a damaged frame is refused)
 *
 * 0x01 Hello          version:u16 chain_id:u64 head:u64 head_hash:b32 oldest_resumable:u64
 * 0x02 Resume         after_number:u64 after_hash:b32
 * 0x03 ResumeRejected reason:u8 (1 too old, 2 unknown hash) oldest_resumable:u64 msg_len:u16 msg:utf8
 * 0x04 BeginBlock     number:u64 hash:b32 parent_hash:b32 timestamp:u64 is_revert:u8 (0|1)
 * 0x05 PoolUpdate     number:u64 tx_index:u32 log_index:u32 tx_hash:b32 kind:u8 pool_len:u8 (20|32) pool:bytes
 *                     topic_count:u8 topics:b32* data_len:u32 data:bytes
 * 0x06 EndBlock       number:u64 hash:b32 num_updates:u32 whitelist_snapshot_id:u64 forwarded_pools:u32
 * 0x07 Heartbeat      head:u64
 * 0x08 Rescrape       from_number:u64 msg_len:u16 msg:utf8
 * 0x09 PoolSet        from_number:u64 snapshot_id:u64 flags:u8 (bit 0 replace, bit 1 more parts follow)
 *                     added_count:u32 (id_len:u8 (20|32) id)* removed_count:u32 (id_len:u8 (20|32) id)*
 * </pre>
 *
 * {@code kind} codes are fixed here (not enum ordinals), so adding an event kind never renumbers others.
 * Stateless; safe from any thread.
 */
public final class FrameCodec {
    public static final int PROTOCOL_VERSION = 2;
    /** Bytes of the CRC-32C trailer of every frame. */
    static final int CRC_BYTES = 4;
    /** Largest accepted frame body (a PoolUpdate of the biggest event is under 400 bytes). */
    public static final int MAX_FRAME = 1 << 20;

    static final byte HELLO = 1;
    static final byte RESUME = 2;
    static final byte RESUME_REJECTED = 3;
    static final byte BEGIN = 4;
    static final byte UPDATE = 5;
    static final byte END = 6;
    static final byte HEARTBEAT = 7;
    static final byte RESCRAPE = 8;
    static final byte POOL_SET = 9;
    /** Pool ids per {@link FeedFrame.PoolSet} part: 16,384 × 33 bytes stays far below {@link #MAX_FRAME}. */
    public static final int POOL_SET_IDS_PER_PART = 16_384;

    private static final EventKind[] KINDS = {
        null, EventKind.V2_SYNC, EventKind.V2_SWAP, EventKind.V2_MINT, EventKind.V2_BURN,
        EventKind.V3_INITIALIZE, EventKind.V3_SWAP, EventKind.V3_MINT, EventKind.V3_BURN, EventKind.V3_COLLECT, EventKind.V3_FLASH,
        EventKind.V4_INITIALIZE, EventKind.V4_MODIFY_LIQUIDITY, EventKind.V4_SWAP, EventKind.V4_DONATE, EventKind.V4_PROTOCOL_FEE_UPDATED,
    };

    private FrameCodec() {
    }

    static int kindCode(EventKind k) {
        for (int i = 1; i < KINDS.length; i++) {
            if (KINDS[i] == k) {
                return i;
            }
        }
        throw new IllegalArgumentException("event kind has no wire code: " + k);
    }

    /** The whole frame, length prefix included. */
    public static byte[] encode(FeedFrame f) {
        ByteBuffer b = ByteBuffer.allocate(size(f));
        b.putInt(b.capacity() - 4);
        fields(b, f);
        seal(b);
        return b.array();
    }

    /**
     * Wraps a type byte and body into a whole frame (length prefix and CRC-32C trailer), whatever they hold: for
     * tools and tests that must send frames this codec would not write.
     */
    public static byte[] frame(byte[] typeAndBody) {
        ByteBuffer b = ByteBuffer.allocate(4 + typeAndBody.length + CRC_BYTES);
        b.putInt(typeAndBody.length + CRC_BYTES).put(typeAndBody);
        seal(b);
        return b.array();
    }

    /** Appends the CRC-32C of everything after the length prefix. */
    private static void seal(ByteBuffer b) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b.array(), 4, b.position() - 4);
        b.putInt((int) crc.getValue());
    }

    private static void fields(ByteBuffer b, FeedFrame f) {
        switch (f) {
            case FeedFrame.Hello h -> {
                b.put(HELLO).putShort((short) h.protocolVersion()).putLong(h.chainId()).putLong(h.headBlockNumber());
                put(b, h.headBlockHash());
                b.putLong(h.oldestResumableBlock());
            }
            case FeedFrame.Resume r -> put(b.put(RESUME).putLong(r.afterBlockNumber()), r.afterBlockHash());
            case FeedFrame.ResumeRejected r -> putText(b.put(RESUME_REJECTED).put((byte) (r.reason().ordinal() + 1)).putLong(r.oldestResumableBlock()),
                    r.message());
            case FeedFrame.BeginBlock bb -> {
                b.put(BEGIN).putLong(bb.blockNumber());
                put(b, bb.blockHash());
                put(b, bb.parentHash());
                b.putLong(bb.timestamp()).put((byte) (bb.isRevert() ? 1 : 0));
            }
            case FeedFrame.PoolUpdate u -> {
                b.put(UPDATE).putLong(u.blockNumber()).putInt(u.txIndex()).putInt(u.logIndex());
                put(b, u.txHash());
                byte[] pool = u.pool().toBytes();
                b.put((byte) kindCode(u.kind())).put((byte) pool.length).put(pool).put((byte) u.topics().size());
                u.topics().forEach(t -> put(b, t));
                byte[] data = u.data();
                b.putInt(data.length).put(data);
            }
            case FeedFrame.EndBlock e -> {
                b.put(END).putLong(e.blockNumber());
                put(b, e.blockHash());
                b.putInt(e.numUpdates()).putLong(e.whitelistSnapshotId()).putInt(e.forwardedPools());
            }
            case FeedFrame.PoolSet p -> {
                b.put(POOL_SET).putLong(p.fromBlockNumber()).putLong(p.snapshotId()).put((byte) ((p.replace() ? 1 : 0) | (p.more() ? 2 : 0)));
                putIds(b, p.added());
                putIds(b, p.removed());
            }
            case FeedFrame.Heartbeat h -> b.put(HEARTBEAT).putLong(h.headBlockNumber());
            case FeedFrame.Rescrape r -> putText(b.put(RESCRAPE).putLong(r.fromBlockNumber()), r.reason());
        }
    }

    /** Bytes of the encoded frame, length prefix included. */
    public static int size(FeedFrame f) {
        return 5 + CRC_BYTES + switch (f) {
            case FeedFrame.Hello h -> 2 + 24 + 32;
            case FeedFrame.Resume r -> 8 + 32;
            case FeedFrame.ResumeRejected r -> 1 + 8 + 2 + utf8(r.message()).length;
            case FeedFrame.BeginBlock bb -> 8 + 32 + 32 + 8 + 1;
            case FeedFrame.PoolUpdate u -> 8 + 4 + 4 + 32 + 1 + 1 + u.pool().length() + 1 + 32 * u.topics().size() + 4 + u.data().length;
            case FeedFrame.EndBlock e -> 8 + 32 + 4 + 8 + 4;
            case FeedFrame.PoolSet p -> 8 + 8 + 1 + idsSize(p.added()) + idsSize(p.removed());
            case FeedFrame.Heartbeat h -> 8;
            case FeedFrame.Rescrape r -> 8 + 2 + utf8(r.reason()).length;
        };
    }

    /**
     * Decodes one frame (type byte, fields and CRC trailer, without the length prefix).
     *
     * @throws FrameFormatException naming the type and what is wrong: a CRC that does not match, a truncated or
     *     over-long frame, an unknown type or value
     */
    public static FeedFrame decode(ByteBuffer frame) throws FrameFormatException {
        if (!frame.hasRemaining()) {
            throw new FrameFormatException("empty frame");
        }
        if (frame.remaining() < 1 + CRC_BYTES) {
            throw new FrameFormatException("frame of " + frame.remaining() + " bytes is shorter than a type and its CRC");
        }
        ByteBuffer body = frame.slice(frame.position(), frame.remaining() - CRC_BYTES);
        int expected = frame.getInt(frame.limit() - CRC_BYTES);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body.duplicate());
        if ((int) crc.getValue() != expected) {
            throw new FrameFormatException("frame type " + body.get(0) + " of " + frame.remaining() + " bytes fails its CRC-32C: damaged");
        }
        frame.position(frame.limit());
        byte type = body.get();
        try {
            FeedFrame f = switch (type) {
                case HELLO -> new FeedFrame.Hello(body.getShort() & 0xffff, body.getLong(), body.getLong(), b32(body), body.getLong());
                case RESUME -> new FeedFrame.Resume(body.getLong(), b32(body));
                case RESUME_REJECTED -> {
                    int reason = body.get();
                    if (reason < 1 || reason > FeedFrame.RejectReason.values().length) {
                        throw new FrameFormatException("ResumeRejected: unknown reason code " + reason);
                    }
                    yield new FeedFrame.ResumeRejected(FeedFrame.RejectReason.values()[reason - 1], body.getLong(), text(body));
                }
                case BEGIN -> {
                    long n = body.getLong();
                    Bytes32 h = b32(body);
                    Bytes32 p = b32(body);
                    long ts = body.getLong();
                    byte revert = body.get();
                    if (revert != 0 && revert != 1) {
                        throw new FrameFormatException("BeginBlock: is_revert must be 0 or 1, got " + revert);
                    }
                    yield new FeedFrame.BeginBlock(n, h, p, ts, revert == 1);
                }
                case UPDATE -> update(body);
                case END -> new FeedFrame.EndBlock(body.getLong(), b32(body), body.getInt(), body.getLong(), body.getInt());
                case POOL_SET -> poolSet(body);
                case HEARTBEAT -> new FeedFrame.Heartbeat(body.getLong());
                case RESCRAPE -> new FeedFrame.Rescrape(body.getLong(), text(body));
                default -> throw new FrameFormatException("unknown frame type " + type);
            };
            if (body.hasRemaining()) {
                throw new FrameFormatException("frame type " + type + " has " + body.remaining() + " trailing bytes");
            }
            return f;
        } catch (BufferUnderflowException e) {
            throw new FrameFormatException("frame type " + type + " is truncated");
        }
    }

    private static FeedFrame.PoolUpdate update(ByteBuffer body) throws FrameFormatException {
        long n = body.getLong();
        int tx = body.getInt();
        int log = body.getInt();
        Bytes32 txHash = b32(body);
        int code = body.get() & 0xff;
        if (code == 0 || code >= KINDS.length) {
            throw new FrameFormatException("PoolUpdate: unknown event kind code " + code);
        }
        int poolLen = body.get() & 0xff;
        if (poolLen != 20 && poolLen != 32) {
            throw new FrameFormatException("PoolUpdate: pool id length must be 20 or 32, got " + poolLen);
        }
        byte[] pool = new byte[poolLen];
        body.get(pool);
        int topicCount = body.get() & 0xff;
        if (topicCount > 3) {
            throw new FrameFormatException("PoolUpdate: at most 3 indexed topics, got " + topicCount);
        }
        List<Bytes32> topics = new ArrayList<>(topicCount);
        for (int i = 0; i < topicCount; i++) {
            topics.add(b32(body));
        }
        int dataLen = body.getInt();
        if (dataLen < 0 || dataLen > body.remaining()) {
            throw new FrameFormatException("PoolUpdate: data length " + dataLen + " exceeds the frame");
        }
        byte[] data = new byte[dataLen];
        body.get(data);
        PoolId id = poolLen == 20 ? PoolId.of(Address.wrap(pool)) : PoolId.of(Bytes32.wrap(pool));
        return new FeedFrame.PoolUpdate(n, tx, log, txHash, id, KINDS[code], topics, data);
    }

    private static FeedFrame.PoolSet poolSet(ByteBuffer body) throws FrameFormatException {
        long from = body.getLong();
        long snapshot = body.getLong();
        int flags = body.get() & 0xff;
        if ((flags & ~3) != 0) {
            throw new FrameFormatException("PoolSet: unknown flags " + flags);
        }
        List<PoolId> added = ids(body, "added");
        List<PoolId> removed = ids(body, "removed");
        if ((flags & 1) != 0 && !removed.isEmpty()) {
            throw new FrameFormatException("PoolSet: a replacing set lists " + removed.size() + " removed pools");
        }
        return new FeedFrame.PoolSet(from, snapshot, (flags & 1) != 0, (flags & 2) != 0, added, removed);
    }

    private static List<PoolId> ids(ByteBuffer body, String field) throws FrameFormatException {
        int count = body.getInt();
        if (count < 0 || count > body.remaining() / 21) {
            throw new FrameFormatException("PoolSet: " + field + " count " + count + " exceeds the frame");
        }
        List<PoolId> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int len = body.get() & 0xff;
            if (len != 20 && len != 32) {
                throw new FrameFormatException("PoolSet: " + field + "[" + i + "] id length must be 20 or 32, got " + len);
            }
            byte[] id = new byte[len];
            body.get(id);
            ids.add(len == 20 ? PoolId.of(Address.wrap(id)) : PoolId.of(Bytes32.wrap(id)));
        }
        return ids;
    }

    private static void putIds(ByteBuffer b, List<PoolId> ids) {
        b.putInt(ids.size());
        for (PoolId id : ids) {
            b.put((byte) id.length()).put(id.toBytes());
        }
    }

    private static int idsSize(List<PoolId> ids) {
        int n = 4;
        for (PoolId id : ids) {
            n += 1 + id.length();
        }
        return n;
    }

    private static void put(ByteBuffer b, Bytes32 v) {
        b.put(v.toBytes());
    }

    private static Bytes32 b32(ByteBuffer b) {
        return Bytes32.read(b);
    }

    private static void putText(ByteBuffer b, String s) {
        byte[] t = utf8(s);
        b.putShort((short) t.length).put(t);
    }

    private static String text(ByteBuffer b) throws FrameFormatException {
        int len = b.getShort() & 0xffff;
        if (len > b.remaining()) {
            throw new FrameFormatException("text length " + len + " exceeds the frame");
        }
        byte[] t = new byte[len];
        b.get(t);
        return new String(t, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        byte[] t = s.getBytes(StandardCharsets.UTF_8);
        return t.length <= 0xffff ? t : java.util.Arrays.copyOf(t, 0xffff);
    }
}
