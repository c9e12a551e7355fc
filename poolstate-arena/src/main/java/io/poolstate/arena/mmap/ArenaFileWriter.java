package io.poolstate.arena.mmap;

import static io.poolstate.mmap.ArenaFileLayout.*;

import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ArenaView;
import io.poolstate.dex.math.Uint256;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickTable;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.mmap.ArenaFileLayout;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the arena's served pools into the memory-mapped arena file ({@link ArenaFileLayout}, drawn there and in
 * {@code docs/ARENA_FILE.md}) after each published view: only the pools whose state changed (and those that left)
 * are rewritten, each under its record's seqlock, the whole block under the header's; the block number and hash
 * last. Readers in other processes never block the writer: they retry.
 *
 * <p>Each pool has a fixed record and a tick array (a chunk of the tick region of a power-of-two capacity, rewritten
 * in place while the pool's ticks fit, moved to a larger chunk otherwise); a pool whose ticks did not change (its
 * snapshot shares the tick table written last, as after a swap) has only its record rewritten. When records, index slots or tick space
 * run out, the writer writes a complete larger file (the next generation) beside the old one, renames it over the
 * path and marks the old one superseded, so readers re-map it.
 *
 * <p>Single writer: the arena's writer thread (the one that publishes views).
 */
public final class ArenaFileWriter implements AutoCloseable {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MIN_RECORDS = 256;
    private static final int MIN_TICK_CHUNK = 8;
    private static final long MAX_FILE = Integer.MAX_VALUE;

    /** What the writer knows of a pool in the file. */
    private static final class Entry {
        int record;
        int slot;
        PoolSnapshot written;
        long scrapedAt;
        long tickOffset;
        int tickCapacity;
    }

    private final Path path;
    private final long chainId;
    private final long pid = ProcessHandle.current().pid();
    private final Map<PoolId, Entry> pools = new HashMap<>();
    private final ArrayDeque<Integer> freeRecords = new ArrayDeque<>();
    private final Map<Integer, ArrayDeque<Long>> freeChunks = new HashMap<>();
    private final Uint256 limbs = new Uint256();
    private MappedByteBuffer buf;
    private long generation;
    private int indexSlots;
    private int recordCapacity;
    private int usedSlots;
    private int nextRecord;
    private long ticksOffset;
    private long ticksLength;
    private long tickTop;
    private long blockNumber;
    private Bytes32 blockHash = Bytes32.ZERO;
    private int mode;
    private long blocksWritten;
    private long recordsWritten;

    private ArenaFileWriter(Path path, long chainId) {
        this.path = path;
        this.chainId = chainId;
    }

    /**
     * Creates the arena file at {@code path} (empty, at block 0; its directory too), replacing a file there; an arena
     * file there from an earlier run is marked superseded so its readers move to the new one.
     */
    public static ArenaFileWriter create(Path path, long chainId) throws IOException {
        ArenaFileWriter w = new ArenaFileWriter(path.toAbsolutePath(), chainId);
        Files.createDirectories(w.path.getParent());
        w.rebuild(0, 0);
        return w;
    }

    public Path path() {
        return path;
    }

    /** The generation of the file at the path now. */
    public long generation() {
        return generation;
    }

    /** Pool records rewritten since start (a pool written once per block it changed in). */
    public long recordsWritten() {
        return recordsWritten;
    }

    /** Records the arena's mode in the header. */
    public void mode(ArenaMode m) {
        mode = m.ordinal();
        INT.setRelease(buf, H_MODE, mode);
    }

    /** Writes {@code view} entire: every served pool is compared with what the file holds (start-up, a restart). */
    public void publishAll(ArenaView view) throws IOException {
        Set<PoolId> all = new HashSet<>(pools.keySet());
        all.addAll(view.pools().keySet());
        publish(view, all);
    }

