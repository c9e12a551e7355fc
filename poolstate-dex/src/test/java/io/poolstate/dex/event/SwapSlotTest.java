package io.poolstate.dex.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A slot built from its numbers holds their words; numbers that do not fit their types are refused. */
class SwapSlotTest {
    @Test
    void wordsAreTheNumbersWords() {
        long seed = Long.getLong("poolstate.seed", 17L);
        System.out.println("swap slot seed=" + seed);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 10_000; i++) {
            BigInteger price = new BigInteger(r.nextInt(161), new java.util.Random(r.nextLong()));
            BigInteger liquidity = new BigInteger(r.nextInt(129), new java.util.Random(r.nextLong()));
            SwapSlot s = new SwapSlot(price, r.nextInt(-887_272, 887_273), liquidity);
            for (int w = 0; w < 3; w++) {
                assertThat(s.priceWord(w)).as("price word %d of %s, seed %d", w, price, seed).isEqualTo(price.shiftRight(64 * w).longValue());
            }
            for (int w = 0; w < 2; w++) {
                assertThat(s.liquidityWord(w)).as("liquidity word %d of %s, seed %d", w, liquidity, seed).isEqualTo(liquidity.shiftRight(64 * w).longValue());
            }
        }
    }

    @Test
    void numbersThatDoNotFitAreRefused() {
        assertThatThrownBy(() -> new SwapSlot(BigInteger.ONE.shiftLeft(160), 0, BigInteger.ONE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("uint160");
        assertThatThrownBy(() -> new SwapSlot(BigInteger.ONE, 0, BigInteger.ONE.shiftLeft(128))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SwapSlot(BigInteger.ONE.negate(), 0, BigInteger.ONE)).isInstanceOf(IllegalArgumentException.class);
    }
}
