package io.poolstate.dex.event;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.rpc.Log;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Decodes pool logs into {@link PoolEvent}s. Every field is checked against its Solidity type (a uint112
 * must fit 112 bits, an int24 must be correctly sign-extended, an address word must have 12 zero bytes),
 * so a log that only looks like a pool event is rejected with a reason rather than misread.
 * Stateless; safe from any thread.
 */
public final class LogDecoder {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private LogDecoder() {
    }

    /** Whether {@code log}'s topic0 is one of the pool events we decode. */
    public static boolean isPoolEvent(Log log) {
        return EventKind.byTopic0(log.topic0()) != null;
    }

    /**
     * Decodes one log.
     *
     * @return the decoded event, or null when topic0 is not a pool event we decode
     * @throws MalformedLogException when topic0 matches but the log does not fit the event
     */
    public static DecodedLog decode(Log log) throws MalformedLogException {
        EventKind kind = EventKind.byTopic0(log.topic0());
        if (kind == null) {
            return null;
        }
        List<Bytes32> t = log.topics();
        PoolId pool = kind.protocol() == io.poolstate.dex.pool.Protocol.UNISWAP_V4
                ? (t.size() > 1 ? PoolId.of(t.get(1)) : null) : PoolId.of(log.address());
        return decode(kind, pool, t.subList(1, t.size()), log.data(), LogPosition.of(log), "address=", log.address());
    }

    /**
     * Decodes an event from its fields as logged: {@code indexed} are the topics after topic0, {@code data} the
     * ABI-encoded non-indexed fields. {@code pool} is the emitting pool (V2/V3) or the PoolId the event names in
     * its first indexed topic (V4), which must agree.
     *
     * @throws MalformedLogException when the fields do not fit the event, or name another pool
     */
    public static DecodedLog decode(EventKind kind, PoolId pool, List<Bytes32> indexed, byte[] data, LogPosition at) throws MalformedLogException {
        return decode(kind, pool, indexed, data, at, "pool=", pool);
    }

    /**
     * {@code whereName} + {@code whereValue} names the log in errors ("pool=0x..", "address=0x.."); the text is built only
     * for an error.
     */
    private static DecodedLog decode(EventKind kind, PoolId pool, List<Bytes32> indexed, byte[] data, LogPosition at, String whereName,
                                     Object whereValue) throws MalformedLogException {
        Topics t = new Topics(kind.topic0(), indexed);
        byte[] d = data;
        checkShape(kind, pool, t, d, at, whereName, whereValue);
        Reader r = new Reader();
        PoolEvent e = switch (kind) {
            case V2_SYNC -> new PoolEvent.V2Sync(r.uint(d, 0, 112), r.uint(d, 1, 112));
            case V2_SWAP -> new PoolEvent.V2Swap(r.address(t.get(1)), r.uint(d, 0, 256), r.uint(d, 1, 256), r.uint(d, 2, 256),
                    r.uint(d, 3, 256), r.address(t.get(2)));
            case V2_MINT -> new PoolEvent.V2Mint(r.address(t.get(1)), r.uint(d, 0, 256), r.uint(d, 1, 256));
            case V2_BURN -> new PoolEvent.V2Burn(r.address(t.get(1)), r.uint(d, 0, 256), r.uint(d, 1, 256), r.address(t.get(2)));
            case V3_INITIALIZE -> new PoolEvent.V3Initialize(r.uint(d, 0, 160), r.int24(d, 1));
            case V3_SWAP -> new PoolEvent.V3Swap(r.address(t.get(1)), r.address(t.get(2)), r.signed(d, 0, 256), r.signed(d, 1, 256),
                    r.uint(d, 2, 160), r.uint(d, 3, 128), r.int24(d, 4));
            case V3_MINT -> new PoolEvent.V3Mint(r.address(d, 0), r.address(t.get(1)), r.int24(t.get(2)), r.int24(t.get(3)),
                    r.uint(d, 1, 128), r.uint(d, 2, 256), r.uint(d, 3, 256));
            case V3_BURN -> new PoolEvent.V3Burn(r.address(t.get(1)), r.int24(t.get(2)), r.int24(t.get(3)), r.uint(d, 0, 128),
                    r.uint(d, 1, 256), r.uint(d, 2, 256));
            case V3_COLLECT -> new PoolEvent.V3Collect(r.address(t.get(1)), r.address(d, 0), r.int24(t.get(2)), r.int24(t.get(3)),
                    r.uint(d, 1, 128), r.uint(d, 2, 128));
            case V3_FLASH -> new PoolEvent.V3Flash(r.address(t.get(1)), r.address(t.get(2)), r.uint(d, 0, 256), r.uint(d, 1, 256),
                    r.uint(d, 2, 256), r.uint(d, 3, 256));
            case V4_INITIALIZE -> new PoolEvent.V4Initialize(t.get(1), r.address(t.get(2)), r.address(t.get(3)), r.uint24(d, 0),
                    r.int24(d, 1), r.address(d, 2), r.uint(d, 3, 160), r.int24(d, 4));
            case V4_MODIFY_LIQUIDITY -> new PoolEvent.V4ModifyLiquidity(t.get(1), r.address(t.get(2)), r.int24(d, 0), r.int24(d, 1),
                    r.signed(d, 2, 256), Bytes32.wrap(d, 96));
            case V4_SWAP -> new PoolEvent.V4Swap(t.get(1), r.address(t.get(2)), r.signed(d, 0, 128), r.signed(d, 1, 128),
                    r.uint(d, 2, 160), r.uint(d, 3, 128), r.int24(d, 4), r.uint24(d, 5));
            case V4_DONATE -> new PoolEvent.V4Donate(t.get(1), r.address(t.get(2)), r.uint(d, 0, 256), r.uint(d, 1, 256));
            case V4_PROTOCOL_FEE_UPDATED -> new PoolEvent.V4ProtocolFeeUpdated(t.get(1), r.uint24(d, 0));
        };
        if (r.error != null) {
            throw malformed(kind, whereName + whereValue, at, r.error);
        }
        return new DecodedLog(pool, e, at);
    }