    /**
     * Writes the block of {@code view}: the pools among {@code candidates} whose state differs from what the file
     * holds are rewritten, those the view no longer serves are removed; then the block number and hash.
     */
    public void publish(ArenaView view, Collection<PoolId> candidates) throws IOException {
        List<PoolId> removes = new ArrayList<>();
        List<PoolId> writes = new ArrayList<>();
        int adds = 0;
        long tickBytes = 0;
        for (PoolId id : candidates) {
            PoolSnapshot s = view.pools().get(id);
            Entry e = pools.get(id);
            if (s == null) {
                if (e != null) {
                    removes.add(id);
                }
            } else if (e == null || e.written != s || e.scrapedAt != view.scrapedAt().getOrDefault(id, 0L)) {
                writes.add(id);
                if (e == null) {
                    adds++;
                }
                int ticks = ticks(s);
                if (ticks > (e == null ? 0 : e.tickCapacity)) {
                    tickBytes += (long) chunkCapacity(ticks) * TICK_ENTRY_LENGTH;
                }
            }
        }
        mode = view.mode().ordinal();
        blockNumber = view.blockNumber();
        blockHash = view.blockHash();
        int live = pools.size() - removes.size() + adds;
        boolean fits = live <= recordCapacity && usedSlots + adds <= indexSlots / 2 && tickTop + tickBytes <= ticksOffset + ticksLength;
        if (!fits) {
            for (PoolId id : removes) {
                pools.remove(id);
            }
            for (PoolId id : writes) {
                Entry e = pools.computeIfAbsent(id, k -> new Entry());
                e.written = view.pools().get(id);
                e.scrapedAt = view.scrapedAt().getOrDefault(id, 0L);
            }
            long needTicks = 0;
            for (Entry e : pools.values()) {
                needTicks += (long) chunkCapacity(ticks(e.written)) * TICK_ENTRY_LENGTH;
            }
            rebuild(pools.size(), needTicks);
            return;
        }
        long seq = buf.getLong(H_SEQUENCE);
        LONG.setOpaque(buf, H_SEQUENCE, seq + 1);
        VarHandle.releaseFence();
        for (PoolId id : removes) {
            remove(id);
        }
        for (PoolId id : writes) {
            write(id, view.pools().get(id), view.scrapedAt().getOrDefault(id, 0L));
        }
        writeBlock();
        LONG.setRelease(buf, H_SEQUENCE, seq + 2);
    }

    private void writeBlock() {
        buf.putLong(H_BLOCK_NUMBER, blockNumber);
        buf.put(H_BLOCK_HASH, blockHash.toBytes());
        buf.putInt(H_MODE, mode);
        buf.putInt(H_POOL_COUNT, pools.size());
        buf.putLong(H_UPDATED_AT_MILLIS, System.currentTimeMillis());
        buf.putLong(H_BLOCKS_WRITTEN, ++blocksWritten);
    }

    private void remove(PoolId id) {
        Entry e = pools.remove(id);
        int s = indexOffset() + e.slot * SLOT_LENGTH;
        INT.setRelease(buf, s + S_ID_LENGTH, SLOT_DELETED);
        int r = (int) ArenaFileLayout.recordOffset(recordsOffset(), e.record);
        long seq = buf.getLong(r + R_SEQUENCE);
        LONG.setOpaque(buf, r + R_SEQUENCE, seq + 1);
        VarHandle.releaseFence();
        buf.putInt(r + R_STATUS, RECORD_FREE);
        buf.putInt(r + R_TICK_COUNT, 0);
        LONG.setRelease(buf, r + R_SEQUENCE, seq + 2);
        freeRecords.push(e.record);
        freeChunk(e.tickOffset, e.tickCapacity);
    }

