package io.poolstate.arena.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaView;
import io.poolstate.arena.ChainWatch;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.http.ApiServer;
import io.poolstate.http.QueryString;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The arena's HTTP API (spec section 3): {@code /v1/status}, {@code /v1/pools}, {@code /v1/pools/{id}},
 * {@code /v1/pools/{id}/quote}, {@code /metrics}, {@code /health}; {@code /v1/pools} is paged and filtered
 * ({@link PoolListEndpoint}). Every answer is built from one
 * {@link ArenaView}, so it reflects the end of the one block it names. Integers beyond 2^53 are decimal strings;
 * ids and addresses lowercase hex, accepted in any case. Unknown pool: 404; a pool in the book but not served at the
 * view's block: 503 with the reason; bad parameters or a malformed request: 400; a swap the pool would revert, or a
 * quote the pool math cannot prove (a hook that can change a swap's amounts): 422, see {@link QuoteEndpoint}. Served
 * by an {@link ApiServer}: the process's request time-outs and connection limit, handlers on virtual threads, any
 * unexpected failure a 500 without internals.
 */
public final class ArenaHttpServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<ArenaView> views;
    private final java.util.function.Function<ArenaView, ChainWatch.Freshness> freshness;
    private final ArenaMetrics metrics;
    private final String host;
    private final int port;
    private final QuoteEndpoint quotes;
    private ApiServer server;
    private ApiServer.Handler pages;

    /** {@code freshness}: whether a view is stale (the chain moved on and it did not); see {@link ChainWatch}. No node quotes. */
    public ArenaHttpServer(String host, int port, Supplier<ArenaView> views, java.util.function.Function<ArenaView, ChainWatch.Freshness> freshness,
                           ArenaMetrics metrics) throws IOException {
        this(host, port, views, freshness, metrics, QuoteSimulation.OFF);
    }

    /** As above, with quotes answered by the node's V4Quoter where {@code simulation} says so. */
    public ArenaHttpServer(String host, int port, Supplier<ArenaView> views, java.util.function.Function<ArenaView, ChainWatch.Freshness> freshness,
                           ArenaMetrics metrics, QuoteSimulation simulation) throws IOException {
        this.quotes = new QuoteEndpoint(simulation, metrics);
        this.views = views;
        this.freshness = freshness;
        this.metrics = metrics;
        this.host = host;
        this.port = port;
    }

    /**
     * Serves {@code /}, {@code /dashboard…} and {@code /v1/dashboard…} with {@code pages} (the operator's dashboard,
     * assembled where the other parts' data is at hand). Before {@link #start()}.
     */
    public ArenaHttpServer pages(ApiServer.Handler pages) {
        this.pages = pages;
        return this;
    }

    public ArenaHttpServer start() throws IOException {
        server = ApiServer.start(host, port, this::route);
        return this;
    }

    public InetSocketAddress address() {
        return server.address();
    }

    private void route(HttpExchange ex) throws Exception {
        metrics.httpRequests.increment();
        String path = ex.getRequestURI().getPath();
        if (pages != null && (path.equals("/") || path.startsWith("/dashboard") || path.startsWith("/v1/dashboard"))) {
            pages.handle(ex);
            return;
        }
        ArenaView v = views.get();
        if (path.equals("/health")) {
            ChainWatch.Freshness f = freshness.apply(v);
            boolean live = v.mode() == io.poolstate.arena.ArenaMode.LIVE;
            ObjectNode n = JSON.createObjectNode().put("status", !live ? "starting" : f.stale() ? "stale" : "ok").put("mode", v.mode().wireName())
                    .put("block_number", v.blockNumber()).put("stale", f.stale());
            if (f.reason() != null) {
                n.put("reason", f.reason());
            }
            send(ex, live && !f.stale() ? 200 : 503, n);
        } else if (path.equals("/metrics")) {
            ApiServer.text(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
        } else if (path.equals("/v1/status")) {
            send(ex, 200, status(v, freshness.apply(v)));
        } else if (path.equals("/v1/pools")) {
            PoolListEndpoint.Query q = PoolListEndpoint.Query.parse(QueryString.parse(ex.getRequestURI().getRawQuery()));
            PoolListEndpoint.Page page = PoolListEndpoint.page(v, q);
            ArrayNode arr = JSON.createArrayNode();
            page.pools().forEach(p -> arr.add(pool(p, v, false)));
            ObjectNode n = JSON.createObjectNode().put("block_number", v.blockNumber()).put("block_hash", v.blockHash().toString())
                    .put("matching", page.matching()).put("limit", q.limit());
            n.put("next", page.next() == null ? null : page.next().toString());
            n.set("pools", arr);
            send(ex, 200, n);
        } else if (path.startsWith("/v1/pools/")) {
            pools(ex, v, path.substring("/v1/pools/".length()));
        } else {
            send(ex, 404, error("no such endpoint: " + path));
        }
    }

    private void pools(HttpExchange ex, ArenaView v, String rest) throws IOException {
        boolean quote = rest.endsWith("/quote");
        String idText = quote ? rest.substring(0, rest.length() - "/quote".length()) : rest;
        PoolId id;
        try {
            id = PoolId.parse(idText);
        } catch (IllegalArgumentException e) {
            send(ex, 400, error(e.getMessage()));
            return;
        }
        PoolSnapshot p = v.pools().get(id);
        if (p == null) {
            String why = v.notServed().get(id);
            if (why != null) {
                send(ex, 503, error("pool not served at block " + v.blockNumber() + ": id=" + id + " reason=" + why));
            } else {
                send(ex, 404, error("unknown pool: id=" + id));
            }
            return;
        }
        if (!quote) {
            send(ex, 200, pool(p, v, true));
            return;
        }
        QuoteEndpoint.Answer a = quotes.answer(p, v, QueryString.parse(ex.getRequestURI().getRawQuery()));
        send(ex, a.status(), a.body());
    }

    private static ObjectNode status(ArenaView v, ChainWatch.Freshness f) {
        ObjectNode n = JSON.createObjectNode();
        n.put("chain_id", v.chainId());
        n.put("mode", v.mode().wireName());
        n.put("stale", f.stale());
        if (f.reason() != null) {
            n.put("stale_reason", f.reason());
        }
        n.put("block_number", v.blockNumber());
        n.put("block_hash", v.blockHash().toString());
        n.put("chain_head", f.chainHead());
        n.put("seconds_since_advance", f.secondsSinceAdvance());
        n.put("pools", v.pools().size());
        n.put("pools_forwarded", v.forwarded());
        n.put("pools_not_served", v.notServed().size());
        ObjectNode why = n.putObject("not_served");
        v.notServed().entrySet().stream().limit(100).forEach(e -> why.put(e.getKey().toString(), e.getValue()));
        n.put("whitelist_snapshot_id", v.whitelistSnapshotId());
        n.put("blocks_applied", v.blocksApplied());
        n.put("events_applied", v.eventsApplied());
        return n;
    }

    private static ObjectNode pool(PoolSnapshot p, ArenaView v, boolean ticks) {
        PoolDescriptor d = p.descriptor();
        ObjectNode n = JSON.createObjectNode();
        n.put("id", d.id().toString());
        n.put("protocol", d.protocol().wireName());
        n.put("block_number", v.blockNumber());
        n.put("block_hash", v.blockHash().toString());
        n.put("token0", d.token0().address().toString());
        n.put("token1", d.token1().address().toString());
        Long scraped = v.scrapedAt().get(d.id());
        if (scraped != null) {
            n.put("scraped_at", scraped);
        }
        switch (p) {
            case PoolSnapshot.V2 v2 -> {
                n.put("reserve0", v2.reserve0().toString());
                n.put("reserve1", v2.reserve1().toString());
            }
            case PoolSnapshot.Concentrated c -> {
                n.put("sqrt_price_x96", c.sqrtPriceX96().toString());
                n.put("tick", c.tick());
                n.put("liquidity", c.liquidity().toString());
                n.put("fee", d.fee());
                n.put("tick_spacing", d.tickSpacing());
                if (d.protocol() == Protocol.UNISWAP_V4) {
                    n.put("lp_fee", c.fee());
                    n.put("protocol_fee", c.protocolFee());
                }
                if (ticks) {
                    ArrayNode arr = n.putArray("ticks");
                    // straight from the tick table: its map view would be built and kept with the snapshot
                    io.poolstate.dex.state.TickTable table = c.tickTable();
                    for (int i = 0; i < table.size(); i++) {
                        TickInfo t = table.info(i);
                        arr.addObject().put("tick", table.tick(i)).put("liquidity_gross", t.liquidityGross().toString())
                                .put("liquidity_net", t.liquidityNet().toString());
                    }
                } else {
                    n.put("initialized_ticks", c.tickTable().size());
                }
            }
        }
        return QuoteEndpoint.support(n, d);
    }

    private static ObjectNode error(String message) {
        return ApiServer.error(message);
    }

    private static void send(HttpExchange ex, int status, ObjectNode body) throws IOException {
        ApiServer.json(ex, status, body);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
