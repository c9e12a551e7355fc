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
    void readsAnAbiEncodedAddressFromAWordOnlyWhenItsFirst12BytesAreZero() {
        Address a = Address.of("0xcA11bde05977b3631167028862bE2a173976CA11");
        Bytes32 word = Bytes32.of("0x000000000000000000000000" + a.toString().substring(2));
        assertThat(word.asAddress()).isEqualTo(a);
        assertThat(word.holdsAddress()).isTrue();
        for (int i = 0; i < 12; i++) {
            byte[] dirty = word.toBytes();
            dirty[i] = 1;
            assertThat(Bytes32.wrap(dirty).asAddress()).as("byte %d set", i).isNull();
            assertThat(Bytes32.wrap(dirty).holdsAddress()).as("byte %d set", i).isFalse();
        }
        assertThat(Bytes32.ZERO.asAddress()).isEqualTo(Address.ZERO);
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

    /** The test vectors of EIP-55 itself (all caps, all lower, mixed). */
    @Test
    void checksumSpellingMatchesEip55Vectors() {
        for (String v : new String[] {"0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
            "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"}) {
            assertThat(Address.of(v.toLowerCase()).toChecksumString()).isEqualTo(v);
            assertThat(Address.ofChecksummed(v)).isEqualTo(Address.of(v));
        }
        assertThatThrownBy(() -> Address.ofChecksummed("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"))
                .hasMessageContaining("EIP-55").hasMessageContaining("expected=0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    }
}
