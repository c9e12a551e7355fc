package io.poolstate.dex.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.pool.V4PoolKey;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link LogEncoder} against a hand-made vector, and every event it makes read back by {@link LogDecoder} to the values it was given. */
class LogEncoderTest {
    private static final Token A = new Token(Address.of("0x1000000000000000000000000000000000000001"), 18, "A");
    private static final Token B = new Token(Address.of("0x2000000000000000000000000000000000000002"), 6, "B");
    private static final PoolDescriptor V3 = new PoolDescriptor(PoolId.of(Address.of("0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640")), Protocol.UNISWAP_V3,
            A, B, Address.of("0x1f98431c8ad98523631ae4a59f267346ea31f984"), 500, 10, null);
    private static final V4PoolKey KEY = new V4PoolKey(A.address(), B.address(), 3000, 60, Address.ZERO);
    private static final PoolDescriptor V4 = new PoolDescriptor(PoolId.of(KEY.id()), Protocol.UNISWAP_V4, A, B,
            Address.of("0x000000000004444c5dc75cb358380d2e3de08a90"), 3000, 60, Address.ZERO);
    private static final LogPosition AT = new LogPosition(7, 1, 2, Bytes32.ZERO);
    private static final BigInteger UINT128_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private static PoolEvent decode(PoolId pool, LogEncoder.Encoded e) throws MalformedLogException {
        return LogDecoder.decode(e.kind(), pool, e.topics(), e.data(), AT).event();
    }

    @Test
    void burnIsLaidOutAsTheAbiSays() {
        LogEncoder.Encoded e = LogEncoder.v3Burn(-887_270, 60, BigInteger.valueOf(0x1234));

        assertThat(e.kind()).isEqualTo(EventKind.V3_BURN);
        assertThat(e.topics()).containsExactly(Bytes32.ZERO,
                Bytes32.of("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffff2761a"),
                Bytes32.of("0x000000000000000000000000000000000000000000000000000000000000003c"));
        assertThat(Hex.encode(e.data())).isEqualTo("0x"
                + "0000000000000000000000000000000000000000000000000000000000001234"
                + "0000000000000000000000000000000000000000000000000000000000000001"
                + "0000000000000000000000000000000000000000000000000000000000000001");
    }

    @Test
    void modifyLiquidityCollectAndV2SwapAreLaidOutAsTheAbiSays() {
        LogEncoder.Encoded ml = LogEncoder.v4ModifyLiquidity(V4.id(), -120, 60, BigInteger.valueOf(-5000));
        assertThat(ml.kind()).isEqualTo(EventKind.V4_MODIFY_LIQUIDITY);
        assertThat(ml.topics()).containsExactly(KEY.id(), Bytes32.ZERO);
        assertThat(Hex.encode(ml.data())).isEqualTo("0x"
                + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff88"
                + "000000000000000000000000000000000000000000000000000000000000003c"
                + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec78"
                + "0000000000000000000000000000000000000000000000000000000000000000");

        LogEncoder.Encoded collect = LogEncoder.v3Collect(-60, 120, BigInteger.valueOf(0x10), BigInteger.valueOf(0x20));
        assertThat(collect.kind()).isEqualTo(EventKind.V3_COLLECT);
        assertThat(collect.topics()).containsExactly(Bytes32.ZERO,
                Bytes32.of("0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc4"),
                Bytes32.of("0x0000000000000000000000000000000000000000000000000000000000000078"));
        assertThat(Hex.encode(collect.data())).isEqualTo("0x"
                + "0000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000000000000000000000000000000000000010"
                + "0000000000000000000000000000000000000000000000000000000000000020");

        LogEncoder.Encoded swap = LogEncoder.v2Swap(BigInteger.valueOf(7), BigInteger.valueOf(9));
        assertThat(swap.kind()).isEqualTo(EventKind.V2_SWAP);
        assertThat(swap.topics()).containsExactly(Bytes32.ZERO, Bytes32.ZERO);
        assertThat(Hex.encode(swap.data())).isEqualTo("0x"
                + "0000000000000000000000000000000000000000000000000000000000000007"
                + "0000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000000000000000000000000000000000000009");
    }

