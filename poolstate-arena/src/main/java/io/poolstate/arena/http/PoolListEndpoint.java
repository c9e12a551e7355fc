package io.poolstate.arena.http;

import io.poolstate.arena.ArenaView;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.eth.Address;
import io.poolstate.http.BadRequestException;
import io.poolstate.http.QueryString;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * {@code GET /v1/pools}: one page of the served pools, in ascending id order (a stable order: the same pools in
 * the same order at every block), filtered by {@code protocol} (comma-separated, e.g. {@code uniswap_v3,v4}) and
 * {@code token} (pools with this token on either side; {@code 0x000…0} is native ETH). {@code limit} pools per page
 * ({@value #DEFAULT_LIMIT} by default, at most {@value #MAX_LIMIT}); {@code after=<id>} continues after that id: the
 * answer's {@code next} is the cursor for the following page, null on the last. A page is selected in one pass over
 * the view, keeping only the {@code limit} smallest ids above the cursor, so its cost grows with the pools served and
 * the page, never with a sort of all of them. Safe from any thread (stateless).
 */
final class PoolListEndpoint {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** A request, parsed and checked. */
    record Query(Set<Protocol> protocols, Address token, PoolId after, int limit) {
        static Query parse(QueryString q) {
            Set<Protocol> protocols = EnumSet.allOf(Protocol.class);
            String p = q.get("protocol");
            if (p != null) {
                protocols = EnumSet.noneOf(Protocol.class);
                for (String part : p.split(",")) {
                    try {
                        protocols.add(Protocol.parse(part));
                    } catch (IllegalArgumentException e) {
                        throw new BadRequestException("protocol must be uniswap_v2, uniswap_v3 or uniswap_v4 (comma-separated): protocol=" + p);
                    }
                }
            }
            Address token = null;
            String t = q.get("token");
            if (t != null) {
                try {
                    token = Address.of(t);
                } catch (IllegalArgumentException e) {
                    throw new BadRequestException("token must be a 20-byte hex address: token=" + t);
                }
            }
            PoolId after = null;
            String a = q.get("after");
            if (a != null) {
                try {
                    after = PoolId.parse(a);
                } catch (IllegalArgumentException e) {
                    throw new BadRequestException("after must be a pool id (the previous page's next): after=" + a);
                }
            }
            return new Query(protocols, token, after, q.intParam("limit", DEFAULT_LIMIT, 1, MAX_LIMIT));
        }

        boolean matches(PoolDescriptor d) {
            return protocols.contains(d.protocol()) && (after == null || d.id().compareTo(after) > 0)
                    && (token == null || d.token0().address().equals(token) || d.token1().address().equals(token));
        }
    }

    /** The page: pools in ascending id order, how many match in all (before the cursor too), and the next cursor. */
    record Page(List<PoolSnapshot> pools, int matching, PoolId next) {
    }

    private PoolListEndpoint() {
    }

    static Page page(ArenaView v, Query q) {
        // a max-heap of the limit smallest ids seen: the head is the largest kept
        PriorityQueue<PoolSnapshot> kept = new PriorityQueue<>(q.limit() + 1, (x, y) -> y.descriptor().id().compareTo(x.descriptor().id()));
        int matching = 0;
        int beyond = 0;
        for (PoolSnapshot p : v.pools().values()) {
            PoolDescriptor d = p.descriptor();
            boolean filtered = q.protocols().contains(d.protocol())
                    && (q.token() == null || d.token0().address().equals(q.token()) || d.token1().address().equals(q.token()));
            if (!filtered) {
                continue;
            }
            matching++;
            if (!q.matches(d)) {
                continue;
            }
            beyond++;
            if (kept.size() < q.limit()) {
                kept.add(p);
            } else if (d.id().compareTo(kept.peek().descriptor().id()) < 0) {
                kept.poll();
                kept.add(p);
            }
        }
        List<PoolSnapshot> out = new ArrayList<>(kept);
        out.sort((x, y) -> x.descriptor().id().compareTo(y.descriptor().id()));
        PoolId next = beyond > out.size() ? out.get(out.size() - 1).descriptor().id() : null;
        return new Page(out, matching, next);
    }
}
