package io.poolstate.dex.state;

import io.poolstate.dex.event.SwapSlot;
import io.poolstate.dex.math.Uint256;
import io.poolstate.dex.pool.PoolDescriptor;
import java.math.BigInteger;
import java.util.NavigableMap;

/**
 * A V3 or V4 pool: price (Q64.96), current tick, active liquidity (uint128), fee (V3 fee or V4 LP fee, in
 * pips), V4 protocol fee (two 12-bit pips values), and every initialised tick in tick order.
 *
 * <p>Single writer: the thread that owns the {@link PoolStateBook} holding it (or, before that, the scraper that
 * built it). The price and liquidity arrive from events as BigIntegers and are kept as given; their limbs, which
 * quotes read, are set from a swap's words ({@link io.poolstate.dex.event.SwapSlot}) or else derived on first use. A
 * change of liquidity by a position is made on limbs and its BigInteger is derived when asked for, so applying events
 * allocates nothing. Other threads read {@link #snapshot()}s.
 */
public final class ConcentratedPoolState implements PoolState, ConcentratedView {
    private final PoolDescriptor descriptor;
    private BigInteger sqrtPriceX96;
    /** The price's limbs, valid when {@link #priceLimbsValid}. */
    private final Uint256 priceLimbs = new Uint256();
    private boolean priceLimbsValid;
    int tick;
    /** The liquidity as a BigInteger, or null when only the limbs are current. */
    private BigInteger liquidity;
    /** The liquidity's limbs, valid when {@link #liquidityLimbsValid}. */
    private final Uint256 liquidityLimbs = new Uint256();
    private boolean liquidityLimbsValid;
    int fee;
    int protocolFee;
    /** The writer's table, changed in place. */
    final TickTable ticks;
    /** A copy of {@link #ticks} for readers; null after a tick changed (copied again on the next read). */
    private TickTable ticksCopy;

    public ConcentratedPoolState(PoolDescriptor descriptor, BigInteger sqrtPriceX96, int tick, BigInteger liquidity, int fee,
                                 int protocolFee, NavigableMap<Integer, TickInfo> ticks) {
        this(descriptor, sqrtPriceX96, tick, liquidity, fee, protocolFee, TickTable.of(ticks), false);
    }

    /**
     * From ticks already held as limbs ({@code ticks}: a table nobody changes, e.g. from {@link TickTable#builder} or a
     * snapshot): the state changes its own copy, and its first snapshot shares {@code ticks}. No BigInteger per tick.
     */
    public ConcentratedPoolState(PoolDescriptor descriptor, BigInteger sqrtPriceX96, int tick, BigInteger liquidity, int fee,
                                 int protocolFee, TickTable ticks) {
        this(descriptor, sqrtPriceX96, tick, liquidity, fee, protocolFee, ticks, true);
    }

    private ConcentratedPoolState(PoolDescriptor descriptor, BigInteger sqrtPriceX96, int tick, BigInteger liquidity, int fee,
                                  int protocolFee, TickTable ticks, boolean shared) {
        if (sqrtPriceX96.signum() < 0 || sqrtPriceX96.bitLength() > 160 || liquidity.signum() < 0 || liquidity.bitLength() > 128) {
            throw new IllegalArgumentException("price must fit uint160 and liquidity uint128: pool=" + descriptor.id()
                    + " sqrt_price_x96=" + sqrtPriceX96 + " liquidity=" + liquidity);
        }
        this.descriptor = descriptor;
        this.sqrtPriceX96 = sqrtPriceX96;
        this.tick = tick;
        this.liquidity = liquidity;
        this.fee = fee;
        this.protocolFee = protocolFee;
        this.ticks = shared ? ticks.copy() : ticks;
        this.ticksCopy = shared ? ticks : null;
    }

    @Override
    public PoolDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public BigInteger sqrtPriceX96() {
        return sqrtPriceX96;
    }

    @Override
    public int tick() {
        return tick;
    }

    @Override
    public BigInteger liquidity() {
        BigInteger l = liquidity;
        if (l == null) {
            l = liquidityLimbs.toBigInteger();
            liquidity = l;
        }
        return l;
    }