    private void write(PoolId id, PoolSnapshot s, long scrapedAt) {
        Entry e = pools.get(id);
        boolean added = e == null;
        if (added) {
            e = new Entry();
            e.record = freeRecords.isEmpty() ? nextRecord++ : freeRecords.pop();
            e.tickOffset = ticksOffset;
            pools.put(id, e);
        }
        int ticks = ticks(s);
        long oldOffset = e.tickOffset;
        int oldCapacity = e.tickCapacity;
        boolean moved = ticks > e.tickCapacity;
        if (moved) {
            e.tickCapacity = chunkCapacity(ticks);
            e.tickOffset = allocateChunk(e.tickCapacity);
        }
        // a snapshot shares its pool's previous tick table until a tick changes (a swap changes none): those ticks are in place
        TickTable inPlace = !added && !moved && e.written instanceof PoolSnapshot.Concentrated c ? c.tickTable() : null;
        e.written = s;
        e.scrapedAt = scrapedAt;
        writeRecord(e, s, inPlace);
        if (moved) {
            freeChunk(oldOffset, oldCapacity); // after the record points elsewhere; a reader still copying it fails its check
        }
        if (added) {
            e.slot = insertSlot(id, e.record);
        }
        recordsWritten++;
    }

    /** Rewrites one record under its seqlock; its tick array too unless it already holds {@code ticksInPlace}. */
    private void writeRecord(Entry e, PoolSnapshot s, TickTable ticksInPlace) {
        int r = (int) ArenaFileLayout.recordOffset(recordsOffset(), e.record);
        long seq = buf.getLong(r + R_SEQUENCE);
        LONG.setOpaque(buf, r + R_SEQUENCE, seq + 1);
        VarHandle.releaseFence();
        PoolDescriptor d = s.descriptor();
        zero(r + R_SQRT_PRICE_X96, 88); // price, liquidity, tick, fee, written-at, reserves
        switch (s) {
            case PoolSnapshot.V2 v2 -> {
                buf.putInt(r + R_SWAP_FEE, 3000);
                putUint128(r + R_RESERVE0, v2.reserve0());
                putUint128(r + R_RESERVE1, v2.reserve1());
                buf.putInt(r + R_TICK_COUNT, 0);
            }
            case PoolSnapshot.Concentrated c -> {
                c.loadSqrtPriceX96(limbs);
                buf.putLong(r + R_SQRT_PRICE_X96, limbs.word(0));
                buf.putLong(r + R_SQRT_PRICE_X96 + 8, limbs.word(1));
                buf.putLong(r + R_SQRT_PRICE_X96 + 16, limbs.word(2));
                c.loadLiquidity(limbs);
                buf.putLong(r + R_LIQUIDITY, limbs.word(0));
                buf.putLong(r + R_LIQUIDITY + 8, limbs.word(1));
                buf.putInt(r + R_TICK, c.tick());
                buf.putInt(r + R_SWAP_FEE, c.fee());
                if (c.tickTable() != ticksInPlace) {
                    writeTicks(e.tickOffset, c.tickTable());
                }
                buf.putInt(r + R_TICK_COUNT, c.tickTable().size());
            }
        }
        buf.putLong(r + R_WRITTEN_AT, blockNumber);
        buf.putInt(r + R_STATUS, RECORD_SERVED);
        buf.putInt(r + R_PROTOCOL, protocolNumber(d.protocol()));
        byte[] id = d.id().toBytes();
        buf.putInt(r + R_ID_LENGTH, id.length);
        buf.putInt(r + R_PROTOCOL_FEE, d.protocol() == Protocol.UNISWAP_V4 && s instanceof PoolSnapshot.Concentrated c ? c.protocolFee() : 0);
        zero(r + R_ID, 32);
        buf.put(r + R_ID, id);
        buf.put(r + R_TOKEN0, d.token0().address().toBytes());
        buf.putInt(r + R_KEY_FEE, d.fee() == null ? 0 : d.fee());
        buf.put(r + R_TOKEN1, d.token1().address().toBytes());
        buf.putInt(r + R_TICK_SPACING, d.tickSpacing() == null ? 0 : d.tickSpacing());
        buf.put(r + R_HOOKS, (d.hooks() == null ? Address.ZERO : d.hooks()).toBytes());
        buf.putLong(r + R_TICK_OFFSET, e.tickOffset);
        buf.putInt(r + R_TICK_CAPACITY, e.tickCapacity);
        buf.put(r + R_DECIMALS0, (byte) (d.token0().decimals() == null ? -1 : d.token0().decimals()));
        buf.put(r + R_DECIMALS1, (byte) (d.token1().decimals() == null ? -1 : d.token1().decimals()));
        buf.putLong(r + R_SCRAPED_AT, e.scrapedAt);
        LONG.setRelease(buf, r + R_SEQUENCE, seq + 2);
    }

