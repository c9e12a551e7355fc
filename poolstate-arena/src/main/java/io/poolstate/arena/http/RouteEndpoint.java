package io.poolstate.arena.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaView;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.route.Leg;
import io.poolstate.dex.route.Route;
import io.poolstate.dex.route.RouteAnswer;
import io.poolstate.dex.route.RouteSearch;
import io.poolstate.dex.route.TokenGraph;
import io.poolstate.eth.Address;
import io.poolstate.http.ApiServer;
import io.poolstate.http.QueryString;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /v1/route}: the best route between two tokens over the pools served at one block ({@link ArenaView}), up
 * to three hops, every leg computed by the pool's own math ({@link RouteSearch}); optionally split across two
 * pool-disjoint routes. Pools whose quotes the math cannot prove (V4 hooks that can change a swap) are left out and
 * listed with the reason.
 *
 * <p>Parameters: {@code token_in}, {@code token_out} (addresses; V4 native ETH is the zero address), one of
 * {@code amount_in} / {@code amount_out} (token units), {@code max_hops} (1..3, default 3), {@code split} (1 or 2),
 * {@code exclude_pools} (ids separated by commas: pools the route must not use).
 * Answers: 200 with the route(s), legs, totals and the block; 400 bad parameters; 404 a token no routable pool trades;
 * 422 no route carries the amount.
 *
 * <p>Thread-safe: the token graph is built once per view, by the first request that needs it (a race builds it twice,
 * harmlessly), and is immutable; each request searches on its own thread's {@link RouteSearch}.
 */
