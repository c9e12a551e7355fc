package io.poolstate.dex.v3;

import io.poolstate.eth.Bytes32;
import io.poolstate.eth.lens.StorageLens;
import java.math.BigInteger;

/**
 * Where a Uniswap V3 pool keeps its state, as v3-core {@code contracts/UniswapV3Pool.sol} declares it: {@code slot0} is
 * slot 0, {@code feeGrowthGlobal0X128}/{@code 1X128} slots 1 and 2, {@code protocolFees} slot 3, {@code liquidity}
 * (uint128) slot 4, {@code mapping(int24 => Tick.Info) ticks} slot 5, {@code mapping(int16 => uint256) tickBitmap} slot 6.
 * A {@code Tick.Info} takes 4 slots: +0 {@code liquidityGross} (uint128, low half) | {@code liquidityNet} (int128, high
 * half), +1/+2 {@code feeGrowthOutside0X128}/{@code 1X128}, +3 {@code tickCumulativeOutside} (int56) |
 * {@code secondsPerLiquidityOutsideX128} (uint160) | {@code secondsOutside} (uint32) | {@code initialized} (top byte).
 * Fee, tick spacing and the tokens are immutables (in the code, not in storage).
 */
public final class V3StateLayout {
    public static final Bytes32 SLOT0 = Bytes32.ZERO;
    public static final Bytes32 LIQUIDITY = Bytes32.of(BigInteger.valueOf(4));
    public static final Bytes32 TICKS = Bytes32.of(BigInteger.valueOf(5));
    public static final Bytes32 TICK_BITMAP = Bytes32.of(BigInteger.valueOf(6));
    private static final BigInteger MASK_128 = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private V3StateLayout() {
    }

    /** The first slot of {@code ticks[tick]} ({@code liquidityGross | liquidityNet << 128}); {@code + i} for the others. */
    public static Bytes32 tickSlot(int tick) {
        return StorageLens.mappingSlot(tick, TICKS);
    }

    /** The slot of {@code tickBitmap[wordPos]}. */
    public static Bytes32 bitmapSlot(int wordPos) {
        return StorageLens.mappingSlot(wordPos, TICK_BITMAP);
    }

    /** {@code liquidity} from slot 4 (a uint128 alone in its slot). */
    public static BigInteger liquidity(Bytes32 word) {
        return word.toBigInteger().and(MASK_128);
    }

    /** The fields packed in slot 0, in declaration order from the low bits. */
    public record Slot0(BigInteger sqrtPriceX96, int tick, int observationIndex, int observationCardinality, int observationCardinalityNext,
                        int feeProtocol, boolean unlocked) {
        public static Slot0 unpack(Bytes32 word) {
            BigInteger v = word.toBigInteger();
            BigInteger price = v.and(BigInteger.ONE.shiftLeft(160).subtract(BigInteger.ONE));
            int tick = (v.shiftRight(160).intValue() << 8) >> 8;
            return new Slot0(price, tick, v.shiftRight(184).intValue() & 0xffff, v.shiftRight(200).intValue() & 0xffff,
                    v.shiftRight(216).intValue() & 0xffff, v.shiftRight(232).intValue() & 0xff, v.testBit(240));
        }
    }

    /** {@code liquidityGross} and {@code liquidityNet} from a tick's first slot. */
    public record TickLiquidity(BigInteger gross, BigInteger net) {
        public static TickLiquidity unpack(Bytes32 word) {
            BigInteger v = word.toBigInteger();
            BigInteger net = v.shiftRight(128);
            return new TickLiquidity(v.and(MASK_128), net.testBit(127) ? net.subtract(BigInteger.ONE.shiftLeft(128)) : net);
        }
    }
}
