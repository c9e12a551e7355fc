package io.poolstate.dex.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.dex.math.MathRevert;
import io.poolstate.dex.math.TickMath;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.quote.ConcentratedSwap;
import io.poolstate.dex.quote.SwapQuote;
import io.poolstate.dex.quote.V2Swap;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Routes against brute force: every simple path of up to three hops quoted one by one with the pool math; the search
 * with a wide beam finds the optimum exactly, the default beam never claims more than it, and every answer's legs
 * chain and equal single-pool quotes.
 */
class RouteSearchTest {
    private static final BigInteger E18 = BigInteger.TEN.pow(18);
    private final List<Token> tokens = new ArrayList<>();

    RouteSearchTest() {
        for (int i = 1; i <= 6; i++) {
            tokens.add(new Token(Address.of(BigInteger.valueOf(0xa0 + i)), 18, "T" + i));
        }
    }

    @Test
    void findsTheBruteForceOptimumBothWays() {
        long seed = Long.getLong("poolstate.seed", 7L);
        System.out.println("route seed=" + seed);
        SplittableRandom r = new SplittableRandom(seed);
        int equalDefault = 0;
        int cases = 0;
        for (int round = 0; round < 40; round++) {
            List<PoolSnapshot> pools = randomPools(r, 14);
            TokenGraph g = TokenGraph.of(pools);
            for (int q = 0; q < 10; q++) {
                int a = r.nextInt(tokens.size());
                int b = (a + 1 + r.nextInt(tokens.size() - 1)) % tokens.size();
                boolean exactInput = r.nextBoolean();
                BigInteger amount = BigInteger.TEN.pow(14 + r.nextInt(8)).multiply(BigInteger.valueOf(1 + r.nextInt(9)));
                Address in = tokens.get(a).address();
                Address out = tokens.get(b).address();
                BigInteger optimum = bruteForce(pools, in, out, exactInput, amount);
                RouteAnswer wide = new RouteSearch().best(g, in, out, exactInput, amount, false, new RouteSearch.Settings(3, 1000, 8, 5));
                RouteAnswer def = new RouteSearch().best(g, in, out, exactInput, amount, false, RouteSearch.Settings.DEFAULT);
                String what = "seed=" + seed + " round=" + round + " q=" + q + " " + in + "->" + out + " exactInput=" + exactInput + " amount=" + amount;
                if (optimum == null) {
                    assertThat(wide.found()).as(what).isFalse();
                    assertThat(def.found()).as(what).isFalse();
                    continue;
                }
                cases++;
                assertThat(exactInput ? wide.amountOut() : wide.amountIn()).as(what).isEqualTo(optimum);
                assertThat(def.found()).as(what).isTrue();
                BigInteger got = exactInput ? def.amountOut() : def.amountIn();
                assertThat(exactInput ? got.compareTo(optimum) <= 0 : got.compareTo(optimum) >= 0).as(what).isTrue();
                equalDefault += got.equals(optimum) ? 1 : 0;
                for (RouteAnswer ans : List.of(wide, def)) {
                    Route route = ans.routes().getFirst();
                    assertThat(exactInput ? route.amountIn() : route.amountOut()).as(what).isEqualTo(amount);
                    checkLegs(pools, route, in, out, exactInput);
                }
            }
        }
        System.out.println("route: " + cases + " cases with a route, the default beam found the optimum in " + equalDefault);
        assertThat(cases).isGreaterThan(200);
        assertThat(equalDefault).isGreaterThanOrEqualTo(cases * 95 / 100);
    }

