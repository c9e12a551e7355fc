package io.poolstate.arena.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.state.ConcentratedPoolState;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.PoolState;
import io.poolstate.dex.state.TickTable;
import io.poolstate.dex.state.V2PoolState;
import io.poolstate.eth.Bytes32;
import io.poolstate.protocol.whitelist.WhitelistCodec;
import io.poolstate.protocol.whitelist.WhitelistFormatException;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * The arena's checkpoint file format: binary, fixed-width where the value is, version and CRC-32C checked. All
 * integers big-endian; "uint" fields unsigned, "int" two's complement.
 *
 * <pre>
 * header (60 bytes)
 *   0  magic        4   "PSCK"
 *   4  version      u16 3
 *   6  flags        u16 0
 *   8  chain id     u64
 *  16  block number u64  the block the state ends at
 *  24  block hash   32
 *  56  pool count   u32
 * pool record, pool count times
 *   +0  scraped at    u64  the block the pool was read at
 *   +8  kind          u8   2 = V2, 3 = concentrated (V3/V4)
 *   +9  meta length   u16  M
 *  +11  metadata      M    the pool's whitelist entry, compact JSON (WhitelistCodec.writePool: the one pool metadata format)
 *   V2, then
 *   +0  reserve0      32   uint256
 *  +32  reserve1      32   uint256
 *   concentrated, then
 *   +0  sqrtPriceX96  20   uint160
 *  +20  tick          i32
 *  +24  liquidity     16   uint128
 *  +40  fee           u32  pips (V4: the LP fee in force)
 *  +44  protocol fee  u32  V4 packed protocol fee
 *  +48  tick count    u32  T
 *  +52  ticks, T times, strictly ascending tick order, 36 bytes each (liquidityGross above zero):
 *         +0 tick i32 | +4 liquidityGross uint128 (high u64, low u64) | +20 liquidityNet int128 (high i64, low u64)
 * trailer
 *   CRC-32C of every byte before it, u32
 * </pre>
 *
 * A V3/V4 pool costs its metadata (~300 bytes) plus 52 + 36 per initialised tick; nothing is formatted as text but
 * the metadata. Stateless; safe from any thread.
 */
public final class CheckpointCodec {
    public static final int MAGIC = 0x5053434b; // "PSCK"
    public static final int VERSION = 3;
    static final int HEADER = 60;
    private static final int KIND_V2 = 2;
    private static final int KIND_CONCENTRATED = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointCodec() {
    }

    /** A decoded checkpoint: the states to resume with and where they end. */
    public record Checkpoint(long chainId, long blockNumber, Bytes32 blockHash, Map<PoolId, PoolState> states, Map<PoolId, Long> scrapedAt) {
    }