    /** The checks every event's log passes before its fields are read: topic count, data length, the pool it names. */
    private static void checkShape(EventKind kind, PoolId pool, Topics t, byte[] d, LogPosition at, String whereName, Object whereValue)
            throws MalformedLogException {
        if (t.size() != kind.topicCount()) {
            throw malformed(kind, whereName + whereValue, at, "topic count " + t.size() + " != " + kind.topicCount());
        }
        if (d.length != kind.dataWords() * 32) {
            throw malformed(kind, whereName + whereValue, at, "data length " + d.length + " != " + kind.dataWords() * 32);
        }
        if (pool == null || (kind.protocol() == io.poolstate.dex.pool.Protocol.UNISWAP_V4) != pool.isV4()
                || (pool.isV4() && !pool.v4Id().equals(t.get(1)))) {
            throw malformed(kind, whereName + whereValue, at, "the event does not belong to pool " + pool);
        }
    }

    /**
     * What a V3 or V4 {@code Swap} writes into its pool — price, tick, active liquidity — read from the log without
     * building the rest of the event: the log is checked exactly as {@link #decode(EventKind, PoolId, List, byte[], LogPosition)}
     * checks it (every field against its type, in the same order), so this accepts a log exactly when {@code decode}
     * does, with the same reason when it does not, and returns the values {@code decode}'s event holds. Saves the
     * event's addresses and amounts, which the pool's state does not keep.
     *
     * @throws MalformedLogException as {@code decode} would
     * @throws IllegalArgumentException when {@code kind} is not a swap
     */
    public static SwapSlot readSwapSlot(EventKind kind, PoolId pool, List<Bytes32> indexed, byte[] data, LogPosition at)
            throws MalformedLogException {
        if (kind != EventKind.V3_SWAP && kind != EventKind.V4_SWAP) {
            throw new IllegalArgumentException("not a swap: kind=" + kind);
        }
        Topics t = new Topics(kind.topic0(), indexed);
        checkShape(kind, pool, t, data, at, "pool=", pool);
        Reader r = new Reader();
        SwapSlot slot;
        if (kind == EventKind.V3_SWAP) {
            // V3Swap(sender, recipient, int256 amount0, int256 amount1, uint160, uint128, int24): any word is an int256
            r.checkAddress(t.get(1));
            r.checkAddress(t.get(2));
            BigInteger price = r.uint(data, 2, 160);
            BigInteger liquidity = r.uint(data, 3, 128);
            slot = slot(data, price, r.int24(data, 4), liquidity);
        } else {
            // V4Swap(id, sender, int128 amount0, int128 amount1, uint160, uint128, int24, uint24 fee)
            r.checkAddress(t.get(2));
            r.checkSigned(data, 0, 128);
            r.checkSigned(data, 1, 128);
            BigInteger price = r.uint(data, 2, 160);
            BigInteger liquidity = r.uint(data, 3, 128);
            int tick = r.int24(data, 4);
            r.uint24(data, 5);
            slot = slot(data, price, tick, liquidity);
        }
        if (r.error != null) {
            throw malformed(kind, "pool=" + pool, at, r.error);
        }
        return slot;
    }

    /**
     * The slot with the words of data words 2 (the uint160 price: bytes 76..95) and 3 (the uint128 liquidity: bytes
     * 112..127), big-endian; when a word does not fit its type the decoder fails and the slot is dropped.
     */
    private static SwapSlot slot(byte[] data, BigInteger price, int tick, BigInteger liquidity) {
        return new SwapSlot(price, tick, liquidity, (long) LONG.get(data, 88), (long) LONG.get(data, 80), Integer.toUnsignedLong((int) INT.get(data, 76)),
                (long) LONG.get(data, 120), (long) LONG.get(data, 112));
    }

    private static MalformedLogException malformed(EventKind kind, String where, LogPosition at, String reason) {
        return new MalformedLogException(kind, "malformed " + kind + " log: " + reason + " " + where + " " + at);
    }