    @Test
    void splitBeatsOneRouteOnlyWithDisjointPoolsAndAddsUp() {
        SplittableRandom r = new SplittableRandom(11);
        int splits = 0;
        for (int round = 0; round < 30; round++) {
            List<PoolSnapshot> pools = randomPools(r, 14);
            TokenGraph g = TokenGraph.of(pools);
            Address in = tokens.get(0).address();
            Address out = tokens.get(1).address();
            for (boolean exactInput : new boolean[] {true, false}) {
                BigInteger amount = BigInteger.TEN.pow(20 + r.nextInt(2));
                RouteAnswer single = new RouteSearch().best(g, in, out, exactInput, amount, false, RouteSearch.Settings.DEFAULT);
                RouteAnswer split = new RouteSearch().best(g, in, out, exactInput, amount, true, RouteSearch.Settings.DEFAULT);
                if (!single.found()) {
                    continue;
                }
                assertThat(exactInput ? split.amountOut().compareTo(single.amountOut()) >= 0 : split.amountIn().compareTo(single.amountIn()) <= 0).isTrue();
                if (split.routes().size() == 2) {
                    splits++;
                    Route a = split.routes().get(0);
                    Route b = split.routes().get(1);
                    assertThat(a.legs().stream().map(Leg::pool).filter(p -> b.legs().stream().anyMatch(l -> l.pool().equals(p)))).isEmpty();
                    assertThat(exactInput ? a.amountIn().add(b.amountIn()) : a.amountOut().add(b.amountOut())).isEqualTo(amount);
                    assertThat(split.amountIn()).isEqualTo(a.amountIn().add(b.amountIn()));
                    assertThat(split.amountOut()).isEqualTo(a.amountOut().add(b.amountOut()));
                    checkLegs(pools, a, in, out, exactInput);
                    checkLegs(pools, b, in, out, exactInput);
                }
            }
        }
        assertThat(splits).as("large trades split").isPositive();
    }

    @Test
    void hookedPoolsThatCanChangeASwapAreSkippedWithTheReason() {
        Address hook = Address.of(BigInteger.valueOf(1 << 7)); // beforeSwap
        PoolDescriptor d = new PoolDescriptor(PoolId.of(Bytes32.of(BigInteger.valueOf(99))), Protocol.UNISWAP_V4, tokens.get(0), tokens.get(1),
                Address.of(BigInteger.valueOf(0x4444)), 3000, 60, hook);
        PoolSnapshot hooked = concentrated(d, 0, E18.multiply(BigInteger.valueOf(1000)));
        TokenGraph g = TokenGraph.of(List.of(hooked));
        assertThat(g.skipped()).containsKey(d.id());
        assertThat(g.skipped().get(d.id())).contains("beforeSwap");
        assertThat(g.trades(tokens.get(0).address())).isFalse();
        assertThat(new RouteSearch().best(g, tokens.get(0).address(), tokens.get(1).address(), true, E18, false, RouteSearch.Settings.DEFAULT).found())
                .isFalse();
    }

    /** Each leg equals a single-pool quote with the pool math, legs chain, and the route runs from {@code in} to {@code out}. */
    private void checkLegs(List<PoolSnapshot> pools, Route route, Address in, Address out, boolean exactInput) {
        assertThat(route.legs().getFirst().tokenIn()).isEqualTo(in);
        assertThat(route.legs().getLast().tokenOut()).isEqualTo(out);
        for (int i = 0; i < route.legs().size(); i++) {
            Leg l = route.legs().get(i);
            if (i > 0) {
                assertThat(l.tokenIn()).isEqualTo(route.legs().get(i - 1).tokenOut());
                assertThat(l.amountIn()).isEqualTo(route.legs().get(i - 1).amountOut());
            }
            PoolSnapshot p = pools.stream().filter(s -> s.descriptor().equals(l.pool())).findFirst().orElseThrow();
            assertThat(l.zeroForOne()).isEqualTo(p.descriptor().token0().address().equals(l.tokenIn()));
            BigInteger q = quote(p, l.zeroForOne(), exactInput, exactInput ? l.amountIn() : l.amountOut());
            assertThat(q).isEqualTo(exactInput ? l.amountOut() : l.amountIn());
        }
    }

    private BigInteger bruteForce(List<PoolSnapshot> pools, Address in, Address out, boolean exactInput, BigInteger amount) {
        BigInteger[] best = {null};
        walk(pools, new ArrayList<>(List.of(exactInput ? in : out)), exactInput ? out : in, exactInput, amount, best);
        return best[0];
    }

