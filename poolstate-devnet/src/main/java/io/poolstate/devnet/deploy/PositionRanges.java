package io.poolstate.devnet.deploy;

import java.util.SplittableRandom;

/**
 * Random liquidity ranges around a pool's current tick, aligned to its tick spacing: full range, wide,
 * medium, narrow, and one-sided above or below the price (only one token). The kind cycles with the
 * position index so every pool gets each kind once it has six positions.
 */
public final class PositionRanges {
    /** v3-core/v4-core TickMath MIN_TICK and MAX_TICK. */
    public static final int MIN_TICK = -887272;
    public static final int MAX_TICK = 887272;

    private PositionRanges() {
    }

    /** Returns {tickLower, tickUpper}, both multiples of {@code spacing} within the usable range. */
    public static int[] random(SplittableRandom random, int tick, int spacing, int index) {
        int minUsable = ceilDiv(MIN_TICK, spacing) * spacing;
        int maxUsable = Math.floorDiv(MAX_TICK, spacing) * spacing;
        int kind = index < 6 ? index : random.nextInt(6);
        int center = Math.floorDiv(tick, spacing) * spacing;
        int lower;
        int upper;
        switch (kind) {
            case 0 -> {
                lower = minUsable;
                upper = maxUsable;
            }
            case 1 -> {
                lower = center - spacing * (50 + random.nextInt(350));
                upper = center + spacing * (50 + random.nextInt(350));
            }
            case 2 -> {
                lower = center - spacing * (5 + random.nextInt(45));
                upper = center + spacing * (5 + random.nextInt(45));
            }
            case 3 -> {
                lower = center - spacing * (1 + random.nextInt(4));
                upper = center + spacing * (1 + random.nextInt(4));
            }
            case 4 -> {
                lower = center + spacing * (1 + random.nextInt(20));
                upper = lower + spacing * (5 + random.nextInt(100));
            }
            default -> {
                upper = center - spacing * random.nextInt(20);
                lower = upper - spacing * (5 + random.nextInt(100));
            }
        }
        lower = Math.max(minUsable, Math.min(lower, maxUsable - spacing));
        upper = Math.min(maxUsable, Math.max(upper, lower + spacing));
        return new int[] {lower, upper};
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
