package io.poolstate.eth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class HexTest {
    @Test
    void encodesLowercaseWithPrefix() {
        assertThat(Hex.encode(new byte[] {0, (byte) 0xab, 0x7f})).isEqualTo("0x00ab7f");
        assertThat(Hex.encode(new byte[0])).isEqualTo("0x");
    }

    @Test
    void decodesAnyCaseWithOrWithoutPrefix() {
        assertThat(Hex.decode("0xABcd")).containsExactly(0xab, 0xcd);
        assertThat(Hex.decode("abcd")).containsExactly(0xab, 0xcd);
        assertThat(Hex.decode("0x")).isEmpty();
    }

    @Test
    void rejectsOddLengthAndNonHexWithContext() {
        assertThatThrownBy(() -> Hex.decode("0xabc")).hasMessageContaining("odd-length").hasMessageContaining("0xabc");
        assertThatThrownBy(() -> Hex.decode("0xzz")).hasMessageContaining("not hex").hasMessageContaining("index=2");
    }

    @Test
    void quantities() {
        assertThat(Hex.quantity(0)).isEqualTo("0x0");
        assertThat(Hex.quantity(26)).isEqualTo("0x1a");
        assertThat(Hex.parseLong("0x1a")).isEqualTo(26);
        assertThat(Hex.parseBig("0xffffffffffffffffffff")).isEqualTo(BigInteger.TWO.pow(80).subtract(BigInteger.ONE));
        assertThatThrownBy(() -> Hex.parseLong("0x10000000000000000")).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> Hex.parseBig("12")).hasMessageContaining("not a 0x quantity");
        assertThatThrownBy(() -> Hex.quantity(-1)).hasMessageContaining("negative");
    }
}
