package io.poolstate.dex.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.dex.math.TickMath;
import io.poolstate.dex.oracle.BigTickBitmap;
import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link TickTable#nextInitializedTickWithinOneWord} equals TickBitmap.sol's walk over a real bitmap (the BigInteger
 * port in the oracle) on seeded random tick sets and queries, weighted to word edges, the ends of the tick range
 * and the initialised ticks themselves and their neighbours.
 */
class TickBitmapDifferentialTest {
    private static final int COUNT = Integer.getInteger("poolstate.differential.count", 100_000);

    @Test
    void walkEqualsTheBitmap() {
        String fixed = System.getProperty("poolstate.seed");
        long seed = fixed != null ? Long.parseLong(fixed) : new SplittableRandom().nextLong();
        System.out.println("TickBitmap.nextInitializedTickWithinOneWord: " + COUNT + " queries, seed=" + seed + " (rerun with -Dpoolstate.seed=" + seed + ")");
        SplittableRandom r = new SplittableRandom(seed);
        int queries = 0;
        while (queries < COUNT) {
            int spacing = switch (r.nextInt(5)) {
                case 0 -> 1;
                case 1 -> 10;
                case 2 -> 60;
                case 3 -> 200;
                default -> r.nextInt(1, 16_384);
            };
            int min = TickMath.MIN_TICK / spacing; // compressed usable range
            int max = TickMath.MAX_TICK / spacing;
            TreeMap<Integer, TickInfo> ticks = new TreeMap<>();
            BigTickBitmap bitmap = new BigTickBitmap();
            int n = r.nextInt(0, 40);
            int centre = r.nextInt(min, max + 1);
            for (int i = 0; i < n; i++) {
                int c = r.nextInt(4) == 0 ? r.nextInt(min, max + 1) : Math.max(min, Math.min(max, centre + r.nextInt(-600, 600)));
                int t = c * spacing;
                if (ticks.put(t, new TickInfo(BigInteger.ONE, BigInteger.ZERO)) == null) {
                    bitmap.flipTick(t, spacing);
                }
            }
            TickTable table = TickTable.of(ticks);
            Integer[] initialised = ticks.keySet().toArray(new Integer[0]);
            for (int q = 0; q < 200; q++, queries++) {
                int tick = switch (r.nextInt(6)) {
                    case 0 -> initialised.length == 0 ? 0 : initialised[r.nextInt(initialised.length)] + r.nextInt(-1, 2);
                    case 1 -> (Math.floorDiv(centre + r.nextInt(-600, 600), 256) * 256 + (r.nextBoolean() ? 0 : 255)) * spacing + r.nextInt(-1, 2);
                    case 2 -> r.nextBoolean() ? TickMath.MIN_TICK + r.nextInt(3) : TickMath.MAX_TICK - r.nextInt(3);
                    default -> Math.max(TickMath.MIN_TICK, Math.min(TickMath.MAX_TICK, (centre + r.nextInt(-700, 700)) * spacing + r.nextInt(spacing)));
                };
                boolean lte = r.nextBoolean();
                long expected = bitmap.nextInitializedTickWithinOneWord(tick, spacing, lte);
                long actual = table.nextInitializedTickWithinOneWord(tick, spacing, lte);
                int next = (int) (actual >> 32);
                int index = (int) actual;
                assertThat(((long) next << 1) | (index >= 0 ? 1 : 0)).as("seed=%d tick=%d spacing=%d lte=%s ticks=%s", seed, tick, spacing, lte, ticks.keySet())
                        .isEqualTo(expected);
                if (index >= 0) {
                    assertThat(table.tick(index)).isEqualTo(next);
                }
                // any hint gives the same answer: none, the answer and its neighbours (a swap's guesses), random ones
                int answer = index >= 0 ? index : -1;
                int hint = switch (r.nextInt(4)) {
                    case 0 -> answer;
                    case 1 -> answer + r.nextInt(-2, 3);
                    case 2 -> r.nextInt(-1, table.size() + 2);
                    default -> -1;
                };
                assertThat(table.nextInitializedTickWithinOneWord(tick, spacing, lte, hint)).as("seed=%d tick=%d spacing=%d lte=%s hint=%d", seed, tick, spacing, lte, hint)
                        .isEqualTo(actual);
            }
        }
    }
}
