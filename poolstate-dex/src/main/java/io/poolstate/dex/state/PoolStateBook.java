package io.poolstate.dex.state;

import io.poolstate.dex.event.DecodedLog;
import io.poolstate.dex.event.PoolEvent;
import io.poolstate.dex.math.LiquidityMath;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Bytes32;
import java.math.BigInteger;
import java.util.ArrayDeque;
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
 * <p>Not thread-safe: one owning thread calls every method; others read {@link PoolState#snapshot()} copies
 * published by the owner.
 */
public final class PoolStateBook {
    /** A block in the journal. */
    public record BlockId(long number, Bytes32 hash) {
    }

    private record JournalEntry(BlockId block, List<Runnable> undo) {
    }

    private final Map<PoolId, PoolState> pools = new HashMap<>();
    private final ArrayDeque<JournalEntry> journal = new ArrayDeque<>();
    private final int journalDepth;
    private long ignoredEvents;
    private long appliedEvents;

    public PoolStateBook(int journalDepth) {
        if (journalDepth < 1) {
            throw new IllegalArgumentException("journal depth must be >= 1: depth=" + journalDepth);
        }
        this.journalDepth = journalDepth;
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
        return journal.isEmpty() ? null : journal.peekLast().block();
    }

    /** Blocks that can still be reverted. */
    public int journaled() {
        return journal.size();
    }

    public long ignoredEvents() {
        return ignoredEvents;
    }

    public long appliedEvents() {
        return appliedEvents;
    }

    /**
     * Applies a block's events in order, all or nothing.
     *
     * @throws BlockApplyException naming the block and the event that failed; the book is unchanged
     */
    public void applyBlock(BlockId block, List<DecodedLog> events) throws BlockApplyException {
        List<Runnable> undo = new ArrayList<>();
        int i = 0;
        try {
            for (; i < events.size(); i++) {
                PoolState s = pools.get(events.get(i).pool());
                if (s == null) {
                    ignoredEvents++;
                    continue;
                }
                apply(s, events.get(i).event(), undo);
                appliedEvents++;
            }
        } catch (ArithmeticException | IllegalStateException e) {
            rollback(undo);
            DecodedLog bad = events.get(i);
            throw new BlockApplyException("cannot apply block " + block.number() + " " + block.hash() + ": event " + bad.kind()
                    + " pool=" + bad.pool() + " " + bad.position() + " reason=" + e.getMessage(), e);
        }
        journal.addLast(new JournalEntry(block, undo));
        while (journal.size() > journalDepth) {
            journal.removeFirst();
        }
    }

    /**
     * Reverts the newest journaled block, which must be {@code block}.
     *
     * @throws BlockApplyException when the journal is empty or its newest block is another one
     */
    public void revertBlock(BlockId block) throws BlockApplyException {
        JournalEntry top = journal.peekLast();
        if (top == null || !top.block().equals(block)) {
            throw new BlockApplyException("cannot revert block " + block.number() + " " + block.hash() + ": journal "
                    + (top == null ? "is empty" : "ends at block " + top.block().number() + " " + top.block().hash()), null);
        }
        journal.removeLast();
        rollback(top.undo());
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
        JournalEntry top = journal.peekLast();
        if (top == null || !top.block().equals(block)) {
            throw new BlockApplyException("cannot apply LP fees at block " + block.number() + " " + block.hash() + ": journal "
                    + (top == null ? "is empty" : "ends at block " + top.block().number() + " " + top.block().hash()), null);
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
            int old = c.fee;
            top.undo().add(() -> c.fee = old);
            c.fee = lpFees.get(c.descriptor().id());
        }
        return changed.size();
    }

    /** Forgets the journal (e.g. after pools were rescraped at a new block). */
    public void clearJournal() {
        journal.clear();
    }

    private static void rollback(List<Runnable> undo) {
        for (int j = undo.size() - 1; j >= 0; j--) {
            undo.get(j).run();
        }
    }

    private static void apply(PoolState s, PoolEvent e, List<Runnable> undo) {
        switch (s) {
            case V2PoolState v2 -> {
                if (e instanceof PoolEvent.V2Sync sync) {
                    BigInteger r0 = v2.reserve0;
                    BigInteger r1 = v2.reserve1;
                    undo.add(() -> {
                        v2.reserve0 = r0;
                        v2.reserve1 = r1;
                    });
                    v2.reserve0 = sync.reserve0();
                    v2.reserve1 = sync.reserve1();
                } else if (!(e instanceof PoolEvent.V2Swap || e instanceof PoolEvent.V2Mint || e instanceof PoolEvent.V2Burn)) {
                    throw new IllegalStateException("event " + e.kind() + " does not belong to a V2 pool");
                }
            }
            case ConcentratedPoolState c -> applyConcentrated(c, e, undo);
        }
    }

    private static void applyConcentrated(ConcentratedPoolState c, PoolEvent e, List<Runnable> undo) {
        switch (e) {
            case PoolEvent.V3Swap sw -> setSlot(c, sw.sqrtPriceX96(), sw.tick(), sw.liquidity(), undo);
            case PoolEvent.V4Swap sw -> setSlot(c, sw.sqrtPriceX96(), sw.tick(), sw.liquidity(), undo);
            case PoolEvent.V3Initialize in -> setSlot(c, in.sqrtPriceX96(), in.tick(), c.liquidity, undo);
            case PoolEvent.V4Initialize in -> setSlot(c, in.sqrtPriceX96(), in.tick(), c.liquidity, undo);
            case PoolEvent.V3Mint m -> modifyPosition(c, m.tickLower(), m.tickUpper(), m.amount(), undo);
            case PoolEvent.V3Burn b -> {
                if (b.amount().signum() != 0) {
                    modifyPosition(c, b.tickLower(), b.tickUpper(), b.amount().negate(), undo);
                }
            }
            case PoolEvent.V4ModifyLiquidity m -> {
                if (m.liquidityDelta().signum() != 0) {
                    modifyPosition(c, m.tickLower(), m.tickUpper(), m.liquidityDelta(), undo);
                }
            }
            case PoolEvent.V4ProtocolFeeUpdated f -> {
                int old = c.protocolFee;
                undo.add(() -> c.protocolFee = old);
                c.protocolFee = f.protocolFee();
            }
            case PoolEvent.V3Collect ignored -> { }
            case PoolEvent.V3Flash ignored -> { }
            case PoolEvent.V4Donate ignored -> { }
            default -> throw new IllegalStateException("event " + e.kind() + " does not belong to a " + c.descriptor().protocol().wireName() + " pool");
        }
    }

    private static void setSlot(ConcentratedPoolState c, BigInteger price, int tick, BigInteger liquidity, List<Runnable> undo) {
        BigInteger oldPrice = c.sqrtPriceX96;
        int oldTick = c.tick;
        BigInteger oldLiquidity = c.liquidity;
        undo.add(() -> {
            c.sqrtPriceX96 = oldPrice;
            c.tick = oldTick;
            c.liquidity = oldLiquidity;
        });
        c.sqrtPriceX96 = price;
        c.tick = tick;
        c.liquidity = liquidity;
    }

    /** UniswapV3Pool._modifyPosition / v4 Pool.modifyLiquidity for a non-zero delta, tick and liquidity effects only. */
    private static void modifyPosition(ConcentratedPoolState c, int lower, int upper, BigInteger delta, List<Runnable> undo) {
        if (lower >= upper) {
            throw new IllegalStateException("tick range is empty: lower=" + lower + " upper=" + upper);
        }
        updateTick(c, lower, delta, false, undo);
        updateTick(c, upper, delta, true, undo);
        if (c.tick >= lower && c.tick < upper) {
            BigInteger old = c.liquidity;
            BigInteger updated = LiquidityMath.addDelta(old, delta);
            undo.add(() -> c.liquidity = old);
            c.liquidity = updated;
        }
    }

    /** Tick.update: gross += delta, net += delta (lower) or -= delta (upper); a tick whose gross reaches 0 is cleared. */
    private static void updateTick(ConcentratedPoolState c, int tick, BigInteger delta, boolean upper, List<Runnable> undo) {
        TickInfo old = c.ticks.get(tick);
        BigInteger gross = old == null ? BigInteger.ZERO : old.liquidityGross();
        BigInteger net = old == null ? BigInteger.ZERO : old.liquidityNet();
        BigInteger grossAfter = LiquidityMath.addDelta(gross, delta);
        BigInteger netAfter = upper ? net.subtract(delta) : net.add(delta);
        if (netAfter.bitLength() > 127) {
            throw new ArithmeticException("liquidityNet overflows int128 at tick " + tick);
        }
        undo.add(() -> {
            if (old == null) {
                c.ticks.remove(tick);
            } else {
                c.ticks.put(tick, old);
            }
            c.ticksChanged();
        });
        if (grossAfter.signum() == 0) {
            c.ticks.remove(tick);
        } else {
            c.ticks.put(tick, new TickInfo(grossAfter, netAfter));
        }
        c.ticksChanged();
    }
}