final class RouteEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Pools one request may exclude. */
    static final int EXCLUDE_MAX = 1000;
    /** The search method, as the answer states it. */
    static final String METHOD = "layered search over the token graph, per token and hop count the best labels kept (beam), simple paths;"
            + " split: the best single routes paired (pool-disjoint), share on a fixed grid, every point quoted exactly";

    private record Indexed(ArenaView view, TokenGraph graph) {
    }

    private record Params(Address in, Address out, boolean exactInput, BigInteger amount, int maxHops, boolean split, Set<PoolId> exclude) {
    }

    private final RouteSearch.Settings settings;
    private final ArenaMetrics metrics;
    private volatile Indexed indexed;

    RouteEndpoint(RouteSearch.Settings settings, ArenaMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    /** The token graph of view {@code v}, built on first use. */
    TokenGraph graph(ArenaView v) {
        Indexed i = indexed;
        if (i == null || i.view() != v) {
            i = new Indexed(v, TokenGraph.of(v.pools().values()));
            indexed = i;
        }
        return i.graph();
    }

    QuoteEndpoint.Answer answer(ArenaView v, QueryString query) {
        Params q;
        try {
            q = params(query);
        } catch (IllegalArgumentException e) {
            return new QuoteEndpoint.Answer(400, ApiServer.error(e.getMessage()));
        }
        TokenGraph g = graph(v);
        for (Address t : new Address[] {q.in(), q.out()}) {
            if (!g.trades(t)) {
                metrics.routesNone.increment();
                return new QuoteEndpoint.Answer(404, block(ApiServer.error("no served pool that is quoted exactly trades token " + t + " at block "
                        + v.blockNumber() + ": token=" + t), v));
            }
        }
        long started = System.nanoTime();
        RouteAnswer a = RouteSearch.perThread().best(g, q.in(), q.out(), q.exactInput(), q.amount(), q.split(), settings.withMaxHops(q.maxHops()),
                q.exclude());
        metrics.routeSearch.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        ObjectNode n = JSON.createObjectNode();
        n.put("token_in", q.in().toString());
        n.put("token_out", q.out().toString());
        n.put("exact", q.exactInput() ? "input" : "output");
        if (!a.found()) {
            metrics.routesNone.increment();
            n.put("error", "no route of at most " + q.maxHops() + " hops carries " + (q.exactInput() ? "amount_in=" : "amount_out=") + q.amount()
                    + " (every path reverts, fills partly or pays nothing)");
            search(n, q, a, g, v);
            return new QuoteEndpoint.Answer(422, block(n, v));
        }
        metrics.routesFound.increment();
        n.put("amount_in", a.amountIn().toString());
        n.put("amount_out", a.amountOut().toString());
        ArrayNode routes = n.putArray("routes");
        for (Route r : a.routes()) {
            ObjectNode rn = routes.addObject();
            rn.put("amount_in", r.amountIn().toString());
            rn.put("amount_out", r.amountOut().toString());
            ArrayNode legs = rn.putArray("legs");
            for (Leg l : r.legs()) {
                legs.addObject().put("pool", l.pool().id().toString()).put("protocol", l.pool().protocol().wireName())
                        .put("token_in", l.tokenIn().toString()).put("token_out", l.tokenOut().toString()).put("zero_for_one", l.zeroForOne())
                        .put("amount_in", l.amountIn().toString()).put("amount_out", l.amountOut().toString());
            }
        }
        search(n, q, a, g, v);
        return new QuoteEndpoint.Answer(200, block(n, v));
    }

    private void search(ObjectNode n, Params q, RouteAnswer a, TokenGraph g, ArenaView v) {
        ObjectNode s = n.putObject("search");
        s.put("max_hops", q.maxHops());
        if (!q.exclude().isEmpty()) {
            s.put("excluded_pools", q.exclude().size());
        }
        s.put("split", q.split() ? 2 : 1);
        s.put("beam_width", settings.beamWidth());
        if (q.split()) {
            s.put("split_candidates", settings.splitCandidates());
            s.put("split_step_percent", settings.splitStepPercent());
        }
        s.put("method", METHOD);
        s.put("routes_found", a.routesFound());
        s.put("quotes", a.quotes());
        s.put("pools", g.poolCount());
        s.put("tokens", g.tokenCount());
        ArrayNode skipped = n.putArray("skipped_pools");
        for (Map.Entry<PoolId, String> e : g.skipped().entrySet()) {
            skipped.addObject().put("pool", e.getKey().toString()).put("reason", e.getValue());
        }
        if (!v.notServed().isEmpty()) {
            n.put("pools_not_served", v.notServed().size());
        }
    }

    private static Params params(QueryString q) {
        Address in = address(q, "token_in");
        Address out = address(q, "token_out");
        if (in.equals(out)) {
            throw new IllegalArgumentException("token_in and token_out must differ: token=" + in);
        }
        String ai = q.get("amount_in");
        String ao = q.get("amount_out");
        if ((ai == null) == (ao == null)) {
            throw new IllegalArgumentException("give exactly one of amount_in and amount_out");
        }
        BigInteger amount = QuoteEndpoint.positive(ai != null ? ai : ao, ai != null ? "amount_in" : "amount_out");
        if (amount.bitLength() > 255) {
            throw new IllegalArgumentException("amount must be below 2^255: value=" + amount);
        }
        int hops = integer(q, "max_hops", 3, 1, 3);
        int split = integer(q, "split", 1, 1, 2);
        return new Params(in, out, ai != null, amount, hops, split == 2, exclude(q.get("exclude_pools")));
    }

    /** {@code exclude_pools}: pool ids separated by commas, at most {@value #EXCLUDE_MAX}. */
    private static Set<PoolId> exclude(String text) {
        if (text == null || text.isEmpty()) {
            return Set.of();
        }
        String[] ids = text.split(",");
        if (ids.length > EXCLUDE_MAX) {
            throw new IllegalArgumentException("exclude_pools takes at most " + EXCLUDE_MAX + " pools: count=" + ids.length);
        }
        Set<PoolId> out = new HashSet<>();
        for (String id : ids) {
            try {
                out.add(PoolId.parse(id.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("exclude_pools: " + e.getMessage());
            }
        }
        return out;
    }

    private static Address address(QueryString q, String name) {
        String v = q.get(name);
        if (v == null) {
            throw new IllegalArgumentException(name + " is required (a token address; V4 native ETH is 0x0000000000000000000000000000000000000000)");
        }
        try {
            return Address.of(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not an address: value=" + v);
        }
    }

    private static int integer(QueryString q, String name, int fallback, int min, int max) {
        String v = q.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(name + " must be " + min + ".." + max + ": value=" + v);
    }

    private static ObjectNode block(ObjectNode n, ArenaView v) {
        n.put("block_number", v.blockNumber());
        n.put("block_hash", v.blockHash().toString());
        return n;
    }
}
