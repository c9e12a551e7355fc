package io.poolstate.dex.state;

import io.poolstate.dex.event.DecodedLog;
import io.poolstate.dex.event.EventKind;
import io.poolstate.dex.event.LogPosition;
import io.poolstate.dex.event.PoolEvent;
import io.poolstate.dex.event.SwapSlot;
import io.poolstate.dex.math.LiquidityMath;
import io.poolstate.dex.math.Uint256;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Bytes32;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact state of a set of pools, advanced one block at a time. Each block is applied atomically (an event
 * that cannot be applied undoes the block's earlier events and the block is refused) and journaled, so the
 * last {@code journalDepth} blocks can be reverted to the exact previous state, newest first.
 *
 * <p>Events are applied as the contracts change their storage: V2 {@code Sync} sets the reserves; V3/V4
 * {@code Swap} sets price, tick and active liquidity; V3 {@code Mint}/{@code Burn} and V4 {@code ModifyLiquidity}
 * update both ticks (flipping them in and out of the initialised set) and the active liquidity when the range
 * holds the current tick; zero-liquidity burns and zero deltas change nothing; {@code Initialize} sets price and
 * tick; V4 {@code ProtocolFeeUpdated} sets the protocol fee. Other events (V2 Swap/Mint/Burn, Collect, Flash,
 * Donate) do not change what is tracked. Events of pools not in the book are ignored (counted).
 *
 * <p>Applying an event allocates nothing: the journal keeps what each event overwrote in reused flat buffers, ticks
 * and liquidity changes are computed on 64-bit limbs, and prices and liquidity reported by events are kept as given.
 *
 * <p>Not thread-safe: one owning thread calls every method; others read {@link PoolState#snapshot()} copies
 * published by the owner.
 */
public final class PoolStateBook {
    /** A block in the journal. */
    public record BlockId(long number, Bytes32 hash) {
    }

    private final Map<PoolId, PoolState> pools = new HashMap<>();
    private final Journal journal;
    /** Registers for liquidity arithmetic, used by the writer only. */
    private final Uint256 gross = new Uint256();
    private final Uint256 active = new Uint256();
    private long ignoredEvents;
    private long appliedEvents;

    public PoolStateBook(int journalDepth) {
        if (journalDepth < 1) {
            throw new IllegalArgumentException("journal depth must be >= 1: depth=" + journalDepth);
        }
        this.journal = new Journal(journalDepth);
    }

    /** Adds or replaces a pool (e.g. freshly scraped). Not journaled. */
    public void put(PoolState state) {
        pools.put(state.descriptor().id(), state);
    }

    public PoolState remove(PoolId id) {
        return pools.remove(id);
    }

    public PoolState get(PoolId id) {
        return pools.get(id);
    }

    public Collection<PoolState> pools() {
        return Collections.unmodifiableCollection(pools.values());
    }

    public int size() {
        return pools.size();
    }

    /** The newest journaled block, or null. */
    public BlockId head() {
        return journal.newest();
    }

    /** Blocks that can still be reverted. */
    public int journaled() {
        return journal.blocks();
    }

    public long ignoredEvents() {
        return ignoredEvents;
    }

    public long appliedEvents() {
        return appliedEvents;
    }

    /**
     * Applies a block's events in order, all or nothing; events of pools the book does not hold are ignored (counted).
     *
     * @throws BlockApplyException naming the block and the event that failed; the book is unchanged
     */
    public void applyBlock(BlockId block, List<DecodedLog> events) throws BlockApplyException {
        long start = journal.mark();
        int i = 0;
        try {
            for (; i < events.size(); i++) {
                DecodedLog event = events.get(i);
                PoolState s = pools.get(event.pool());
                if (s == null) {
                    ignoredEvents++;
                    continue;
                }
                apply(s, event.event());
                appliedEvents++;
            }
        } catch (ArithmeticException | IllegalStateException e) {
            journal.rollback(start);
            DecodedLog bad = events.get(i);
            throw refused(block, bad.kind(), bad.pool(), bad.position(), e);
        }
        journal.commit(block, start);
    }

    /**
     * Applies a block's events in order, all or nothing: {@code events[i]} to {@code states[i]} for each {@code i <
     * count} whose state is not null (a null state skips its event: a pool the caller does not apply it to), each state
     * the object this book holds for the event's pool (given to {@link #put} and not replaced or removed since), so the
     * book does not look the pools up.
     *
     * @throws BlockApplyException naming the block and the event that failed; the book is unchanged
     * @throws NullPointerException naming the index when an event to apply is missing; the book is unchanged
     * @throws IllegalArgumentException when an array holds fewer than {@code count} entries; the book is unchanged
     */
    public void applyEvents(BlockId block, BlockEvent[] events, PoolState[] states, int count) throws BlockApplyException {
        if (count < 0 || events.length < count || states.length < count) {
            throw new IllegalArgumentException("events and states must hold count entries: block=" + block.number() + " count=" + count
                    + " events=" + events.length + " states=" + states.length);
        }
        for (int i = 0; i < count; i++) {
            if (states[i] != null && events[i] == null) {
                throw new NullPointerException("event is missing: block=" + block.number() + " index=" + i + " pool=" + states[i].descriptor().id());
            }
        }
        long start = journal.mark();
        int i = 0;
        try {
            for (; i < count; i++) {
                PoolState s = states[i];
                if (s == null) {
                    continue;
                }
                switch (events[i]) {
                    case BlockEvent.Decoded d -> apply(s, d.log().event());
                    case BlockEvent.Swap sw -> applySwap(s, sw.kind(), sw.slot());
                }
                appliedEvents++;
            }
        } catch (ArithmeticException | IllegalStateException e) {
            journal.rollback(start);
            BlockEvent bad = events[i];
            throw refused(block, bad.kind(), states[i].descriptor().id(), bad.position(), e);
        }
        journal.commit(block, start);
    }

    private static BlockApplyException refused(BlockId block, EventKind kind, PoolId pool, LogPosition at, RuntimeException e) {
        return new BlockApplyException("cannot apply block " + block.number() + " " + block.hash() + ": event " + kind
                + " pool=" + pool + " " + at + " reason=" + e.getMessage(), e);
    }

    /**
     * Reverts the newest journaled block, which must be {@code block}.
     *
     * @throws BlockApplyException when the journal is empty or its newest block is another one
     */
    public void revertBlock(BlockId block) throws BlockApplyException {
        BlockId top = journal.newest();
        if (top == null || !top.equals(block)) {
            throw new BlockApplyException("cannot revert block " + block.number() + " " + block.hash() + ": journal "
                    + (top == null ? "is empty" : "ends at block " + top.number() + " " + top.hash()), null);
        }
        journal.revertNewest();
    }

    /**
     * Sets V4 LP fees (pips) read from the chain at {@code block}, the newest applied block: the hook of a dynamic-fee
     * pool changes its LP fee with {@code PoolManager.updateDynamicLPFee}, which emits no event, so the owner re-reads
     * it (e.g. {@link io.poolstate.dex.scrape.V4LpFeeReader}) and applies it here. Journaled with that block: reverting
     * the block restores the previous fees. Pools not in the book are ignored.
     *
     * @return how many pools' LP fee changed
     * @throws BlockApplyException when {@code block} is not the newest journaled block, or a pool is not a V4 pool; the
     *                             book is unchanged
     */
    public int applyLpFees(BlockId block, Map<PoolId, Integer> lpFees) throws BlockApplyException {
        BlockId top = journal.newest();
        if (top == null || !top.equals(block)) {
            throw new BlockApplyException("cannot apply LP fees at block " + block.number() + " " + block.hash() + ": journal "
                    + (top == null ? "is empty" : "ends at block " + top.number() + " " + top.hash()), null);
        }
        List<ConcentratedPoolState> changed = new ArrayList<>();
        for (Map.Entry<PoolId, Integer> e : lpFees.entrySet()) {
            PoolState s = pools.get(e.getKey());
            if (s == null) {
                continue;
            }
            if (!(s instanceof ConcentratedPoolState c) || !c.isV4()) {
                throw new BlockApplyException("cannot apply an LP fee to a " + s.descriptor().protocol().wireName() + " pool: pool=" + e.getKey()
                        + " block=" + block.number(), null);
            }
            if (c.fee != e.getValue()) {
                changed.add(c);
            }
        }
        for (ConcentratedPoolState c : changed) {
            journal.recordFee(c); // records after a block's commit belong to that (newest) block
            c.fee = lpFees.get(c.descriptor().id());
        }
        return changed.size();
    }

    /** Forgets the journal (e.g. after pools were rescraped at a new block). */
    public void clearJournal() {
        journal.clear();
    }

    private void apply(PoolState s, PoolEvent e) {
        switch (s) {
            case V2PoolState v2 -> {
                if (e instanceof PoolEvent.V2Sync sync) {
                    journal.recordReserves(v2);
                    v2.reserve0 = sync.reserve0();
                    v2.reserve1 = sync.reserve1();
                } else if (!(e instanceof PoolEvent.V2Swap || e instanceof PoolEvent.V2Mint || e instanceof PoolEvent.V2Burn)) {
                    throw new IllegalStateException("event " + e.kind() + " does not belong to a V2 pool");
                }
            }
            case ConcentratedPoolState c -> applyConcentrated(c, e);
        }
    }

    /** A swap's slot, as {@link #applyConcentrated} applies a V3Swap or V4Swap event. */
    private void applySwap(PoolState s, EventKind kind, SwapSlot slot) {
        if (!(s instanceof ConcentratedPoolState c)) {
            throw new IllegalStateException("event " + kind + " does not belong to a V2 pool");
        }
        journal.recordSlot(c); // the slot's numbers fit their types (SwapSlot)
        c.setSlot(slot);
    }

    private void applyConcentrated(ConcentratedPoolState c, PoolEvent e) {
        switch (e) {
            case PoolEvent.V3Swap sw -> setSlot(c, sw.sqrtPriceX96(), sw.tick(), sw.liquidity());
            case PoolEvent.V4Swap sw -> setSlot(c, sw.sqrtPriceX96(), sw.tick(), sw.liquidity());
            case PoolEvent.V3Initialize in -> initialize(c, in.sqrtPriceX96(), in.tick());
            case PoolEvent.V4Initialize in -> initialize(c, in.sqrtPriceX96(), in.tick());
            case PoolEvent.V3Mint m -> modifyPosition(c, m.tickLower(), m.tickUpper(), m.amount(), false);
            case PoolEvent.V3Burn b -> {
                if (b.amount().signum() != 0) {
                    modifyPosition(c, b.tickLower(), b.tickUpper(), b.amount(), true);
                }
            }
            case PoolEvent.V4ModifyLiquidity m -> {
                if (m.liquidityDelta().signum() != 0) {
                    modifyPosition(c, m.tickLower(), m.tickUpper(), m.liquidityDelta(), false);
                }
            }
            case PoolEvent.V4ProtocolFeeUpdated f -> {
                journal.recordProtocolFee(c);
                c.protocolFee = f.protocolFee();
            }
            case PoolEvent.V3Collect ignored -> { }
            case PoolEvent.V3Flash ignored -> { }
            case PoolEvent.V4Donate ignored -> { }
            default -> throw new IllegalStateException("event " + e.kind() + " does not belong to a " + c.descriptor().protocol().wireName() + " pool");
        }
    }

    private void setSlot(ConcentratedPoolState c, BigInteger price, int tick, BigInteger liquidity) {
        checkSlot(price, liquidity);
        journal.recordSlot(c);
        c.setSlot(price, tick, liquidity);
    }

    private void initialize(ConcentratedPoolState c, BigInteger price, int tick) {
        checkSlot(price, BigInteger.ZERO);
        journal.recordSlot(c);
        c.setSlot(price, tick, c.liquidity());
    }

    private static void checkSlot(BigInteger price, BigInteger liquidity) {
        if (price.signum() < 0 || price.bitLength() > 160 || liquidity.signum() < 0 || liquidity.bitLength() > 128) {
            throw new IllegalStateException("price must fit uint160 and liquidity uint128: sqrt_price_x96=" + price + " liquidity=" + liquidity);
        }
    }

    /**
     * UniswapV3Pool._modifyPosition / v4 Pool.modifyLiquidity for a non-zero delta (int128; {@code negate} for a V3
     * burn's uint128 amount), tick and liquidity effects only.
     */
    private void modifyPosition(ConcentratedPoolState c, int lower, int upper, BigInteger delta, boolean negate) {
        if (lower >= upper) {
            throw new IllegalStateException("tick range is empty: lower=" + lower + " upper=" + upper);
        }
        if (delta.bitLength() > 127) {
            throw new IllegalStateException("liquidity delta does not fit int128: delta=" + delta);
        }
        long low = delta.longValue();
        long high = Uint256.twosComplementWord(delta, 1);
        if (negate) {
            low = -low;
            high = ~high + (low == 0 ? 1 : 0);
        }
        updateTick(c, lower, high, low, false);
        updateTick(c, upper, high, low, true);
        if (c.tick >= lower && c.tick < upper) {
            journal.recordLiquidity(c);
            LiquidityMath.addDelta(c.liquidityLimbs(), high, low, active);
            c.setLiquidityLimbs(active);
        }
    }

    /** Tick.update: gross += delta, net += delta (lower) or -= delta (upper); a tick whose gross reaches 0 is cleared. */
    private void updateTick(ConcentratedPoolState c, int tick, long deltaHigh, long deltaLow, boolean upper) {
        TickTable t = c.ticks;
        int at = t.indexOf(tick);
        long netLow = at >= 0 ? t.netLow(at) : 0;
        long netHigh = at >= 0 ? t.netHigh(at) : 0;
        gross.setWords(0, 0, at >= 0 ? t.grossHigh(at) : 0, at >= 0 ? t.grossLow(at) : 0);
        LiquidityMath.addDelta(gross, deltaHigh, deltaLow, gross);
        // liquidityNet = net +- delta, checked as int128
        long dLow = upper ? -deltaLow : deltaLow;
        long dHigh = upper ? ~deltaHigh + (deltaLow == 0 ? 1 : 0) : deltaHigh;
        long sumLow = netLow + dLow;
        long sumHigh = netHigh + dHigh + (Long.compareUnsigned(sumLow, netLow) < 0 ? 1 : 0);
        boolean overflow = upper && deltaHigh == Long.MIN_VALUE && deltaLow == 0 // -int128.min
                || (netHigh < 0) == (dHigh < 0) && (sumHigh < 0) != (netHigh < 0);
        if (overflow) {
            throw new ArithmeticException("liquidityNet overflows int128 at tick " + tick);
        }
        journal.recordTick(c, tick, at);
        if (gross.isZero()) {
            if (at >= 0) {
                t.remove(at);
            }
        } else if (at >= 0) {
            t.set(at, gross.word(0), gross.word(1), sumLow, sumHigh);
        } else {
            t.insert(-at - 1, tick, gross.word(0), gross.word(1), sumLow, sumHigh);
        }
        c.ticksChanged();
    }
}