    private void writeTicks(long offset, TickTable t) {
        int at = (int) offset;
        for (int i = 0; i < t.size(); i++, at += TICK_ENTRY_LENGTH) {
            buf.putInt(at + T_TICK, t.tick(i));
            buf.putInt(at + T_TICK + 4, 0);
            buf.putLong(at + T_GROSS, t.grossLow(i));
            buf.putLong(at + T_GROSS + 8, t.grossHigh(i));
            buf.putLong(at + T_NET, t.netLow(i));
            buf.putLong(at + T_NET + 8, t.netHigh(i));
        }
    }

    /** Adds the pool to the index: the id first, its length last (released), so a prober never sees half an entry. */
    private int insertSlot(PoolId id, int record) {
        byte[] b = id.toBytes();
        byte[] padded = new byte[32];
        System.arraycopy(b, 0, padded, 0, b.length);
        long word0 = 0;
        for (int i = 7; i >= 0; i--) {
            word0 = (word0 << 8) | (padded[i] & 0xffL);
        }
        int mask = indexSlots - 1;
        for (int slot = ArenaFileLayout.homeSlot(word0, indexSlots); ; slot = (slot + 1) & mask) {
            int s = indexOffset() + slot * SLOT_LENGTH;
            int len = buf.getInt(s + S_ID_LENGTH);
            if (len == SLOT_EMPTY || len == SLOT_DELETED) {
                if (len == SLOT_EMPTY) {
                    usedSlots++;
                }
                buf.putInt(s + S_RECORD, record);
                buf.put(s + S_ID, padded);
                INT.setRelease(buf, s + S_ID_LENGTH, b.length);
                return slot;
            }
        }
    }

    private long allocateChunk(int capacity) {
        ArrayDeque<Long> free = freeChunks.get(capacity);
        if (free != null && !free.isEmpty()) {
            return free.pop();
        }
        long at = tickTop;
        tickTop += (long) capacity * TICK_ENTRY_LENGTH;
        if (tickTop > ticksOffset + ticksLength) {
            throw new IllegalStateException("tick region overflow: top=" + tickTop + " end=" + (ticksOffset + ticksLength)); // checked before writing
        }
        return at;
    }

    private void freeChunk(long offset, int capacity) {
        if (capacity > 0) {
            freeChunks.computeIfAbsent(capacity, k -> new ArrayDeque<>()).push(offset);
        }
    }

