package io.poolstate.dex.v4;

import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Keccak256;
import io.poolstate.eth.lens.StorageLens;
import java.math.BigInteger;

/**
 * Where the V4 PoolManager keeps a pool's state, as v4-core {@code src/libraries/StateLibrary.sol} reads it
 * with {@code extsload}: {@code pools} is mapping slot 6; a pool's {@code Pool.State} starts at
 * {@code keccak256(abi.encodePacked(poolId, bytes32(6)))} with slot0, feeGrowthGlobal0/1, liquidity,
 * ticks, tickBitmap and positions at offsets 0..6.
 */
public final class V4StateLayout {
    public static final BigInteger POOLS_SLOT = BigInteger.valueOf(6);
    public static final int LIQUIDITY_OFFSET = 3;
    public static final int TICKS_OFFSET = 4;
    public static final int TICK_BITMAP_OFFSET = 5;

    private V4StateLayout() {
    }

    /** The first slot of the pool's {@code Pool.State} (its packed slot0). */
    public static Bytes32 stateSlot(Bytes32 poolId) {
        byte[] enc = new byte[64];
        poolId.copyTo(enc, 0);
        Bytes32.of(POOLS_SLOT).copyTo(enc, 32);
        return Bytes32.wrap(Keccak256.hash(enc));
    }

    /** {@code stateSlot + offset}. */
    public static Bytes32 offset(Bytes32 stateSlot, int offset) {
        return Bytes32.of(stateSlot.toBigInteger().add(BigInteger.valueOf(offset)).mod(BigInteger.ONE.shiftLeft(256)));
    }

    /** The slot of {@code mapping(int24 => TickInfo) ticks}[tick] (first of its slots). */
    public static Bytes32 tickSlot(Bytes32 stateSlot, int tick) {
        return StorageLens.mappingSlot(tick, offset(stateSlot, TICKS_OFFSET));
    }

    /** The slot of {@code mapping(int16 => uint256) tickBitmap}[wordPos]. */
    public static Bytes32 bitmapSlot(Bytes32 stateSlot, int wordPos) {
        return StorageLens.mappingSlot(wordPos, bitmapBase(stateSlot));
    }

    /** The slot of the pool's {@code tickBitmap} mapping itself ({@code stateSlot + TICK_BITMAP_OFFSET}): a storage-lens scan's base. */
    public static Bytes32 bitmapBase(Bytes32 stateSlot) {
        return offset(stateSlot, TICK_BITMAP_OFFSET);
    }

    /** The fields packed in slot0: {@code sqrtPriceX96 | tick << 160 | protocolFee << 184 | lpFee << 208}. */
    public record Slot0(BigInteger sqrtPriceX96, int tick, int protocolFee, int lpFee) {
        public static Slot0 unpack(Bytes32 word) {
            BigInteger v = word.toBigInteger();
            BigInteger price = v.and(BigInteger.ONE.shiftLeft(160).subtract(BigInteger.ONE));
            int tick = (v.shiftRight(160).intValue() << 8) >> 8;
            int protocolFee = v.shiftRight(184).intValue() & 0xffffff;
            int lpFee = v.shiftRight(208).intValue() & 0xffffff;
            return new Slot0(price, tick, protocolFee, lpFee);
        }
    }
}
