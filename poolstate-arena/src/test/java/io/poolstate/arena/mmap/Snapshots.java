package io.poolstate.arena.mmap;

import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ArenaView;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pool snapshots for the arena file tests whose every field derives from one number {@code k}: a reader that copies
 * parts of two versions of a record gets fields that disagree about {@code k}.
 */
final class Snapshots {
    static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private Snapshots() {
    }

    static PoolId id(int i, Protocol p) {
        return p == Protocol.UNISWAP_V4 ? PoolId.of(Bytes32.of(String.format("0x%064x", 0x4000_0000L + i * 7919L)))
                : PoolId.of(Address.of(String.format("0x%040x", (p == Protocol.UNISWAP_V2 ? 0x2000_0000L : 0x3000_0000L) + i * 7919L)));
    }

    static PoolDescriptor descriptor(int i, Protocol p) {
        Token t0 = new Token(Address.of(String.format("0x%040x", 0x1000 + i)), 6, "A" + i);
        Token t1 = new Token(Address.of(String.format("0x%040x", 0x9000 + i)), 18, null);
        return switch (p) {
            case UNISWAP_V2 -> new PoolDescriptor(id(i, p), p, t0, t1, Address.of("0x5c69bee701ef814a2b6a3edd4b1652cb9cc5aa6f"), null, null, null);
            case UNISWAP_V3 -> new PoolDescriptor(id(i, p), p, t0, t1, Address.of("0x1f98431c8ad98523631ae4a59f267346ea31f984"), 3000, 60, null);
            case UNISWAP_V4 -> new PoolDescriptor(id(i, p), p, t0, t1, Address.of("0x000000000004444c5dc75cb358380d2e3de08a90"), 0x800000, 10,
                    Address.of(String.format("0x%040x", 0x40c0 + i)));
        };
    }

    /** A V2 pool at version {@code k}: reserve1 = reserve0 + 1 = k * 2^64 + k + 1. */
    static PoolSnapshot v2(PoolDescriptor d, long k) {
        BigInteger r0 = BigInteger.valueOf(k).multiply(TWO_64).add(BigInteger.valueOf(k));
        return new PoolSnapshot.V2(d, r0, r0.add(BigInteger.ONE));
    }

    /**
     * A V3/V4 pool at version {@code k}: tick k mod 100000, sqrtPriceX96 = k * 2^96 + k, liquidity = k * 2^64 + k,
     * fee k mod 1000, 1 + k mod 20 ticks at multiples of the spacing with gross k + i and net -(k + i).
     */
    static PoolSnapshot concentrated(PoolDescriptor d, long k) {
        return concentrated(d, k, 0);
    }

    /** As above with {@code extra} more ticks (a longer record write). */
    static PoolSnapshot concentrated(PoolDescriptor d, long k, int extra) {
        TreeMap<Integer, TickInfo> ticks = new TreeMap<>();
        int n = (int) (1 + k % 20) + extra;
        for (int i = 0; i < n; i++) {
            BigInteger g = BigInteger.valueOf(k + i).multiply(TWO_64).add(BigInteger.valueOf(k + i));
            ticks.put((i - n / 2) * d.tickSpacing(), new TickInfo(g, g.negate()));
        }
        return new PoolSnapshot.Concentrated(d, BigInteger.valueOf(k).shiftLeft(96).add(BigInteger.valueOf(k)), (int) (k % 100_000),
                BigInteger.valueOf(k).multiply(TWO_64).add(BigInteger.valueOf(k)), (int) (k % 1000), d.protocol() == Protocol.UNISWAP_V4 ? 7 : 0, ticks);
    }

    static PoolSnapshot at(PoolDescriptor d, long k) {
        return at(d, k, 0);
    }

    static PoolSnapshot at(PoolDescriptor d, long k, int extraTicks) {
        return d.protocol() == Protocol.UNISWAP_V2 ? v2(d, k) : concentrated(d, k, extraTicks);
    }

    static ArenaView view(long block, Map<PoolId, PoolSnapshot> pools, Map<PoolId, Long> scrapedAt) {
        return new ArenaView(1337, ArenaMode.LIVE, block, hash(block), Map.copyOf(pools), Map.copyOf(scrapedAt), Map.of(), pools.size(), 0, block, 0);
    }

    static Bytes32 hash(long block) {
        return Bytes32.of(String.format("0x%064x", block * 1_000_003L + 17));
    }
}
