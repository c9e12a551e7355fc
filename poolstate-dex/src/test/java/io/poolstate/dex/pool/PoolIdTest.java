package io.poolstate.dex.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PoolIdTest {
    @Test
    void parsesAddressesAndV4IdsInAnyCase() {
        PoolId v3 = PoolId.parse("0x88E6A0c2dDD26FEEb64F039a2c41296FcB3f5640");
        assertThat(v3.isV4()).isFalse();
        assertThat(v3.toString()).isEqualTo("0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640");
        PoolId v4 = PoolId.parse("0x21C67E77068DE97969BA93D4AAB21826D33CA12BB9F565D8496E8FDA8A82CA27");
        assertThat(v4.isV4()).isTrue();
        assertThat(v4).isEqualTo(PoolId.parse(v4.toString()));
    }

    /** Equality from the words held in the object agrees with the bytes', whichever byte differs and whatever the length. */
    @Test
    void equalExactlyWhenTheBytesAreEqual() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        for (int n = 0; n < 2_000; n++) {
            int length = r.nextBoolean() ? 20 : 32;
            byte[] a = new byte[length];
            for (int i = 0; i < length; i++) {
                a[i] = (byte) r.nextInt(256);
            }
            PoolId id = of(a);
            assertThat(of(a.clone())).as("seed=%d", seed).isEqualTo(id).hasSameHashCodeAs(id);
            for (int i = 0; i < length; i++) {
                byte[] b = a.clone();
                b[i] ^= (byte) (1 << r.nextInt(8));
                assertThat(of(b)).as("seed=%d byte=%d", seed, i).isNotEqualTo(id);
                assertThat(Integer.signum(of(b).compareTo(id))).as("seed=%d byte=%d", seed, i)
                        .isEqualTo(Integer.signum(Arrays.compareUnsigned(b, a)));
            }
        }
        // twins: two adjacent bytes moved so that 31 * a + b stays, so the hash stays and only the words tell them apart,
        // at every position of both lengths
        for (int length : new int[] {20, 32}) {
            byte[] a = new byte[length];
            for (int i = 0; i < length; i++) {
                a[i] = (byte) r.nextInt(256);
            }
            PoolId id = of(a);
            for (int at = 0; at + 1 < length; at++) {
                byte[] twin = a.clone();
                twin[at] = (byte) (twin[at] + 1);
                twin[at + 1] = (byte) (twin[at + 1] - 31);
                PoolId t = of(twin);
                if (Arrays.hashCode(twin) != Arrays.hashCode(a)) {
                    continue; // a byte wrapped: not a twin
                }
                assertThat(t.hashCode()).isEqualTo(id.hashCode());
                assertThat(t).as("seed=%d length=%d twin at byte %d", seed, length, at).isNotEqualTo(id);
                assertThat(of(twin.clone())).isEqualTo(t);
            }
        }
        // an address and the V4 id that starts with its bytes, then zeros: different lengths, never equal
        byte[] address = new byte[20];
        Arrays.fill(address, (byte) 0x11);
        assertThat(of(Arrays.copyOf(address, 32))).isNotEqualTo(of(address));
    }

    private static PoolId of(byte[] b) {
        return b.length == 20 ? PoolId.of(Address.wrap(b)) : PoolId.of(Bytes32.wrap(b));
    }

    @Test
    void rejectsOtherLengths() {
        assertThatThrownBy(() -> PoolId.parse("0x1234")).hasMessageContaining("pool id must be");
        assertThatThrownBy(() -> PoolId.parse(null)).hasMessageContaining("missing");
    }

    @Test
    void protocolAcceptsOldSpellings() {
        assertThat(Protocol.parse("V2")).isEqualTo(Protocol.UNISWAP_V2);
        assertThat(Protocol.parse("UniswapV3")).isEqualTo(Protocol.UNISWAP_V3);
        assertThat(Protocol.parse("uniswap_v4")).isEqualTo(Protocol.UNISWAP_V4);
        assertThat(Protocol.parse("uniswap-v2")).isEqualTo(Protocol.UNISWAP_V2);
        assertThatThrownBy(() -> Protocol.parse("sushi")).hasMessageContaining("unknown protocol: value=sushi");
    }

    @Test
    void wordsAreTheBytesBigEndianAnAddressPaddedWithZeros() {
        PoolId v4 = PoolId.parse("0x0102030405060708" + "1112131415161718" + "2122232425262728" + "3132333435363738");
        assertThat(v4.word(0)).isEqualTo(0x0102030405060708L);
        assertThat(v4.word(1)).isEqualTo(0x1112131415161718L);
        assertThat(v4.word(2)).isEqualTo(0x2122232425262728L);
        assertThat(v4.word(3)).isEqualTo(0x3132333435363738L);
        PoolId address = PoolId.parse("0xf102030405060708" + "1112131415161718" + "a1a2a3a4");
        assertThat(address.word(0)).isEqualTo(0xf102030405060708L);
        assertThat(address.word(1)).isEqualTo(0x1112131415161718L);
        assertThat(address.word(2)).isEqualTo(0xa1a2a3a400000000L);
        assertThat(address.word(3)).isZero();
        assertThatThrownBy(() -> address.word(4)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
