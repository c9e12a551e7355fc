package io.poolstate.dex.oracle;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * v3-core {@code contracts/libraries/TickBitmap.sol} (and v4-core {@code src/libraries/TickBitmap.sol}) as written:
 * a mapping from int16 word positions to uint256 words of compressed ticks, {@code flipTick} and
 * {@code nextInitializedTickWithinOneWord} with BitMath's most and least significant bit, on BigInteger.
 */
public final class BigTickBitmap {
    private final Map<Integer, BigInteger> words = new HashMap<>();

    /** TickBitmap.flipTick: requires {@code tick % tickSpacing == 0}. */
    public void flipTick(int tick, int tickSpacing) {
        if (tick % tickSpacing != 0) {
            throw new IllegalArgumentException("tick not spaced: tick=" + tick + " spacing=" + tickSpacing);
        }
        int compressed = tick / tickSpacing;
        int wordPos = compressed >> 8;
        int bitPos = compressed & 0xff; // uint8(tick % 256)
        words.merge(wordPos, BigInteger.ONE.shiftLeft(bitPos), BigInteger::xor);
    }

    /** The next tick and whether it is initialised, packed as {@code (next << 1) | initialized}. */
    public long nextInitializedTickWithinOneWord(int tick, int tickSpacing, boolean lte) {
        int compressed = tick / tickSpacing;
        if (tick < 0 && tick % tickSpacing != 0) {
            compressed--; // round towards negative infinity
        }
        if (lte) {
            int wordPos = compressed >> 8;
            int bitPos = compressed & 0xff;
            BigInteger mask = BigInteger.ONE.shiftLeft(bitPos).subtract(BigInteger.ONE).add(BigInteger.ONE.shiftLeft(bitPos));
            BigInteger masked = words.getOrDefault(wordPos, BigInteger.ZERO).and(mask);
            boolean initialized = masked.signum() != 0;
            int next = initialized ? (compressed - (bitPos - (masked.bitLength() - 1))) * tickSpacing : (compressed - bitPos) * tickSpacing;
            return ((long) next << 1) | (initialized ? 1 : 0);
        }
        int wordPos = (compressed + 1) >> 8;
        int bitPos = (compressed + 1) & 0xff;
        BigInteger mask = BigInteger.ONE.shiftLeft(bitPos).subtract(BigInteger.ONE).not().and(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE));
        BigInteger masked = words.getOrDefault(wordPos, BigInteger.ZERO).and(mask);
        boolean initialized = masked.signum() != 0;
        int next = initialized ? (compressed + 1 + (masked.getLowestSetBit() - bitPos)) * tickSpacing
                : (compressed + 1 + (255 - bitPos)) * tickSpacing;
        return ((long) next << 1) | (initialized ? 1 : 0);
    }
}