    private void walk(List<PoolSnapshot> pools, List<Address> visited, Address target, boolean exactInput, BigInteger amount, BigInteger[] best) {
        Address at = visited.getLast();
        for (PoolSnapshot p : pools) {
            PoolDescriptor d = p.descriptor();
            Address other = d.token0().address().equals(at) ? d.token1().address() : d.token1().address().equals(at) ? d.token0().address() : null;
            if (other == null || visited.contains(other)) {
                continue;
            }
            // forward: at -> other; backward (exact output): other -> at
            boolean zeroForOne = exactInput ? d.token0().address().equals(at) : d.token0().address().equals(other);
            BigInteger next = quote(p, zeroForOne, exactInput, amount);
            if (next == null) {
                continue;
            }
            if (other.equals(target)) {
                if (best[0] == null || (exactInput ? next.compareTo(best[0]) > 0 : next.compareTo(best[0]) < 0)) {
                    best[0] = next;
                }
            } else if (visited.size() < 3) {
                visited.add(other);
                walk(pools, visited, target, exactInput, next, best);
                visited.removeLast();
            }
        }
    }

    /** The other side's amount of one pool swap, or null when the pool would refuse or fill it only partly. */
    private static BigInteger quote(PoolSnapshot p, boolean zeroForOne, boolean exactInput, BigInteger amount) {
        try {
            SwapQuote q = switch (p) {
                case PoolSnapshot.V2 v2 -> V2Swap.UNISWAP.quote(v2.reserve0(), v2.reserve1(), zeroForOne, exactInput, amount);
                case PoolSnapshot.Concentrated c -> ConcentratedSwap.quote(c, zeroForOne, exactInput, amount, null);
            };
            BigInteger r = exactInput ? q.amountOut() : q.amountIn();
            return q.complete() && r.signum() > 0 ? r : null;
        } catch (MathRevert e) {
            return null;
        }
    }

    private List<PoolSnapshot> randomPools(SplittableRandom r, int n) {
        List<PoolSnapshot> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int a = r.nextInt(tokens.size());
            int b = (a + 1 + r.nextInt(tokens.size() - 1)) % tokens.size();
            Token t0 = tokens.get(Math.min(a, b));
            Token t1 = tokens.get(Math.max(a, b));
            BigInteger depth = E18.multiply(BigInteger.valueOf(10 + r.nextInt(5000)));
            if (r.nextBoolean()) {
                PoolDescriptor d = new PoolDescriptor(PoolId.of(Address.of(BigInteger.valueOf(0x10000 + i))), Protocol.UNISWAP_V2, t0, t1, Address.ZERO,
                        null, null, null);
                BigInteger r1 = depth.multiply(BigInteger.valueOf(80 + r.nextInt(40))).divide(BigInteger.valueOf(100));
                out.add(new PoolSnapshot.V2(d, depth, r1));
            } else {
                boolean v4 = r.nextBoolean();
                PoolDescriptor d = v4
                        ? new PoolDescriptor(PoolId.of(Bytes32.of(BigInteger.valueOf(0x40000 + i))), Protocol.UNISWAP_V4, t0, t1,
                                Address.of(BigInteger.valueOf(0x4444)), 3000, 60, Address.ZERO)
                        : new PoolDescriptor(PoolId.of(Address.of(BigInteger.valueOf(0x30000 + i))), Protocol.UNISWAP_V3, t0, t1, Address.ZERO, 3000, 60,
                                null);
                out.add(concentrated(d, r.nextInt(-2000, 2000), depth));
            }
        }
        return out;
    }

    /** A full-range position of {@code liquidity} at {@code tick}. */
    private static PoolSnapshot concentrated(PoolDescriptor d, int tick, BigInteger liquidity) {
        TreeMap<Integer, TickInfo> ticks = new TreeMap<>();
        ticks.put(-887220, new TickInfo(liquidity, liquidity));
        ticks.put(887220, new TickInfo(liquidity, liquidity.negate()));
        return new PoolSnapshot.Concentrated(d, TickMath.getSqrtRatioAtTick(tick), tick, liquidity, 3000, 0, ticks);
    }
}