    /** Writes the pools of {@code pools} (with their read blocks, {@code blockNumber} when absent) and the trailer CRC. */
    public static void write(OutputStream target, long chainId, long blockNumber, Bytes32 blockHash, Iterable<PoolSnapshot> pools, int poolCount,
                             Map<PoolId, Long> scrapedAt) throws IOException {
        CRC32C crc = new CRC32C();
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(target, crc));
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        out.writeShort(0);
        out.writeLong(chainId);
        out.writeLong(blockNumber);
        out.write(blockHash.toBytes());
        out.writeInt(poolCount);
        int written = 0;
        for (PoolSnapshot p : pools) {
            writePool(out, p, scrapedAt.getOrDefault(p.descriptor().id(), blockNumber));
            written++;
        }
        if (written != poolCount) {
            throw new IllegalArgumentException("pool count differs from the pools given: pool_count=" + poolCount + " pools=" + written);
        }
        out.flush();
        int sum = (int) crc.getValue();
        target.write(new byte[] {(byte) (sum >>> 24), (byte) (sum >>> 16), (byte) (sum >>> 8), (byte) sum});
        target.flush();
    }

    private static void writePool(DataOutputStream out, PoolSnapshot p, long scrapedAt) throws IOException {
        out.writeLong(scrapedAt);
        out.writeByte(p instanceof PoolSnapshot.V2 ? KIND_V2 : KIND_CONCENTRATED);
        byte[] meta = JSON.writeValueAsBytes(WhitelistCodec.writePool(p.descriptor()));
        if (meta.length > 0xffff) {
            throw new IllegalArgumentException("pool metadata too long for a checkpoint: pool=" + p.descriptor().id() + " bytes=" + meta.length);
        }
        out.writeShort(meta.length);
        out.write(meta);
        switch (p) {
            case PoolSnapshot.V2 v2 -> {
                out.write(unsigned(v2.reserve0(), 32));
                out.write(unsigned(v2.reserve1(), 32));
            }
            case PoolSnapshot.Concentrated c -> {
                out.write(unsigned(c.sqrtPriceX96(), 20));
                out.writeInt(c.tick());
                out.write(unsigned(c.liquidity(), 16));
                out.writeInt(c.fee());
                out.writeInt(c.protocolFee());
                TickTable t = c.tickTable();
                out.writeInt(t.size());
                for (int i = 0; i < t.size(); i++) {
                    out.writeInt(t.tick(i));
                    out.writeLong(t.grossHigh(i));
                    out.writeLong(t.grossLow(i));
                    out.writeLong(t.netHigh(i));
                    out.writeLong(t.netLow(i));
                }
            }
        }
    }

    /**
     * Decodes a whole file's bytes.
     *
     * @throws CheckpointFormatException naming what is wrong (magic, version, CRC, truncation, a pool's metadata)
     */
    public static Checkpoint read(byte[] file) {
        if (file.length < HEADER + 4) {
            throw new CheckpointFormatException("checkpoint too short: bytes=" + file.length);
        }
        ByteBuffer b = ByteBuffer.wrap(file);
        if (b.getInt(0) != MAGIC) {
            throw new CheckpointFormatException("not a poolstate checkpoint: magic=0x" + Integer.toHexString(b.getInt(0)));
        }
        int version = Short.toUnsignedInt(b.getShort(4));
        if (version != VERSION) {
            throw new CheckpointFormatException("checkpoint version " + version + " is not " + VERSION);
        }
        CRC32C crc = new CRC32C();
        crc.update(file, 0, file.length - 4);
        int expected = b.getInt(file.length - 4);
        if ((int) crc.getValue() != expected) {
            throw new CheckpointFormatException("checkpoint CRC mismatch: stored=0x" + Integer.toHexString(expected) + " computed=0x"
                    + Integer.toHexString((int) crc.getValue()));
        }
        b.limit(file.length - 4);
        b.position(8);
        long chainId = b.getLong();
        long blockNumber = b.getLong();
        byte[] hash = new byte[32];
        b.get(hash);
        int count = b.getInt();
        Map<PoolId, PoolState> states = new HashMap<>(count * 2);
        Map<PoolId, Long> scraped = new HashMap<>(count * 2);
        try {
            for (int i = 0; i < count; i++) {
                long at = b.getLong();
                int kind = b.get();
                byte[] meta = new byte[Short.toUnsignedInt(b.getShort())];
                b.get(meta);
                PoolDescriptor d = descriptor(meta, i);
                PoolState s = switch (kind) {
                    case KIND_V2 -> new V2PoolState(d, unsigned(b, 32), unsigned(b, 32));
                    case KIND_CONCENTRATED -> concentrated(b, d);
                    default -> throw new CheckpointFormatException("unknown pool kind in checkpoint: pool=" + d.id() + " kind=" + kind);
                };
                if (states.put(d.id(), s) != null) {
                    throw new CheckpointFormatException("pool twice in checkpoint: pool=" + d.id());
                }
                scraped.put(d.id(), at);
            }
        } catch (BufferUnderflowException e) {
            throw new CheckpointFormatException("checkpoint truncated: pools=" + count + " read=" + states.size());
        }
        if (b.hasRemaining()) {
            throw new CheckpointFormatException("checkpoint has " + b.remaining() + " bytes after its pools");
        }
        return new Checkpoint(chainId, blockNumber, Bytes32.wrap(hash), states, scraped);
    }

    private static PoolDescriptor descriptor(byte[] meta, int index) {
        try {
            PoolDescriptor d = WhitelistCodec.readPool(JSON.readTree(meta));
            if (d.problem() != null) {
                throw new CheckpointFormatException("pool " + d.id() + " has unusable metadata in checkpoint: " + d.problem());
            }
            return d;
        } catch (IOException | WhitelistFormatException e) {
            throw new CheckpointFormatException("pool metadata unreadable in checkpoint: index=" + index + " reason="
                    + e.getMessage() + " text=" + new String(meta, StandardCharsets.UTF_8));
        }
    }

    private static ConcentratedPoolState concentrated(ByteBuffer b, PoolDescriptor d) {
        BigInteger price = unsigned(b, 20);
        int tick = b.getInt();
        BigInteger liquidity = unsigned(b, 16);
        int fee = b.getInt();
        int protocolFee = b.getInt();
        int n = b.getInt();
        if (n < 0 || (long) n * 36 > b.remaining()) {
            throw new CheckpointFormatException("checkpoint truncated: pool=" + d.id() + " ticks=" + n);
        }
        try {
            TickTable.Builder ticks = TickTable.builder(n); // straight into the limbs the state keeps: no BigInteger per tick
            for (int i = 0; i < n; i++) {
                ticks.add(b.getInt(), b.getLong(), b.getLong(), b.getLong(), b.getLong());
            }
            return new ConcentratedPoolState(d, price, tick, liquidity, fee, protocolFee, ticks.build());
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException("pool state out of range in checkpoint: pool=" + d.id() + " reason=" + e.getMessage());
        }
    }

    private static BigInteger unsigned(ByteBuffer b, int width) {
        byte[] v = new byte[width];
        b.get(v);
        return new BigInteger(1, v);
    }

    /** {@code v} as {@code width} big-endian bytes; it must be non-negative and fit. */
    private static byte[] unsigned(BigInteger v, int width) {
        if (v.signum() < 0 || v.bitLength() > width * 8) {
            throw new IllegalArgumentException("value does not fit uint" + width * 8 + ": " + v);
        }
        byte[] raw = v.toByteArray();
        byte[] out = new byte[width];
        int from = Math.max(0, raw.length - width);
        System.arraycopy(raw, from, out, width - (raw.length - from), raw.length - from);
        return out;
    }
}
