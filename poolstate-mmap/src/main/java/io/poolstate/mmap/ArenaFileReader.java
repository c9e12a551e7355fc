package io.poolstate.mmap;

import static io.poolstate.mmap.ArenaFileLayout.*;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the arena file ({@link ArenaFileLayout}) that a running arena writes, from any process: maps it read-only and
 * copies pools out under the seqlocks, so a read returns one consistent version or retries — never a torn one.
 * When the arena replaces the file with a larger generation (or restarts), the reader notices the old file's status
 * and maps the new one.
 *
 * <ul>
 *   <li>{@link #readPrice} — the hot fields of one pool (price, liquidity, tick, swap fee, reserves) under the
 *       record's seqlock: the pool's newest written version.</li>
 *   <li>{@link #readPool} — the whole pool with its ticks, under the record's and the header's seqlocks: the pool's
 *       state at the block the header names, which the record gets.</li>
 *   <li>{@link #snapshot} — every served pool at one block.</li>
 * </ul>
 *
 * <p>Not thread-safe: open one reader per thread (each maps the file; mappings share the page cache). A read
 * that finds a sequence odd for longer than a second (a writer that died mid-block) throws
 * {@link IllegalStateException} instead of spinning forever.
 */
public final class ArenaFileReader implements AutoCloseable {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long STUCK_NANOS = 1_000_000_000L;
    /** {@link #readBegin}'s answer while a write is in progress (a sequence is never negative). */
    private static final long WRITING = -1;

    private final Path path;
    private MappedByteBuffer buf;
    private long generation;
    private int indexSlots;
    private int recordCapacity;
    private int indexOffset;
    private int recordsOffset;
    private long ticksOffset;
    private long ticksEnd;

    private ArenaFileReader(Path path) throws IOException {
        this.path = path;
        map();
    }

    /**
     * Maps the arena file at {@code path}.
     *
     * @throws IOException when it cannot be read, or is not an arena file of this layout version (the reason names it)
     */
    public static ArenaFileReader open(Path path) throws IOException {
        return new ArenaFileReader(path);
    }

    private void map() throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER_LENGTH) {
                throw new IOException("not an arena file: path=" + path + " size=" + size + " (header is " + HEADER_LENGTH + " bytes)");
            }
            if (size > Integer.MAX_VALUE) {
                throw new IOException("arena file larger than 2 GiB is not supported by this reader: path=" + path + " size=" + size);
            }
            MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            b.order(ByteOrder.LITTLE_ENDIAN);
            if (b.getLong(H_MAGIC) != MAGIC) {
                throw new IOException("not an arena file: path=" + path + " magic=0x" + Long.toHexString(b.getLong(H_MAGIC)));
            }
            if (b.getInt(H_VERSION) != VERSION) {
                throw new IOException("arena file layout version not supported: path=" + path + " version=" + b.getInt(H_VERSION) + " supported=" + VERSION);
            }
            if (b.getInt(H_RECORD_LENGTH) != RECORD_LENGTH || b.getInt(H_TICK_ENTRY_LENGTH) != TICK_ENTRY_LENGTH) {
                throw new IOException("arena file record sizes differ from layout " + VERSION + ": path=" + path + " record_length="
                        + b.getInt(H_RECORD_LENGTH) + " tick_entry_length=" + b.getInt(H_TICK_ENTRY_LENGTH));
            }
            long ticksEndInFile = b.getLong(H_TICKS_OFFSET) + b.getLong(H_TICKS_LENGTH);
            if (ticksEndInFile > size) {
                throw new IOException("arena file shorter than its header says: path=" + path + " size=" + size + " expected=" + ticksEndInFile);
            }
            buf = b;
            generation = b.getLong(H_GENERATION);
            indexSlots = b.getInt(H_INDEX_SLOTS);
            recordCapacity = b.getInt(H_RECORD_CAPACITY);
            indexOffset = (int) b.getLong(H_INDEX_OFFSET);
            recordsOffset = (int) b.getLong(H_RECORDS_OFFSET);
            ticksOffset = b.getLong(H_TICKS_OFFSET);
            ticksEnd = ticksEndInFile;
        }
    }

    /** Maps the path again when the arena replaced the file (a larger generation, or a restarted arena). */
    private void follow() {
        if ((int) INT.getOpaque(buf, H_STATUS) != STATUS_SUPERSEDED) {
            return;
        }
        try {
            map();
        } catch (IOException e) {
            throw new IllegalStateException("arena file was replaced and the new one cannot be mapped: path=" + path + " reason=" + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /** The generation of the file mapped now (grows when the arena replaces the file). */
    public long generation() {
        follow();
        return generation;
    }

    /** 1 live, 2 superseded, 3 closed (the arena stopped; the content is its last block). */
    public int status() {
        follow();
        return (int) INT.getOpaque(buf, H_STATUS);
    }

    public long chainId() {
        follow();
        return buf.getLong(H_CHAIN_ID);
    }

    /** The arena's mode: 0 buffering, 1 scraping, 2 replaying, 3 live. */
    public int mode() {
        follow();
        return (int) INT.getOpaque(buf, H_MODE);
    }

    /** When the arena last wrote a block, epoch milliseconds: how fresh the content is. */
    public long updatedAtMillis() {
        follow();
        return (long) LONG.getOpaque(buf, H_UPDATED_AT_MILLIS);
    }

    /** The block whose state the file holds (read under the header seqlock). */
    public long blockNumber() {
        follow();
        long deadline = 0;
        for (int spins = 0; ; spins++) {
            long s1 = readBegin(H_SEQUENCE);
            long n = buf.getLong(H_BLOCK_NUMBER);
            if (s1 != WRITING && readValid(H_SEQUENCE, s1)) {
                return n;
            }
            deadline = spin(spins, deadline, "header");
        }
    }

    /**
     * Copies the hot fields of a pool — sqrtPriceX96, liquidity, tick, swap fee, reserves, the block it was written
     * at, its id and protocol — as one consistent version (the record's seqlock). Ticks and metadata are not copied.
     *
     * @return false when the file does not serve the pool
     */
    public boolean readPrice(PoolHandle h, PoolRecord into) {
        long deadline = 0;
        for (int spins = 0; ; spins++) {
            follow();
            if (h.generation != generation || h.record < 0) {
                if (!resolve(h)) {
                    return false;
                }
            }
            int r = recordsOffset + h.record * RECORD_LENGTH;
            long s1 = readBegin(r + R_SEQUENCE);
            if (s1 != WRITING) {
                boolean same = buf.getInt(r + R_STATUS) == RECORD_SERVED && buf.getInt(r + R_ID_LENGTH) == h.idLength
                        && buf.getLong(r + R_ID) == h.word0 && buf.getLong(r + R_ID + 8) == h.word1
                        && buf.getLong(r + R_ID + 16) == h.word2 && buf.getLong(r + R_ID + 24) == h.word3;
                copyHotFields(r, into);
                if (readValid(r + R_SEQUENCE, s1)) {
                    if (same) {
                        System.arraycopy(h.id, 0, into.id, 0, 32);
                        into.idLength = h.idLength;
                        return true;
                    }
                    h.record = -1; // the record was freed or given to another pool: look the id up again
                }
            }
            deadline = spin(spins, deadline, "record");
        }
    }

    /**
     * Copies a whole pool — every field and its initialised ticks — at the block the header names
     * ({@link PoolRecord#blockNumber()}, {@link PoolRecord#blockHash()}): the record's seqlock makes the copy one
     * version, the header's that this version is the pool's state at that block.
     *
     * @return false when the file does not serve the pool at that block
     */
    public boolean readPool(PoolHandle h, PoolRecord into) {
        long deadline = 0;
        for (int spins = 0; ; spins++) {
            follow();
            long hs = readBegin(H_SEQUENCE);
            if (hs != WRITING) {
                boolean found = (h.generation == generation && h.record >= 0) || resolve(h);
                boolean whole = true;
                if (found) {
                    whole = copyRecord(h.record, into);
                    if (whole && !sameId(into, h)) {
                        h.record = -1; // the record was freed or given to another pool: look the id up again
                        whole = false;
                    }
                }
                into.blockNumber = buf.getLong(H_BLOCK_NUMBER);
                buf.get(H_BLOCK_HASH, into.blockHash);
                if (whole && readValid(H_SEQUENCE, hs)) {
                    return found;
                }
            }
            deadline = spin(spins, deadline, "header");
        }
    }

    /** Every served pool at one block, copied between two equal header sequences. */
    public Snapshot snapshot() {
        long deadline = 0;
        List<PoolRecord> pools = new ArrayList<>();
        PoolRecord into = new PoolRecord();
        for (int spins = 0; ; spins++) {
            follow();
            pools.clear();
            long hs = readBegin(H_SEQUENCE);
            boolean whole = hs != WRITING;
            for (int n = 0; whole && n < recordCapacity; n++) {
                int r = recordsOffset + n * RECORD_LENGTH;
                if ((int) INT.getOpaque(buf, r + R_STATUS) != RECORD_SERVED) {
                    continue;
                }
                whole = copyRecord(n, into);
                if (whole && into.idLength != 0) {
                    pools.add(into.copy());
                }
            }
            long number = buf.getLong(H_BLOCK_NUMBER);
            byte[] hash = new byte[32];
            buf.get(H_BLOCK_HASH, hash);
            if (whole && readValid(H_SEQUENCE, hs)) {
                for (PoolRecord p : pools) {
                    p.blockNumber = number;
                    System.arraycopy(hash, 0, p.blockHash, 0, 32);
                }
                return new Snapshot(number, PoolRecord.hex(hash, 32), List.copyOf(pools));
            }
            deadline = spin(spins, deadline, "header");
        }
    }

    /** Every served pool at block {@code blockNumber} ({@code blockHash}, 0x-hex). */
    public record Snapshot(long blockNumber, String blockHash, List<PoolRecord> pools) {
    }

    /**
     * Copies record {@code n} whole under its seqlock (a served record; a free one copies as id length 0).
     *
     * @return false when the copy was torn by the writer (the caller retries)
     */
    private boolean copyRecord(int n, PoolRecord into) {
        int r = recordsOffset + n * RECORD_LENGTH;
        long deadline = 0;
        for (int spins = 0; ; spins++) {
            long s1 = readBegin(r + R_SEQUENCE);
            if (s1 != WRITING) {
                boolean served = buf.getInt(r + R_STATUS) == RECORD_SERVED;
                into.idLength = served ? buf.getInt(r + R_ID_LENGTH) : 0;
                buf.get(r + R_ID, into.id);
                copyHotFields(r, into);
                into.protocolFee = buf.getInt(r + R_PROTOCOL_FEE);
                buf.get(r + R_TOKEN0, into.token0);
                into.keyFee = buf.getInt(r + R_KEY_FEE);
                buf.get(r + R_TOKEN1, into.token1);
                into.tickSpacing = buf.getInt(r + R_TICK_SPACING);
                buf.get(r + R_HOOKS, into.hooks);
                into.decimals0 = buf.get(r + R_DECIMALS0);
                into.decimals1 = buf.get(r + R_DECIMALS1);
                into.scrapedAt = buf.getLong(r + R_SCRAPED_AT);
                int count = buf.getInt(r + R_TICK_COUNT);
                long offset = buf.getLong(r + R_TICK_OFFSET);
                boolean inBounds = count >= 0 && offset >= ticksOffset && offset + (long) count * TICK_ENTRY_LENGTH <= ticksEnd;
                if (inBounds) {
                    copyTicks((int) offset, count, into);
                }
                if (readValid(r + R_SEQUENCE, s1)) {
                    if (!inBounds) {
                        throw new IllegalStateException("arena file record " + n + " names ticks outside the tick region: offset=" + offset + " count="
                                + count + " path=" + path);
                    }
                    return true;
                }
                return false;
            }
            deadline = spin(spins, deadline, "record");
        }
    }

    /**
     * The seqlock read protocol, begin: the sequence at {@code at} with acquire semantics, or {@link #WRITING} when it
     * is odd (the writer is inside the block or record). Copy the fields, then ask {@link #readValid}.
     */
    private long readBegin(int at) {
        long s = (long) LONG.getAcquire(buf, at);
        return (s & 1) == 0 ? s : WRITING;
    }

    /** The seqlock read protocol, end: true when the sequence at {@code at} is still {@code begin}, so the copy is one version. */
    private boolean readValid(int at, long begin) {
        VarHandle.acquireFence();
        return begin == (long) LONG.getOpaque(buf, at);
    }

    /** The hot fields of record {@code r} (byte offset), inside a seqlock read: price, liquidity, tick, fee, written-at, reserves, protocol. */
    private void copyHotFields(int r, PoolRecord into) {
        into.protocol = buf.getInt(r + R_PROTOCOL);
        into.sqrtPrice0 = buf.getLong(r + R_SQRT_PRICE_X96);
        into.sqrtPrice1 = buf.getLong(r + R_SQRT_PRICE_X96 + 8);
        into.sqrtPrice2 = buf.getLong(r + R_SQRT_PRICE_X96 + 16);
        into.liquidity0 = buf.getLong(r + R_LIQUIDITY);
        into.liquidity1 = buf.getLong(r + R_LIQUIDITY + 8);
        into.tick = buf.getInt(r + R_TICK);
        into.swapFee = buf.getInt(r + R_SWAP_FEE);
        into.writtenAt = buf.getLong(r + R_WRITTEN_AT);
        into.reserve0Low = buf.getLong(r + R_RESERVE0);
        into.reserve0High = buf.getLong(r + R_RESERVE0 + 8);
        into.reserve1Low = buf.getLong(r + R_RESERVE1);
        into.reserve1High = buf.getLong(r + R_RESERVE1 + 8);
    }

    private void copyTicks(int offset, int count, PoolRecord into) {
        into.ensureTicks(count);
        for (int i = 0; i < count; i++) {
            int t = offset + i * TICK_ENTRY_LENGTH;
            into.ticks[i] = buf.getInt(t + T_TICK);
            into.tickLimbs[4 * i] = buf.getLong(t + T_GROSS);
            into.tickLimbs[4 * i + 1] = buf.getLong(t + T_GROSS + 8);
            into.tickLimbs[4 * i + 2] = buf.getLong(t + T_NET);
            into.tickLimbs[4 * i + 3] = buf.getLong(t + T_NET + 8);
        }
        into.tickCount = count;
    }

    private static boolean sameId(PoolRecord r, PoolHandle h) {
        if (r.idLength != h.idLength) {
            return false;
        }
        for (int i = 0; i < 32; i++) {
            if (r.id[i] != h.id[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Finds the pool's record through the index (a hint: the caller checks the record's own id under its seqlock).
     * Returns false when the id is not in the index.
     */
    private boolean resolve(PoolHandle h) {
        h.generation = generation;
        h.record = -1;
        int mask = indexSlots - 1;
        int slot = ArenaFileLayout.homeSlot(h.word0, indexSlots);
        for (int probes = 0; probes < indexSlots; probes++, slot = (slot + 1) & mask) {
            int s = indexOffset + slot * SLOT_LENGTH;
            int len = (int) INT.getAcquire(buf, s + S_ID_LENGTH);
            if (len == SLOT_EMPTY) {
                return false;
            }
            if (len == h.idLength && buf.getLong(s + S_ID) == h.word0 && buf.getLong(s + S_ID + 8) == h.word1
                    && buf.getLong(s + S_ID + 16) == h.word2 && buf.getLong(s + S_ID + 24) == h.word3) {
                int rec = buf.getInt(s + S_RECORD);
                if (rec >= 0 && rec < recordCapacity) {
                    h.record = rec;
                    return true;
                }
            }
        }
        return false;
    }

    /** Waits a little; after a second of odd sequences, gives up loudly. */
    private long spin(int spins, long deadline, String what) {
        Thread.onSpinWait();
        if ((spins & 1023) == 1023) {
            long now = System.nanoTime();
            if (deadline == 0) {
                return now + STUCK_NANOS;
            }
            if (now > deadline) {
                throw new IllegalStateException("arena file " + what + " sequence stayed odd for over a second (writer stopped mid-block?): path=" + path);
            }
            Thread.yield();
        }
        return deadline;
    }

    /** Drops the mapping reference (the mapping itself goes with the buffer's garbage collection). */
    @Override
    public void close() {
        buf = null;
    }
}
