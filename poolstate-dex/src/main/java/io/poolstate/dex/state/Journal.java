package io.poolstate.dex.state;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The undo records of the last blocks a {@link PoolStateBook} applied, newest last: what each event overwrote,
 * in flat ring buffers that grow when full and are otherwise reused, so recording allocates nothing. Owned by the
 * book's writer thread.
 */
final class Journal {
    private static final byte RESERVES = 1;
    private static final byte SLOT = 2;
    private static final byte LIQUIDITY = 3;
    private static final byte PROTOCOL_FEE = 4;
    private static final byte TICK_ABSENT = 5;
    private static final byte TICK_PRESENT = 6;
    private static final byte FEE = 7;
    private static final int REFS = 3;
    private static final int LONGS = 4;

    private byte[] kinds = new byte[1024];
    private int[] ints = new int[1024];
    private Object[] refs = new Object[1024 * REFS];
    private long[] longs = new long[1024 * LONGS];
    /** Absolute record numbers: the oldest kept, one past the newest. */
    private long head;
    private long tail;

    private final PoolStateBook.BlockId[] blocks;
    private final long[] blockStarts;
    private int firstBlock;
    private int blockCount;

    Journal(int depth) {
        blocks = new PoolStateBook.BlockId[depth];
        blockStarts = new long[depth];
    }

    /** The position a block's records start at; pass it to {@link #rollback} or {@link #commit}. */
    long mark() {
        return tail;
    }

    int blocks() {
        return blockCount;
    }

    PoolStateBook.BlockId newest() {
        return blockCount == 0 ? null : blocks[(firstBlock + blockCount - 1) % blocks.length];
    }

    /** Closes the block started at {@code start}, dropping the oldest block beyond the depth. */
    void commit(PoolStateBook.BlockId block, long start) {
        if (blockCount == blocks.length) {
            dropOldest();
        }
        int slot = (firstBlock + blockCount) % blocks.length;
        blocks[slot] = block;
        blockStarts[slot] = start;
        blockCount++;
    }

    /** Undoes and forgets the newest block. */
    void revertNewest() {
        int slot = (firstBlock + blockCount - 1) % blocks.length;
        long start = blockStarts[slot];
        blocks[slot] = null;
        blockCount--;
        rollback(start);
    }

    void clear() {
        for (long i = head; i < tail; i++) {
            clearRefs(index(i));
        }
        head = tail;
        Arrays.fill(blocks, null);
        blockCount = 0;
        firstBlock = 0;
    }

    private void dropOldest() {
        long end = blockCount > 1 ? blockStarts[(firstBlock + 1) % blocks.length] : tail;
        for (long i = head; i < end; i++) {
            clearRefs(index(i));
        }
        head = end;
        blocks[firstBlock] = null;
        firstBlock = (firstBlock + 1) % blocks.length;
        blockCount--;
    }

    /** Undoes the records from the newest back to {@code start}, newest first. */
    void rollback(long start) {
        while (tail > start) {
            tail--;
            int i = index(tail);
            undo(i);
            clearRefs(i);
        }
    }

    private void undo(int i) {
        int r = i * REFS;
        int l = i * LONGS;
        switch (kinds[i]) {
            case RESERVES -> {
                V2PoolState v2 = (V2PoolState) refs[r];
                v2.reserve0 = (BigInteger) refs[r + 1];
                v2.reserve1 = (BigInteger) refs[r + 2];
            }
            case SLOT -> {
                ConcentratedPoolState c = (ConcentratedPoolState) refs[r];
                c.restorePrice((BigInteger) refs[r + 1]);
                c.tick = ints[i];
                c.restoreLiquidity((BigInteger) refs[r + 2], longs[l + 2] != 0, longs[l], longs[l + 1]);
            }
            case LIQUIDITY -> {
                ConcentratedPoolState c = (ConcentratedPoolState) refs[r];
                c.restoreLiquidity((BigInteger) refs[r + 2], longs[l + 2] != 0, longs[l], longs[l + 1]);
            }
            case PROTOCOL_FEE -> ((ConcentratedPoolState) refs[r]).protocolFee = ints[i];
            case FEE -> ((ConcentratedPoolState) refs[r]).fee = ints[i];
            case TICK_ABSENT, TICK_PRESENT -> {
                ConcentratedPoolState c = (ConcentratedPoolState) refs[r];
                int tick = ints[i];
                int at = c.ticks.indexOf(tick);
                if (kinds[i] == TICK_ABSENT) {
                    if (at >= 0) {
                        c.ticks.remove(at);
                    }
                } else if (at >= 0) {
                    c.ticks.set(at, longs[l], longs[l + 1], longs[l + 2], longs[l + 3]);
                } else {
                    c.ticks.insert(-at - 1, tick, longs[l], longs[l + 1], longs[l + 2], longs[l + 3]);
                }
                c.ticksChanged();
            }
            default -> throw new IllegalStateException("unknown journal record kind " + kinds[i]);
        }
    }