    /**
     * Writes every pool into a new file of the next generation, sized for {@code pools} pools and {@code tickBytes}
     * of ticks with room to grow, renames it over the path and marks the old file superseded.
     */
    private void rebuild(int poolCount, long tickBytes) throws IOException {
        int records = Math.max(MIN_RECORDS, Integer.highestOneBit(Math.max(1, poolCount * 2 - 1)) << 1);
        int slots = records * 4;
        long ticks = Math.max(1L << 20, tickBytes * 2);
        long indexOffset = HEADER_LENGTH;
        long recordsOffset = indexOffset + (long) slots * SLOT_LENGTH;
        long ticksAt = recordsOffset + (long) records * RECORD_LENGTH;
        long size = ticksAt + ticks;
        if (size > MAX_FILE) {
            throw new IOException("arena file would exceed 2 GiB: pools=" + poolCount + " tick_bytes=" + tickBytes + " path=" + path);
        }
        Path tmp = path.resolveSibling(path.getFileName() + ".next");
        Files.deleteIfExists(tmp);
        MappedByteBuffer next;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.truncate(size);
            next = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
        next.order(ByteOrder.LITTLE_ENDIAN);
        MappedByteBuffer old = buf != null ? buf : existing();
        generation++;
        buf = next;
        indexSlots = slots;
        recordCapacity = records;
        ticksOffset = ticksAt;
        ticksLength = ticks;
        tickTop = ticksAt;
        usedSlots = 0;
        nextRecord = 0;
        freeRecords.clear();
        freeChunks.clear();
        buf.putLong(H_MAGIC, MAGIC);
        buf.putInt(H_VERSION, VERSION);
        buf.putLong(H_GENERATION, generation);
        buf.putLong(H_CHAIN_ID, chainId);
        buf.putInt(H_INDEX_SLOTS, slots);
        buf.putInt(H_RECORD_CAPACITY, records);
        buf.putLong(H_INDEX_OFFSET, indexOffset);
        buf.putLong(H_RECORDS_OFFSET, recordsOffset);
        buf.putLong(H_TICKS_OFFSET, ticksAt);
        buf.putLong(H_TICKS_LENGTH, ticks);
        buf.putInt(H_RECORD_LENGTH, RECORD_LENGTH);
        buf.putInt(H_TICK_ENTRY_LENGTH, TICK_ENTRY_LENGTH);
        buf.putLong(H_WRITER_PID, pid);
        List<Map.Entry<PoolId, Entry>> all = new ArrayList<>(pools.entrySet());
        pools.clear();
        for (Map.Entry<PoolId, Entry> p : all) {
            write(p.getKey(), p.getValue().written, p.getValue().scrapedAt);
        }
        writeBlock();
        buf.putInt(H_STATUS, STATUS_LIVE);
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (old != null) {
            INT.setRelease(old, H_STATUS, STATUS_SUPERSEDED);
        }
    }

    /** An arena file already at the path (an earlier run), mapped to mark it superseded; null when there is none. */
    private MappedByteBuffer existing() {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (ch.size() < HEADER_LENGTH) {
                return null;
            }
            MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_WRITE, 0, HEADER_LENGTH);
            b.order(ByteOrder.LITTLE_ENDIAN);
            if (b.getLong(H_MAGIC) != MAGIC) {
                return null;
            }
            generation = Math.max(generation, b.getLong(H_GENERATION));
            return b;
        } catch (IOException e) {
            return null;
        }
    }

    /** The stopped writer leaves its last block, marked closed. */
    @Override
    public void close() {
        if (buf != null) {
            INT.setRelease(buf, H_STATUS, STATUS_CLOSED);
        }
    }

    private int indexOffset() {
        return HEADER_LENGTH;
    }

    private int recordsOffset() {
        return HEADER_LENGTH + indexSlots * SLOT_LENGTH;
    }

    private void putUint128(int at, BigInteger v) {
        buf.putLong(at, v.longValue());
        buf.putLong(at + 8, v.shiftRight(64).longValue());
    }

    private void zero(int at, int n) {
        for (int i = 0; i < n; i += 8) {
            buf.putLong(at + i, 0);
        }
    }

    private static int ticks(PoolSnapshot s) {
        return s instanceof PoolSnapshot.Concentrated c ? c.tickTable().size() : 0;
    }

    private static int chunkCapacity(int ticks) {
        return ticks == 0 ? 0 : Math.max(MIN_TICK_CHUNK, Integer.highestOneBit(ticks - 1) << 1);
    }

    private static int protocolNumber(Protocol p) {
        return switch (p) {
            case UNISWAP_V2 -> 2;
            case UNISWAP_V3 -> 3;
            case UNISWAP_V4 -> 4;
        };
    }
}
