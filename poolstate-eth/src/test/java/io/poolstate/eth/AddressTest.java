package io.poolstate.eth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class AddressTest {
    @Test
    void parsesAnyCaseAndPrintsLowercase() {
        Address a = Address.of("0xcA11bde05977b3631167028862bE2a173976CA11");
        assertThat(a.toString()).isEqualTo("0xca11bde05977b3631167028862be2a173976ca11");
        assertThat(a).isEqualTo(Address.of("0xca11bde05977b3631167028862be2a173976ca11")).hasSameHashCodeAs(Address.of(a.toString()));
    }

    @Test
    void rejectsWrongLength() {
        assertThatThrownBy(() -> Address.of("0x1234")).hasMessageContaining("40 hex digits").hasMessageContaining("0x1234");
        assertThatThrownBy(() -> Address.of((String) null)).hasMessageContaining("null");
    }

    @Test
    void convertsFromWordsAndIntegers() {
        byte[] word = new byte[32];
        word[31] = 1;
        assertThat(Address.fromWord(word, 0)).isEqualTo(Address.of(BigInteger.ONE));
        assertThat(Address.of(BigInteger.ONE).toString()).isEqualTo("0x0000000000000000000000000000000000000001");
        assertThat(Address.ZERO.isZero()).isTrue();
        assertThat(Address.of(BigInteger.ONE).compareTo(Address.of(BigInteger.TWO))).isNegative();
    }

    @Test
    void bytes32RoundTrips() {
        Bytes32 b = Bytes32.of(BigInteger.TWO.pow(255));
        assertThat(b.toString()).startsWith("0x80").hasSize(66);
        assertThat(Bytes32.of(b.toString().toUpperCase().replace("0X", "0x"))).isEqualTo(b);
        assertThat(b.toBigInteger()).isEqualTo(BigInteger.TWO.pow(255));
        assertThatThrownBy(() -> Bytes32.of("0x00")).hasMessageContaining("64 hex digits");
    }

    @Test
    void keccakOfEmptyInputIsTheKnownConstant() {
        assertThat(Hex.encode(Keccak256.hash(new byte[0])))
                .isEqualTo("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    }
}