    @Override
    public int fee() {
        return fee;
    }

    @Override
    public int protocolFee() {
        return protocolFee;
    }

    @Override
    public int tickSpacing() {
        return descriptor.tickSpacing();
    }

    @Override
    public NavigableMap<Integer, TickInfo> ticks() {
        return tickTable().asMap();
    }

    @Override
    public TickTable tickTable() {
        TickTable t = ticksCopy;
        if (t == null) {
            t = ticks.copy();
            ticksCopy = t;
        }
        return t;
    }

    @Override
    public void loadSqrtPriceX96(Uint256 into) {
        into.set(priceLimbs());
    }

    @Override
    public void loadLiquidity(Uint256 into) {
        into.set(liquidityLimbs());
    }

    private Uint256 priceLimbs() {
        if (!priceLimbsValid) {
            priceLimbs.set(sqrtPriceX96);
            priceLimbsValid = true;
        }
        return priceLimbs;
    }

    /** The liquidity's limbs, derived from the BigInteger without allocating when they are not current. */
    Uint256 liquidityLimbs() {
        if (!liquidityLimbsValid) {
            liquidityLimbs.setExactly(liquidity);
            liquidityLimbsValid = true;
        }
        return liquidityLimbs;
    }

    /** Sets price, tick and liquidity as an event reports them. */
    void setSlot(BigInteger price, int newTick, BigInteger newLiquidity) {
        sqrtPriceX96 = price;
        priceLimbsValid = false;
        tick = newTick;
        liquidity = newLiquidity;
        liquidityLimbsValid = false;
    }

    /** Sets price, tick and liquidity as a swap reports them, the limbs from the slot's words (nothing converted). */
    void setSlot(SwapSlot slot) {
        sqrtPriceX96 = slot.sqrtPriceX96();
        priceLimbs.setWords(0, slot.priceWord(2), slot.priceWord(1), slot.priceWord(0));
        priceLimbsValid = true;
        tick = slot.tick();
        liquidity = slot.liquidity();
        liquidityLimbs.setWords(0, 0, slot.liquidityWord(1), slot.liquidityWord(0));
        liquidityLimbsValid = true;
    }

    /** Sets the liquidity to {@code value} (limbs), e.g. after a position changed it. */
    void setLiquidityLimbs(Uint256 value) {
        liquidityLimbs.set(value);
        liquidityLimbsValid = true;
        liquidity = null;
    }

    BigInteger liquidityOrNull() {
        return liquidity;
    }

    boolean liquidityLimbsValid() {
        return liquidityLimbsValid;
    }

    /** Restores the liquidity as it was: the BigInteger (or null) and, when they were current, the limbs. */
    void restoreLiquidity(BigInteger big, boolean limbsValid, long low, long high) {
        liquidity = big;
        liquidityLimbsValid = limbsValid;
        if (limbsValid) {
            liquidityLimbs.setWords(0, 0, high, low);
        }
    }

    /** Restores the price as it was. */
    void restorePrice(BigInteger price) {
        sqrtPriceX96 = price;
        priceLimbsValid = false;
    }

    /** Marks the tick copy stale; called by the book whenever a tick changes. */
    void ticksChanged() {
        ticksCopy = null;
    }

    /** A copy of the state; the ticks are copied only when they changed since the last snapshot (swaps do not change them). */
    @Override
    public PoolSnapshot.Concentrated snapshot() {
        if (!liquidityLimbsValid) {
            if (liquidity.bitLength() < 64) {
                liquidityLimbs.setWords(0, 0, 0, liquidity.longValue()); // liquidity is never negative
            } else {
                liquidityLimbs.set(liquidity); // through one temporary array: faster than bit by bit, and snapshots allocate anyway
            }
            liquidityLimbsValid = true;
        }
        return new PoolSnapshot.Concentrated(descriptor, sqrtPriceX96, tick, liquidity(), fee, protocolFee, tickTable(), priceLimbs(),
                liquidityLimbs);
    }
}
