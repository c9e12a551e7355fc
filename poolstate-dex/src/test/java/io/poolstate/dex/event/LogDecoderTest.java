package io.poolstate.dex.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;
import io.poolstate.eth.rpc.Log;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogDecoderTest {
    private static final Address POOL = Address.of("0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640");
    private static final Address MANAGER = Address.of("0x000000000004444c5dc75cb358380d2e3de08a90");
    private static final Address ALICE = Address.of("0x00000000000000000000000000000000000a11ce");

    private static Log log(Address address, List<Bytes32> topics, String dataHex) {
        return new Log(address, topics, Hex.decode(dataHex), 123, Bytes32.ZERO, Bytes32.ZERO, 4, 17, false);
    }

    private static String word(BigInteger v) {
        BigInteger u = v.signum() < 0 ? v.add(BigInteger.ONE.shiftLeft(256)) : v;
        return String.format("%64s", u.toString(16)).replace(' ', '0');
    }

    private static String word(long v) {
        return word(BigInteger.valueOf(v));
    }

    private static Bytes32 topic(long v) {
        return Bytes32.of("0x" + word(v));
    }

    private static Bytes32 topic(Address a) {
        return Bytes32.of("0x" + "0".repeat(24) + a.toString().substring(2));
    }

    @Test
    void decodesV2Sync() throws Exception {
        DecodedLog d = LogDecoder.decode(log(POOL, List.of(EventKind.V2_SYNC.topic0()), "0x" + word(1000) + word(2000)));
        assertThat(d.pool()).isEqualTo(PoolId.of(POOL));
        assertThat(d.event()).isEqualTo(new PoolEvent.V2Sync(BigInteger.valueOf(1000), BigInteger.valueOf(2000)));
    }

    @Test
    void decodesV3SwapWithNegativeAmountAndTick() throws Exception {
        BigInteger price = new BigInteger("1461446703485210103287273052203988822378723970341");
        DecodedLog d = LogDecoder.decode(log(POOL, List.of(EventKind.V3_SWAP.topic0(), topic(ALICE), topic(ALICE)),
                "0x" + word(-5) + word(7) + word(price) + word(BigInteger.ONE.shiftLeft(127)) + word(-887271)));
        assertThat(d.event()).isEqualTo(new PoolEvent.V3Swap(ALICE, ALICE, BigInteger.valueOf(-5), BigInteger.valueOf(7), price,
                BigInteger.ONE.shiftLeft(127), -887271));
    }

    @Test
    void decodesV3MintWithIndexedTicks() throws Exception {
        DecodedLog d = LogDecoder.decode(log(POOL, List.of(EventKind.V3_MINT.topic0(), topic(ALICE), topic(-600), topic(600)),
                "0x" + word(new BigInteger(1, ALICE.toBytes())) + word(10) + word(11) + word(12)));
        assertThat(d.event()).isEqualTo(new PoolEvent.V3Mint(ALICE, ALICE, -600, 600, BigInteger.TEN, BigInteger.valueOf(11),
                BigInteger.valueOf(12)));
    }

    @Test
    void v4EventsBelongToThePoolIdInTopic1() throws Exception {
        Bytes32 id = Bytes32.of("0x21c67e77068de97969ba93d4aab21826d33ca12bb9f565d8496e8fda8a82ca27");
        DecodedLog d = LogDecoder.decode(log(MANAGER, List.of(EventKind.V4_SWAP.topic0(), id, topic(ALICE)),
                "0x" + word(-100) + word(99) + word(BigInteger.ONE.shiftLeft(96)) + word(5) + word(-1) + word(3000)));
        assertThat(d.pool()).isEqualTo(PoolId.of(id));
        assertThat(d.event()).isEqualTo(new PoolEvent.V4Swap(id, ALICE, BigInteger.valueOf(-100), BigInteger.valueOf(99),
                BigInteger.ONE.shiftLeft(96), BigInteger.valueOf(5), -1, 3000));
    }

    @Test
    void unknownTopicIsNotAPoolEvent() throws Exception {
        assertThat(LogDecoder.decode(log(POOL, List.of(OtherEvent.ERC20_TRANSFER.topic0()), "0x"))).isNull();
        assertThat(LogDecoder.decode(log(POOL, List.of(), "0x"))).isNull();
    }

    @Test
    void wrongTopicCountIsMalformedWithPosition() {
        assertThatThrownBy(() -> LogDecoder.decode(log(POOL, List.of(EventKind.V2_SWAP.topic0()), "0x" + word(1).repeat(4))))
                .isInstanceOf(MalformedLogException.class).hasMessageContaining("topic count 1 != 3")
                .hasMessageContaining("block=123 tx_index=4 log_index=17");
    }

    @Test
    void shortDataIsMalformed() {
        assertThatThrownBy(() -> LogDecoder.decode(log(POOL, List.of(EventKind.V2_SYNC.topic0()), "0x" + word(1))))
                .isInstanceOf(MalformedLogException.class).hasMessageContaining("data length 32 != 64");
    }

    /** A value of about {@code bits} bits (sometimes one more, sometimes zero), negative when {@code signed} says so half the time. */
    private static BigInteger near(java.util.SplittableRandom r, int bits, boolean signed) {
        int width = r.nextInt(4) == 0 ? 0 : Math.max(1, bits - r.nextInt(0, 10) + (r.nextInt(3) == 0 ? 1 : 0));
        BigInteger v = width == 0 ? BigInteger.ZERO : new BigInteger(width, new java.util.Random(r.nextLong())).setBit(width - 1);
        return signed && r.nextBoolean() ? v.negate() : v;
    }

    @Test
    void wordWidthsAreCheckedAsTheBigIntegerReferenceDoes() throws Exception {
        long seed = Long.getLong("poolstate.seed", 3L);
        System.out.println("log decoder widths seed=" + seed);
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        Bytes32 id = Bytes32.of(BigInteger.valueOf(77));
        for (int i = 0; i < 5000; i++) {
            BigInteger a0 = near(r, 127, true);
            BigInteger a1 = near(r, 127, true);
            BigInteger price = near(r, 160, false);
            BigInteger liquidity = near(r, 128, false);
            BigInteger fee = near(r, 24, false);
            boolean fits = a0.bitLength() <= 127 && a1.bitLength() <= 127 && price.bitLength() <= 160 && liquidity.bitLength() <= 128
                    && fee.bitLength() <= 24;
            Log l = log(MANAGER, List.of(EventKind.V4_SWAP.topic0(), id, topic(ALICE)),
                    "0x" + word(a0) + word(a1) + word(price) + word(liquidity) + word(-5) + word(fee));
            if (fits) {
                assertThat(LogDecoder.decode(l).event()).as("seed %d case %d", seed, i)
                        .isEqualTo(new PoolEvent.V4Swap(id, ALICE, a0, a1, price, liquidity, -5, fee.intValue()));
            } else {
                assertThatThrownBy(() -> LogDecoder.decode(l)).as("seed %d case %d", seed, i).isInstanceOf(MalformedLogException.class)
                        .hasMessageContaining("exceeds");
            }
        }
    }

    @Test
    void valuesWiderThanTheirTypeAreMalformed() {
        assertThatThrownBy(() -> LogDecoder.decode(log(POOL, List.of(EventKind.V2_SYNC.topic0()),
                "0x" + word(BigInteger.ONE.shiftLeft(112)) + word(1)))).hasMessageContaining("exceeds uint112");
        List<Bytes32> t = new ArrayList<>(List.of(EventKind.V3_BURN.topic0(), topic(ALICE), topic(1L << 23), topic(0)));
        assertThatThrownBy(() -> LogDecoder.decode(log(POOL, t, "0x" + word(1) + word(1) + word(1))))
                .hasMessageContaining("not a sign-extended int24");
        Bytes32 notAnAddress = Bytes32.of("0x" + "f".repeat(64));
        assertThatThrownBy(() -> LogDecoder.decode(log(POOL, List.of(EventKind.V3_SWAP.topic0(), notAnAddress, topic(ALICE)),
                "0x" + word(0).repeat(5)))).hasMessageContaining("not an address");
    }
}
