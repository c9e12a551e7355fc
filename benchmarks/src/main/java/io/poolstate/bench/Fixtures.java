package io.poolstate.bench;

import io.poolstate.dex.event.DecodedLog;
import io.poolstate.dex.event.PoolEvent;
import io.poolstate.dex.math.TickMath;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.state.ConcentratedPoolState;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.rpc.Log;
import java.math.BigInteger;
import java.util.List;
import java.util.TreeMap;

/** Synthetic pools and events for the in-memory benchmarks. */
final class Fixtures {
    static final Token T0 = new Token(Address.of("0x0000000000000000000000000000000000000a00"), 18, "A");
    static final Token T1 = new Token(Address.of("0x0000000000000000000000000000000000000b00"), 18, "B");
    static final io.poolstate.dex.event.LogPosition LOG = new io.poolstate.dex.event.LogPosition(1, 0, 0, Bytes32.ZERO);

    private Fixtures() {
    }

    static PoolDescriptor v2(int i) {
        return new PoolDescriptor(PoolId.of(Address.of(BigInteger.valueOf(0x10000 + i))), Protocol.UNISWAP_V2, T0, T1, Address.ZERO, null, null, null);
    }

    static PoolDescriptor v3(int i) {
        return new PoolDescriptor(PoolId.of(Address.of(BigInteger.valueOf(0x20000 + i))), Protocol.UNISWAP_V3, T0, T1, Address.ZERO, 3000, 60, null);
    }

    static PoolDescriptor v4(int i) {
        return new PoolDescriptor(PoolId.of(Bytes32.of(BigInteger.valueOf(0x40000 + i))), Protocol.UNISWAP_V4, T0, T1, Address.ZERO, 3000, 60,
                Address.ZERO);
    }

    /**
     * A V3 (or V4) pool at tick 0 with an initialised tick every 60 ticks from -60*n to +60*n (each a position
     * boundary of 1e18 liquidity) plus a full-range position, so a swap crosses one tick per spacing.
     */
    static ConcentratedPoolState ladder(PoolDescriptor d, int n) {
        TreeMap<Integer, TickInfo> ticks = new TreeMap<>();
        BigInteger unit = BigInteger.TEN.pow(18);
        BigInteger active = unit.multiply(BigInteger.valueOf(1000));
        int full = 887220;
        ticks.put(-full, new TickInfo(active, active));
        ticks.put(full, new TickInfo(active, active.negate()));
        for (int k = 1; k <= n; k++) {
            // position [-60k, 60k) adds liquidity around the price
            ticks.merge(-60 * k, new TickInfo(unit, unit), Fixtures::sum);
            ticks.merge(60 * k, new TickInfo(unit, unit.negate()), Fixtures::sum);
            active = active.add(unit);
        }
        return new ConcentratedPoolState(d, TickMath.getSqrtRatioAtTick(0), 0, active, 3000, 0, ticks);
    }

    private static TickInfo sum(TickInfo a, TickInfo b) {
        return new TickInfo(a.liquidityGross().add(b.liquidityGross()), a.liquidityNet().add(b.liquidityNet()));
    }

    static DecodedLog sync(PoolDescriptor d, long r0, long r1) {
        return new DecodedLog(d.id(), new PoolEvent.V2Sync(BigInteger.valueOf(r0), BigInteger.valueOf(r1)), LOG);
    }

    static DecodedLog swap(PoolDescriptor d, int tick) {
        return new DecodedLog(d.id(), new PoolEvent.V3Swap(Address.ZERO, Address.ZERO, BigInteger.ONE, BigInteger.ONE.negate(),
                TickMath.getSqrtRatioAtTick(tick), BigInteger.TEN.pow(21), tick), LOG);
    }
}
