package io.poolstate.dex.route;

import io.poolstate.dex.math.Uint256;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.quote.QuoteSupport;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.eth.Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The token graph of one set of pool snapshots (one block): tokens are nodes, every pool whose swaps the pool math
 * quotes exactly ({@link QuoteSupport.Exact}) is an edge between its two tokens, usable both ways. Pools the math
 * cannot prove (V4 hooks that can change a swap's amounts) are left out and listed in {@link #skipped()} with the
 * reason. V4 native ETH (the zero address) is a token of its own, not WETH.
 *
 * <p>Immutable once built; built once per served block and shared by every reader of that block. Building is
 * linear in the pools.
 */
public final class TokenGraph {
    /**
     * One direction of a pool: swapping {@code from} for {@code to}.
     *
     * @param zeroForOne    {@code from} is the pool's token0
     * @param reserveFrom   V2 only: the reserve of {@code from}, as limbs (null for V3/V4)
     * @param reserveTo     V2 only: the reserve of {@code to}
     */
    record Edge(PoolSnapshot pool, int from, int to, boolean zeroForOne, Uint256 reserveFrom, Uint256 reserveTo) {
    }

    private final Address[] tokens;
    private final Map<Address, Integer> index;
    /** adjacency[t]: every edge leaving token t. */
    private final Edge[][] adjacency;
    private final Map<PoolId, String> skipped;
    private final int pools;

    private TokenGraph(Address[] tokens, Map<Address, Integer> index, Edge[][] adjacency, Map<PoolId, String> skipped, int pools) {
        this.tokens = tokens;
        this.index = index;
        this.adjacency = adjacency;
        this.skipped = skipped;
        this.pools = pools;
    }

    /** The graph of {@code snapshots} (each pool once). */
    public static TokenGraph of(Collection<PoolSnapshot> snapshots) {
        Map<Address, Integer> index = new HashMap<>();
        List<Address> tokens = new ArrayList<>();
        List<List<Edge>> adjacency = new ArrayList<>();
        Map<PoolId, String> skipped = new LinkedHashMap<>();
        int pools = 0;
        for (PoolSnapshot p : snapshots) {
            PoolDescriptor d = p.descriptor();
            QuoteSupport support = QuoteSupport.of(d);
            if (support instanceof QuoteSupport.Refused r) {
                skipped.put(d.id(), r.reason());
                continue;
            }
            int t0 = index.computeIfAbsent(d.token0().address(), a -> {
                tokens.add(a);
                adjacency.add(new ArrayList<>());
                return tokens.size() - 1;
            });
            int t1 = index.computeIfAbsent(d.token1().address(), a -> {
                tokens.add(a);
                adjacency.add(new ArrayList<>());
                return tokens.size() - 1;
            });
            Uint256 r0 = null;
            Uint256 r1 = null;
            if (p instanceof PoolSnapshot.V2 v2) {
                r0 = Uint256.of(v2.reserve0());
                r1 = Uint256.of(v2.reserve1());
            }
            adjacency.get(t0).add(new Edge(p, t0, t1, true, r0, r1));
            adjacency.get(t1).add(new Edge(p, t1, t0, false, r1, r0));
            pools++;
        }
        Edge[][] adj = new Edge[adjacency.size()][];
        for (int i = 0; i < adj.length; i++) {
            adj[i] = adjacency.get(i).toArray(Edge[]::new);
        }
        return new TokenGraph(tokens.toArray(Address[]::new), Map.copyOf(index), adj, Collections.unmodifiableMap(skipped), pools);
    }

    /** The token's node, or -1 when no routable pool trades it. */
    int node(Address token) {
        Integer i = index.get(token);
        return i == null ? -1 : i;
    }

    Address token(int node) {
        return tokens[node];
    }

    Edge[] edges(int node) {
        return adjacency[node];
    }

    /** Tokens with at least one routable pool. */
    public int tokenCount() {
        return tokens.length;
    }

    /** Pools in the graph (quoted exactly). */
    public int poolCount() {
        return pools;
    }

    /** Whether a routable pool trades {@code token}. */
    public boolean trades(Address token) {
        return index.containsKey(token);
    }

    /** Pools left out of routing, with the reason (the pool math cannot quote them exactly). */
    public Map<PoolId, String> skipped() {
        return skipped;
    }

    /** Hops from every token to {@code target} (breadth first, at most {@code limit}; beyond: {@code limit + 1}). */
    int[] hopsTo(int target, int limit) {
        int[] hops = new int[tokens.length];
        java.util.Arrays.fill(hops, limit + 1);
        hops[target] = 0;
        int[] queue = new int[tokens.length];
        int head = 0;
        int tail = 0;
        queue[tail++] = target;
        while (head < tail) {
            int t = queue[head++];
            if (hops[t] >= limit) {
                continue;
            }
            for (Edge e : adjacency[t]) {
                if (hops[e.to()] > hops[t] + 1) {
                    hops[e.to()] = hops[t] + 1;
                    queue[tail++] = e.to();
                }
            }
        }
        return hops;
    }
}