    /** V2 reserves before a {@code Sync}. */
    void recordReserves(V2PoolState v2) {
        int i = append(RESERVES);
        refs[i * REFS] = v2;
        refs[i * REFS + 1] = v2.reserve0;
        refs[i * REFS + 2] = v2.reserve1;
    }

    /** Price, tick and liquidity before a swap or an initialisation. */
    void recordSlot(ConcentratedPoolState c) {
        int i = append(SLOT);
        refs[i * REFS + 1] = c.sqrtPriceX96();
        ints[i] = c.tick;
        liquidity(i, c);
    }

    /** The active liquidity before a position in range changed it. */
    void recordLiquidity(ConcentratedPoolState c) {
        liquidity(append(LIQUIDITY), c);
    }

    private void liquidity(int i, ConcentratedPoolState c) {
        refs[i * REFS] = c;
        refs[i * REFS + 2] = c.liquidityOrNull();
        boolean valid = c.liquidityLimbsValid();
        longs[i * LONGS] = valid ? c.liquidityLimbs().word(0) : 0;
        longs[i * LONGS + 1] = valid ? c.liquidityLimbs().word(1) : 0;
        longs[i * LONGS + 2] = valid ? 1 : 0;
    }

    void recordProtocolFee(ConcentratedPoolState c) {
        int i = append(PROTOCOL_FEE);
        refs[i * REFS] = c;
        ints[i] = c.protocolFee;
    }

    /** The (LP) fee before it was re-read; recorded after a block is committed, it belongs to that (newest) block. */
    void recordFee(ConcentratedPoolState c) {
        int i = append(FEE);
        refs[i * REFS] = c;
        ints[i] = c.fee;
    }

    /** A tick before a position changed it: its liquidity when it was initialised ({@code index >= 0}). */
    void recordTick(ConcentratedPoolState c, int tick, int index) {
        int i = append(index >= 0 ? TICK_PRESENT : TICK_ABSENT);
        refs[i * REFS] = c;
        ints[i] = tick;
        int l = i * LONGS;
        if (index >= 0) {
            longs[l] = c.ticks.grossLow(index);
            longs[l + 1] = c.ticks.grossHigh(index);
            longs[l + 2] = c.ticks.netLow(index);
            longs[l + 3] = c.ticks.netHigh(index);
        }
    }

    private int append(byte kind) {
        if (tail - head == kinds.length) {
            grow();
        }
        int i = index(tail);
        tail++;
        kinds[i] = kind;
        return i;
    }

    private int index(long record) {
        return (int) (record & (kinds.length - 1));
    }

    private void clearRefs(int i) {
        refs[i * REFS] = null;
        refs[i * REFS + 1] = null;
        refs[i * REFS + 2] = null;
    }

    /** Doubles the ring, keeping every record at its absolute number. */
    private void grow() {
        int n = kinds.length;
        byte[] k = new byte[2 * n];
        int[] in = new int[2 * n];
        Object[] rf = new Object[2 * n * REFS];
        long[] lg = new long[2 * n * LONGS];
        for (long rec = head; rec < tail; rec++) {
            int from = (int) (rec & (n - 1));
            int to = (int) (rec & (2L * n - 1));
            k[to] = kinds[from];
            in[to] = ints[from];
            System.arraycopy(refs, from * REFS, rf, to * REFS, REFS);
            System.arraycopy(longs, from * LONGS, lg, to * LONGS, LONGS);
        }
        kinds = k;
        ints = in;
        refs = rf;
        longs = lg;
    }
}
