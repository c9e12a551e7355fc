package io.poolstate.dex.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.eth.Address;
import java.math.BigInteger;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A table built from limbs equals the one built from the BigInteger map, and a state built from it behaves the same. */
class TickTableTest {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final PoolDescriptor V3 = new PoolDescriptor(PoolId.of(Address.of("0x0000000000000000000000000000000000000003")), Protocol.UNISWAP_V3,
            new Token(Address.of("0x00000000000000000000000000000000000000aa"), 18, "A"),
            new Token(Address.of("0x00000000000000000000000000000000000000bb"), 6, "B"), Address.of("0x00000000000000000000000000000000000000f3"),
            3000, 60, null);

    @Test
    void builtFromLimbsEqualsBuiltFromTheMap() {
        long seed = Long.getLong("poolstate.seed", 11L);
        System.out.println("tick table seed=" + seed);
        SplittableRandom r = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            TreeMap<Integer, TickInfo> map = new TreeMap<>();
            int n = r.nextInt(0, 300);
            while (map.size() < n) {
                BigInteger gross = new BigInteger(r.nextInt(1, 129), new java.util.Random(r.nextLong())).max(BigInteger.ONE);
                BigInteger net = new BigInteger(r.nextInt(1, 128), new java.util.Random(r.nextLong()));
                map.put(r.nextInt(-887272, 887273), new TickInfo(gross, r.nextBoolean() ? net : net.negate()));
            }
            TickTable.Builder b = TickTable.builder(map.size());
            for (Map.Entry<Integer, TickInfo> e : map.entrySet()) {
                BigInteger g = e.getValue().liquidityGross();
                BigInteger net = e.getValue().liquidityNet();
                b.add(e.getKey(), g.shiftRight(64).longValue(), g.longValue(), net.shiftRight(64).longValue(), net.longValue());
            }
            TickTable built = b.build();
            assertThat(built).as("seed %d round %d", seed, round).isEqualTo(TickTable.of(map));
            assertThat(built.asMap()).isEqualTo(map);
            BigInteger price = BigInteger.ONE.shiftLeft(96);
            ConcentratedPoolState fromLimbs = new ConcentratedPoolState(V3, price, 0, TWO_64, 3000, 0, built);
            ConcentratedPoolState fromMap = new ConcentratedPoolState(V3, price, 0, TWO_64, 3000, 0, map);
            assertThat(fromLimbs.snapshot()).isEqualTo(fromMap.snapshot());
            assertThat(fromLimbs.snapshot().tickTable()).as("the first snapshot shares the table given").isSameAs(built);
        }
    }

    @Test
    void aStateBuiltFromATableChangesItsOwnCopy() throws Exception {
        TickTable given = TickTable.builder(1).add(-60, 0, 10, 0, 10).build();
        ConcentratedPoolState s = new ConcentratedPoolState(V3, BigInteger.ONE.shiftLeft(96), 0, BigInteger.ZERO, 3000, 0, given);
        PoolStateBook book = new PoolStateBook(4);
        book.put(s);
        book.applyBlock(new PoolStateBook.BlockId(1, io.poolstate.eth.Bytes32.ZERO), java.util.List.of(new io.poolstate.dex.event.DecodedLog(V3.id(),
                new io.poolstate.dex.event.PoolEvent.V3Mint(Address.ZERO, Address.ZERO, -60, 60, BigInteger.TEN, BigInteger.ONE, BigInteger.ONE),
                new io.poolstate.dex.event.LogPosition(1, 0, 0, io.poolstate.eth.Bytes32.ZERO))));
        assertThat(given.size()).as("the table given is not changed").isEqualTo(1);
        assertThat(s.snapshot().tickTable().size()).isEqualTo(2);
        assertThat(s.snapshot().ticks().get(-60)).isEqualTo(new TickInfo(BigInteger.valueOf(20), BigInteger.valueOf(20)));
    }

    @Test
    void ticksOutOfOrderOrWithoutLiquidityAreRefused() {
        assertThatThrownBy(() -> TickTable.builder(2).add(60, 0, 1, 0, 1).add(60, 0, 1, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ticks must ascend: tick=60 previous=60");
        assertThatThrownBy(() -> TickTable.builder(1).add(60, 0, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("liquidity_gross=0");
        assertThatThrownBy(() -> TickTable.builder(1).add(60, 0, 1, 0, 1).add(120, 0, 1, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity");
    }
}
