package io.poolstate.dex.event;

import io.poolstate.dex.math.Uint256;
import java.math.BigInteger;
import java.util.Objects;

/**
 * What a V3 or V4 {@code Swap} writes into its pool: the price after the swap (Q64.96 square root, uint160), the tick
 * (int24) and the active liquidity (uint128), as the event reports them ({@link LogDecoder#readSwapSlot}). Each number
 * is also held as its 64-bit words, low word first ({@link #priceWord}, {@link #liquidityWord}): the decoder reads them
 * from the log beside the numbers, so that the state the slot is applied to holds its limbs without converting the
 * numbers again. The words are always the numbers' (set from the same log bytes, or taken from the numbers).
 * Immutable; equal when the numbers and the tick are.
 */
public final class SwapSlot {
    private final BigInteger sqrtPriceX96;
    private final int tick;
    private final BigInteger liquidity;
    private final long price0;
    private final long price1;
    private final long price2;
    private final long liquidity0;
    private final long liquidity1;

    /**
     * From the numbers: their words taken from them.
     *
     * @throws IllegalArgumentException when the price does not fit uint160 or the liquidity uint128
     */
    public SwapSlot(BigInteger sqrtPriceX96, int tick, BigInteger liquidity) {
        this(sqrtPriceX96, tick, liquidity, Uint256.of(check(sqrtPriceX96, liquidity)), Uint256.of(liquidity));
    }

    private SwapSlot(BigInteger sqrtPriceX96, int tick, BigInteger liquidity, Uint256 price, Uint256 liquidityLimbs) {
        this(sqrtPriceX96, tick, liquidity, price.word(0), price.word(1), price.word(2), liquidityLimbs.word(0), liquidityLimbs.word(1));
    }

    /** The decoder's: the words read from the same log bytes as the numbers, which it has checked. */
    SwapSlot(BigInteger sqrtPriceX96, int tick, BigInteger liquidity, long price0, long price1, long price2, long liquidity0, long liquidity1) {
        this.sqrtPriceX96 = sqrtPriceX96;
        this.tick = tick;
        this.liquidity = liquidity;
        this.price0 = price0;
        this.price1 = price1;
        this.price2 = price2;
        this.liquidity0 = liquidity0;
        this.liquidity1 = liquidity1;
    }

    private static BigInteger check(BigInteger sqrtPriceX96, BigInteger liquidity) {
        Objects.requireNonNull(sqrtPriceX96, "sqrt_price_x96 is missing");
        Objects.requireNonNull(liquidity, "liquidity is missing");
        if (sqrtPriceX96.signum() < 0 || sqrtPriceX96.bitLength() > 160 || liquidity.signum() < 0 || liquidity.bitLength() > 128) {
            throw new IllegalArgumentException("price must fit uint160 and liquidity uint128: sqrt_price_x96=" + sqrtPriceX96 + " liquidity=" + liquidity);
        }
        return sqrtPriceX96;
    }

    public BigInteger sqrtPriceX96() {
        return sqrtPriceX96;
    }

    public int tick() {
        return tick;
    }

    public BigInteger liquidity() {
        return liquidity;
    }

    /** The price's word {@code i} (0..2, low first). */
    public long priceWord(int i) {
        return switch (i) {
            case 0 -> price0;
            case 1 -> price1;
            case 2 -> price2;
            default -> throw new IndexOutOfBoundsException("price word index must be 0..2: index=" + i);
        };
    }

    /** The liquidity's word {@code i} (0..1, low first). */
    public long liquidityWord(int i) {
        return switch (i) {
            case 0 -> liquidity0;
            case 1 -> liquidity1;
            default -> throw new IndexOutOfBoundsException("liquidity word index must be 0..1: index=" + i);
        };
    }

    /** Equal numbers and tick; the words are compared too, so a slot whose words were not its numbers' would differ. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SwapSlot s && s.tick == tick && s.sqrtPriceX96.equals(sqrtPriceX96) && s.liquidity.equals(liquidity)
                && s.price0 == price0 && s.price1 == price1 && s.price2 == price2 && s.liquidity0 == liquidity0 && s.liquidity1 == liquidity1;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sqrtPriceX96, tick, liquidity);
    }

    @Override
    public String toString() {
        return "SwapSlot[sqrtPriceX96=" + sqrtPriceX96 + ", tick=" + tick + ", liquidity=" + liquidity + "]";
    }
}