    @Test
    void everyEventReadsBackToItsValues() throws MalformedLogException {
        long seed = 20_261_203L; // printed with each check below
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 2_000; i++) {
            BigInteger r0 = new BigInteger(112, new java.util.Random(r.nextLong()));
            BigInteger r1 = new BigInteger(112, new java.util.Random(r.nextLong()));
            int tick = r.nextInt(-887_272, 887_273);
            int lower = r.nextInt(-887_272, 0);
            int upper = r.nextInt(0, 887_273);
            BigInteger price = new BigInteger(160, new java.util.Random(r.nextLong()));
            BigInteger amount = i == 0 ? UINT128_MAX : new BigInteger(1 + r.nextInt(127), new java.util.Random(r.nextLong()));
            BigInteger delta = i == 1 ? BigInteger.ONE.shiftLeft(127).negate() : r.nextBoolean() ? amount.shiftRight(1) : amount.shiftRight(1).negate();
            String where = "seed=" + seed + " i=" + i;

            assertThat(decode(PoolId.of(Address.ZERO), LogEncoder.sync(r0, r1))).as(where).isEqualTo(new PoolEvent.V2Sync(r0, r1));
            PoolEvent.V3Swap s3 = (PoolEvent.V3Swap) decode(V3.id(), LogEncoder.swap(V3, price, tick, amount));
            assertThat(new Object[] {s3.sqrtPriceX96(), s3.liquidity(), s3.tick()}).as(where).containsExactly(price, amount, tick);
            PoolEvent.V4Swap s4 = (PoolEvent.V4Swap) decode(V4.id(), LogEncoder.swap(V4, price, tick, amount));
            assertThat(new Object[] {s4.id(), s4.sqrtPriceX96(), s4.liquidity(), s4.tick(), s4.fee()}).as(where)
                    .containsExactly(KEY.id(), price, amount, tick, 3000);
            PoolEvent.V3Mint m = (PoolEvent.V3Mint) decode(V3.id(), LogEncoder.v3Mint(lower, upper, amount));
            assertThat(new Object[] {m.tickLower(), m.tickUpper(), m.amount()}).as(where).containsExactly(lower, upper, amount);
            PoolEvent.V3Burn b = (PoolEvent.V3Burn) decode(V3.id(), LogEncoder.v3Burn(lower, upper, amount));
            assertThat(new Object[] {b.tickLower(), b.tickUpper(), b.amount()}).as(where).containsExactly(lower, upper, amount);
            PoolEvent.V3Collect c = (PoolEvent.V3Collect) decode(V3.id(), LogEncoder.v3Collect(lower, upper, amount, amount.shiftRight(3)));
            assertThat(new Object[] {c.tickLower(), c.tickUpper(), c.amount0(), c.amount1()}).as(where).containsExactly(lower, upper, amount, amount.shiftRight(3));
            PoolEvent.V2Swap s2 = (PoolEvent.V2Swap) decode(PoolId.of(Address.ZERO), LogEncoder.v2Swap(r0, r1));
            assertThat(new Object[] {s2.amount0In(), s2.amount1In(), s2.amount0Out(), s2.amount1Out()}).as(where)
                    .containsExactly(r0, BigInteger.ZERO, BigInteger.ZERO, r1);
            PoolEvent.V4ModifyLiquidity ml = (PoolEvent.V4ModifyLiquidity) decode(V4.id(), LogEncoder.v4ModifyLiquidity(V4.id(), lower, upper, delta));
            assertThat(new Object[] {ml.id(), ml.tickLower(), ml.tickUpper(), ml.liquidityDelta()}).as(where).containsExactly(KEY.id(), lower, upper, delta);
        }
    }
}