    /** A log's topics as logged: topic0, then the indexed fields (not copied). */
    private record Topics(Bytes32 topic0, List<Bytes32> indexed) {
        int size() {
            return indexed.size() + 1;
        }

        Bytes32 get(int i) {
            return i == 0 ? topic0 : indexed.get(i - 1);
        }
    }

    /** Reads ABI words; the first violation is kept in {@link #error} (values read after it are zero). */
    private static final class Reader {
        private String error;

        BigInteger uint(byte[] d, int word, int bits) {
            int off = word * 32;
            int length = bitLength(d, off);
            if (length > bits) {
                fail("word " + word + " exceeds uint" + bits);
                return BigInteger.ZERO;
            }
            return magnitude(d, off, length);
        }

        /** Fails as {@link #signed} does, without building the value; {@code bits} a multiple of 8, at most 256. */
        void checkSigned(byte[] d, int word, int bits) {
            int off = word * 32;
            byte fill = d[off] < 0 ? (byte) 0xff : 0;
            // fits int{bits} when the bytes above the value's own are the sign's fill and the value's top bit agrees
            int free = 32 - bits / 8;
            for (int i = 0; i < free; i++) {
                if (d[off + i] != fill) {
                    fail("word " + word + " exceeds int" + bits);
                    return;
                }
            }
            if ((d[off + free] < 0) != (fill != 0)) {
                fail("word " + word + " exceeds int" + bits);
            }
        }

        /** Fails as {@link #address(Bytes32)} does, without building the address. */
        void checkAddress(Bytes32 topic) {
            if (!topic.holdsAddress()) {
                fail("word 0 is not an address");
            }
        }

        BigInteger signed(byte[] d, int word, int bits) {
            int off = word * 32;
            if (d[off] >= 0) { // non-negative: read as unsigned, built only when it fits
                int length = bitLength(d, off);
                if (length > bits - 1) {
                    fail("word " + word + " exceeds int" + bits);
                    return BigInteger.ZERO;
                }
                return magnitude(d, off, length);
            }
            BigInteger v = new BigInteger(d, word * 32, 32); // two's complement: the word as int256
            if (v.bitLength() > bits - 1) {
                fail("word " + word + " exceeds int" + bits);
                return BigInteger.ZERO;
            }
            return v;
        }

        /** The bit length of the 32-byte word at {@code off} read as unsigned (0 for zero), from its bytes. */
        private static int bitLength(byte[] d, int off) {
            int lead = 0;
            while (lead < 32 && d[off + lead] == 0) {
                lead++;
            }
            return lead == 32 ? 0 : (31 - lead) * 8 + 32 - Integer.numberOfLeadingZeros(d[off + lead] & 0xff);
        }

        /** The unsigned word at {@code off} of {@code bitLength} bits, built from its significant bytes only. */
        private static BigInteger magnitude(byte[] d, int off, int bitLength) {
            if (bitLength == 0) {
                return BigInteger.ZERO;
            }
            int bytes = (bitLength + 7) / 8;
            return new BigInteger(1, d, off + 32 - bytes, bytes);
        }

        int int24(byte[] d, int word) {
            return int24(d, word * 32, word);
        }

        int int24(Bytes32 topic) {
            return int24(topic.toBytes(), 0, -1);
        }

        int uint24(byte[] d, int word) {
            int off = word * 32;
            for (int i = 0; i < 29; i++) {
                if (d[off + i] != 0) {
                    fail("word " + word + " exceeds uint24");
                    return 0;
                }
            }
            return ((d[off + 29] & 0xff) << 16) | ((d[off + 30] & 0xff) << 8) | (d[off + 31] & 0xff);
        }

        Address address(byte[] d, int word) {
            for (int i = 0; i < 12; i++) {
                if (d[word * 32 + i] != 0) {
                    fail("word " + word + " is not an address");
                    return Address.ZERO;
                }
            }
            return Address.fromWord(d, word * 32);
        }

        Address address(Bytes32 topic) {
            Address a = topic.asAddress(); // read in place: no copy of the topic
            if (a == null) {
                fail("word 0 is not an address");
                return Address.ZERO;
            }
            return a;
        }

        /** {@code word}: the data word read, for the error (-1: a topic); the text is built only for an error. */
        private int int24(byte[] d, int off, int word) {
            int v = ((d[off + 29] & 0xff) << 16) | ((d[off + 30] & 0xff) << 8) | (d[off + 31] & 0xff);
            v = (v << 8) >> 8; // sign-extend 24 bits
            byte fill = (byte) (v < 0 ? 0xff : 0);
            for (int i = 0; i < 29; i++) {
                if (d[off + i] != fill) {
                    fail((word < 0 ? "topic" : "word " + word) + " is not a sign-extended int24");
                    return 0;
                }
            }
            return v;
        }

        private void fail(String reason) {
            if (error == null) {
                error = reason;
            }
        }
    }
}
