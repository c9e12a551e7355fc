package io.poolstate.dex.route;

import io.poolstate.dex.math.MathRevert;
import io.poolstate.dex.math.Uint256;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.quote.ConcentratedSwap;
import io.poolstate.dex.quote.V2Swap;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.eth.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Finds the best route between two tokens over a {@link TokenGraph}, every leg computed by the pool's own math
 * ({@link ConcentratedSwap} for V3/V4, {@link V2Swap} for V2), so the amounts are the ones the contracts would
 * produce on the same state.
 *
 * <p><b>Search.</b> Layered, bounded: from the source token, hop by hop up to {@code maxHops}, every edge of every
 * kept label is quoted; a label is kept per (token, hop count) only among the {@code beamWidth} best amounts there.
 * Swaps are monotone (more in gives at least as much out; more out needs at least as much in), so the best amount
 * reaching a token is the best start for any continuation; the extra labels cover continuations that would reuse a
 * pool or revisit a token on the best label's path (routes are simple: distinct tokens, distinct pools). Tokens that
 * cannot reach the target in the hops left (breadth-first distances) are not expanded. Exact input searches forward
 * maximising the output; exact output searches backward from the output token minimising the input (each leg an
 * exact-output quote). A leg the pool would revert, fill only partly, or answer with zero is not a leg.
 *
 * <p><b>Split.</b> With {@code split}, the {@code splitCandidates} best routes at the full amount are paired
 * (pool-disjoint pairs only, so each route's legs see the block's state untouched by the other), and the amount is
 * divided on a fixed grid of {@code splitStepPercent} steps; every point is quoted exactly on both routes. The split
 * is answered when it beats the single best route, else the single route.
 *
 * <p>Not thread-safe: holds the simulation registers; one instance per thread ({@link #perThread()}). Reads only
 * immutable snapshots.
 */
public final class RouteSearch {
    /**
     * @param maxHops          1..3 legs per route
     * @param beamWidth        labels kept per (token, hop count), at least 1
     * @param splitCandidates  routes considered for a two-way split, at least 2
     * @param splitStepPercent grid step of the split's share, 1..50 (the first route takes step, 2·step, … 100−step)
     */
    public record Settings(int maxHops, int beamWidth, int splitCandidates, int splitStepPercent) {
        public static final Settings DEFAULT = new Settings(3, 2, 8, 5);

        public Settings {
            if (maxHops < 1 || maxHops > 3 || beamWidth < 1 || splitCandidates < 2 || splitStepPercent < 1 || splitStepPercent > 50) {
                throw new IllegalArgumentException("route settings out of range: maxHops=" + maxHops + " beamWidth=" + beamWidth
                        + " splitCandidates=" + splitCandidates + " splitStepPercent=" + splitStepPercent);
            }
        }

        public Settings withMaxHops(int hops) {
            return new Settings(hops, beamWidth, splitCandidates, splitStepPercent);
        }
    }

    private static final ThreadLocal<RouteSearch> PER_THREAD = ThreadLocal.withInitial(RouteSearch::new);
    private static final BigInteger HUNDRED = BigInteger.valueOf(100);

    /** A partial route: the amount at {@code token} after {@code hops} legs, and how it got there. */
    private record Label(int token, Uint256 amount, Label prev, TokenGraph.Edge edge, int hops) {
        boolean visits(int t) {
            for (Label l = this; l != null; l = l.prev) {
                if (l.token == t) {
                    return true;
                }
            }
            return false;
        }

        boolean uses(PoolSnapshot pool) {
            for (Label l = this; l.edge != null; l = l.prev) {
                if (l.edge.pool() == pool) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One swap direction of a pool on a route, in route order. */
    private record Step(PoolSnapshot pool, boolean zeroForOne, Uint256 reserveIn, Uint256 reserveOut, Address tokenIn, Address tokenOut) {
    }

    private final ConcentratedSwap swap = new ConcentratedSwap();
    private final Uint256 scratch = new Uint256();
    private final Uint256 carry = new Uint256();
    private long quotes;

    /** The calling thread's instance. */
    public static RouteSearch perThread() {
        return PER_THREAD.get();
    }

    /**
     * The best route from {@code tokenIn} to {@code tokenOut}.
     *
     * @param exactInput true: {@code amount} of {@code tokenIn} is paid in, the output is maximised; false:
     *                   {@code amount} of {@code tokenOut} is to be received, the input is minimised
     * @param amount     positive, token units
     * @param split      also try two pool-disjoint routes sharing the amount
     */
    public RouteAnswer best(TokenGraph g, Address tokenIn, Address tokenOut, boolean exactInput, BigInteger amount, boolean split, Settings s) {
        return best(g, tokenIn, tokenOut, exactInput, amount, split, s, Set.of());
    }

    /** As above, never through the pools in {@code exclude}. */
    public RouteAnswer best(TokenGraph g, Address tokenIn, Address tokenOut, boolean exactInput, BigInteger amount, boolean split, Settings s,
                            Set<PoolId> exclude) {
        if (amount.signum() <= 0 || amount.bitLength() > 255) {
            throw new IllegalArgumentException("amount must be positive and below 2^255: amount=" + amount);
        }
        quotes = 0;
        int in = g.node(tokenIn);
        int out = g.node(tokenOut);
        if (in < 0 || out < 0 || in == out) {
            return new RouteAnswer(List.of(), BigInteger.ZERO, BigInteger.ZERO, 0, 0);
        }
        List<Label> finals = exactInput ? search(g, in, out, true, amount, s, exclude) : search(g, out, in, false, amount, s, exclude);
        Comparator<Label> better = exactInput ? (a, b) -> b.amount.compareTo(a.amount) : (a, b) -> a.amount.compareTo(b.amount);
        finals.sort(better);
        if (finals.isEmpty()) {
            return new RouteAnswer(List.of(), BigInteger.ZERO, BigInteger.ZERO, 0, quotes);
        }
        List<List<Step>> paths = new ArrayList<>();
        for (Label l : finals) {
            paths.add(steps(g, l, exactInput));
        }
        List<Route> best = List.of(evaluate(paths.getFirst(), exactInput, amount));
        if (split) {
            List<Route> two = split(paths.subList(0, Math.min(paths.size(), s.splitCandidates())), exactInput, amount, best.getFirst(), s);
            if (two != null) {
                best = two;
            }
        }
        BigInteger totalIn = best.stream().map(Route::amountIn).reduce(BigInteger.ZERO, BigInteger::add);
        BigInteger totalOut = best.stream().map(Route::amountOut).reduce(BigInteger.ZERO, BigInteger::add);
        return new RouteAnswer(best, totalIn, totalOut, finals.size(), quotes);
    }

    /** Layered search from {@code source}; every label that reaches {@code target}. */
    private List<Label> search(TokenGraph g, int source, int target, boolean forward, BigInteger amount, Settings s, Set<PoolId> exclude) {
        int[] hopsLeftNeeded = g.hopsTo(target, s.maxHops());
        List<Label> finals = new ArrayList<>();
        List<Label> layer = List.of(new Label(source, Uint256.of(amount), null, null, 0));
        int n = g.tokenCount();
        for (int h = 1; h <= s.maxHops() && !layer.isEmpty(); h++) {
            Label[][] kept = new Label[n][];
            int[] keptCount = new int[n];
            for (Label from : layer) {
                for (TokenGraph.Edge e : g.edges(from.token)) {
                    int u = e.to();
                    if (u != target && (hopsLeftNeeded[u] > s.maxHops() - h || h == s.maxHops())) {
                        continue;
                    }
                    if (from.visits(u) || from.uses(e.pool()) || !exclude.isEmpty() && exclude.contains(e.pool().descriptor().id())) {
                        continue;
                    }
                    boolean ok = forward ? quote(e.pool(), e.zeroForOne(), true, e.reserveFrom(), e.reserveTo(), from.amount, scratch)
                            : quote(e.pool(), !e.zeroForOne(), false, e.reserveTo(), e.reserveFrom(), from.amount, scratch);
                    if (!ok) {
                        continue;
                    }
                    Label l = new Label(u, new Uint256().set(scratch), from, e, h);
                    if (u == target) {
                        finals.add(l);
                    } else {
                        keep(kept, keptCount, l, forward, s.beamWidth());
                    }
                }
            }
            List<Label> next = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                for (int i = 0; i < keptCount[t]; i++) {
                    next.add(kept[t][i]);
                }
            }
            layer = next;
        }
        return finals;
    }

    /** Inserts {@code l} among the best {@code width} labels of its token (sorted best first). */
    private static void keep(Label[][] kept, int[] count, Label l, boolean forward, int width) {
        Label[] row = kept[l.token];
        if (row == null) {
            row = kept[l.token] = new Label[width];
        }
        int c = count[l.token];
        int pos = c;
        while (pos > 0 && better(l.amount, row[pos - 1].amount, forward)) {
            pos--;
        }
        if (pos >= width) {
            return;
        }
        int last = Math.min(c, width - 1);
        System.arraycopy(row, pos, row, pos + 1, last - pos);
        row[pos] = l;
        count[l.token] = Math.min(c + 1, width);
    }

    private static boolean better(Uint256 a, Uint256 b, boolean forward) {
        int c = a.compareTo(b);
        return forward ? c > 0 : c < 0;
    }

    /** The route of a final label as steps in swap order. */
    private static List<Step> steps(TokenGraph g, Label last, boolean forward) {
        List<Step> out = new ArrayList<>();
        for (Label l = last; l.edge != null; l = l.prev) {
            TokenGraph.Edge e = l.edge;
            out.add(forward ? new Step(e.pool(), e.zeroForOne(), e.reserveFrom(), e.reserveTo(), g.token(e.from()), g.token(e.to()))
                    : new Step(e.pool(), !e.zeroForOne(), e.reserveTo(), e.reserveFrom(), g.token(e.to()), g.token(e.from())));
        }
        if (forward) {
            java.util.Collections.reverse(out);
        }
        return out;
    }

    /** The route's legs at {@code amount}, or null when a leg cannot carry it. */
    private Route evaluate(List<Step> path, boolean exactInput, BigInteger amount) {
        BigInteger[] amounts = new BigInteger[path.size() + 1];
        carry.set(amount);
        if (exactInput) {
            amounts[0] = amount;
            for (int i = 0; i < path.size(); i++) {
                Step st = path.get(i);
                if (!quote(st.pool, st.zeroForOne, true, st.reserveIn, st.reserveOut, carry, scratch)) {
                    return null;
                }
                carry.set(scratch);
                amounts[i + 1] = carry.toBigInteger();
            }
        } else {
            amounts[path.size()] = amount;
            for (int i = path.size() - 1; i >= 0; i--) {
                Step st = path.get(i);
                if (!quote(st.pool, st.zeroForOne, false, st.reserveIn, st.reserveOut, carry, scratch)) {
                    return null;
                }
                carry.set(scratch);
                amounts[i] = carry.toBigInteger();
            }
        }
        List<Leg> legs = new ArrayList<>();
        for (int i = 0; i < path.size(); i++) {
            Step st = path.get(i);
            legs.add(new Leg(st.pool.descriptor(), st.tokenIn, st.tokenOut, st.zeroForOne, amounts[i], amounts[i + 1]));
        }
        return new Route(legs);
    }

    /** The best two-route split beating {@code single}, or null. */
    private List<Route> split(List<List<Step>> candidates, boolean exactInput, BigInteger amount, Route single, Settings s) {
        BigInteger bestTotal = exactInput ? single.amountOut() : single.amountIn();
        List<Route> best = null;
        for (int i = 0; i < candidates.size(); i++) {
            for (int j = i + 1; j < candidates.size(); j++) {
                List<Step> a = candidates.get(i);
                List<Step> b = candidates.get(j);
                if (sharePool(a, b)) {
                    continue;
                }
                for (int pct = s.splitStepPercent(); pct < 100; pct += s.splitStepPercent()) {
                    BigInteger first = amount.multiply(BigInteger.valueOf(pct)).divide(HUNDRED);
                    BigInteger second = amount.subtract(first);
                    if (first.signum() == 0 || second.signum() == 0) {
                        continue;
                    }
                    Route ra = evaluate(a, exactInput, first);
                    Route rb = ra == null ? null : evaluate(b, exactInput, second);
                    if (rb == null) {
                        continue;
                    }
                    BigInteger total = exactInput ? ra.amountOut().add(rb.amountOut()) : ra.amountIn().add(rb.amountIn());
                    if (exactInput ? total.compareTo(bestTotal) > 0 : total.compareTo(bestTotal) < 0) {
                        bestTotal = total;
                        best = List.of(ra, rb);
                    }
                }
            }
        }
        return best;
    }

    private static boolean sharePool(List<Step> a, List<Step> b) {
        for (Step x : a) {
            for (Step y : b) {
                if (x.pool == y.pool) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * One pool swap: exact input ({@code amount} in, {@code result} out) or exact output ({@code amount} out,
     * {@code result} in). False when the pool would revert, fill only part of it, or the result is zero.
     */
    private boolean quote(PoolSnapshot pool, boolean zeroForOne, boolean exactInput, Uint256 reserveIn, Uint256 reserveOut, Uint256 amount,
                          Uint256 result) {
        quotes++;
        try {
            switch (pool) {
                case PoolSnapshot.V2 v2 -> {
                    if (exactInput) {
                        V2Swap.UNISWAP.getAmountOut(amount, reserveIn, reserveOut, result);
                        if (!fitsReserve(reserveIn, amount)) {
                            return false;
                        }
                    } else {
                        V2Swap.UNISWAP.getAmountIn(amount, reserveIn, reserveOut, result);
                        if (!fitsReserve(reserveIn, result)) {
                            return false;
                        }
                    }
                }
                case PoolSnapshot.Concentrated c -> {
                    swap.simulate(c, zeroForOne, exactInput, amount, null);
                    if (!swap.complete()) {
                        return false;
                    }
                    result.set(exactInput ? swap.amountOut() : swap.amountIn());
                }
            }
        } catch (MathRevert e) {
            return false;
        }
        return !result.isZero();
    }

    /** UniswapV2Pair {@code _update}: a balance above uint112 reverts ({@code OVERFLOW}); the reserve stands for the balance. */
    private static boolean fitsReserve(Uint256 reserve, Uint256 added) {
        if (reserve.bitLength() < 111 && added.bitLength() < 111) {
            return true;
        }
        return reserve.toBigInteger().add(added.toBigInteger()).bitLength() <= 112;
    }
}
