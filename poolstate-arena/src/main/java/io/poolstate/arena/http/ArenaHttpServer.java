package io.poolstate.arena.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaView;
import io.poolstate.arena.ChainWatch;
import io.poolstate.arena.ViewHistory;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.route.RouteSearch;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.http.ApiServer;
import io.poolstate.http.QueryString;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Map.Entry;
import java.util.function.Supplier;

/**
 * The arena's HTTP API (spec section 3): {@code /v1/status}, {@code /v1/pools}, {@code /v1/pools/{id}},
 * {@code /v1/pools/{id}/quote} ({@code /v1/pools} paged and filtered, {@link PoolListEndpoint}), {@code /v1/route} ({@link RouteEndpoint}), {@code POST /v1/quotes} (many quotes and
 * routes at one block), {@code /metrics}, {@code /health}. Every answer is built from one
 * {@link ArenaView}, so it reflects the end of the one block it names; with {@code ?block=N} ({@link #history}) the
 * pool and its quotes at an earlier block still in the journal (410 below it, 404 above the tip). Integers beyond 2^53 are decimal strings;
 * ids and addresses lowercase hex, accepted in any case. Unknown pool: 404; a pool in the book but not served at the
 * view's block: 503 with the reason; bad parameters or a malformed request: 400; a swap the pool would revert, or a
 * quote the pool math cannot prove (a hook that can change a swap's amounts): 422, see {@link QuoteEndpoint}. Served
 * by an {@link ApiServer}: the process's request time-outs and connection limit, handlers on virtual threads, any
 * unexpected failure a 500 without internals.
 */
public final class ArenaHttpServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Requests per {@code POST /v1/quotes}. */
    static final int BATCH_MAX = 1000;
    private static final int BATCH_MAX_BYTES = 1 << 20;

    private final Supplier<ArenaView> views;
    private final java.util.function.Function<ArenaView, ChainWatch.Freshness> freshness;
    private final ArenaMetrics metrics;
    private final String host;
    private final int port;
    private final QuoteEndpoint quotes;
    private final RouteEndpoint routes;
    private ApiServer server;
    private ApiServer.Handler pages;
    private ViewHistory history;
    private String chain;
    private String confirmation;
    private String feedSource;
    private Supplier<String> activeFeed;

    /** {@code freshness}: whether a view is stale (the chain moved on and it did not); see {@link ChainWatch}. No node quotes. */
    public ArenaHttpServer(String host, int port, Supplier<ArenaView> views, java.util.function.Function<ArenaView, ChainWatch.Freshness> freshness,
                           ArenaMetrics metrics) throws IOException {
        this(host, port, views, freshness, metrics, QuoteSimulation.OFF);
    }

    /** As above, with quotes answered by the node's V4Quoter where {@code simulation} says so. */
    public ArenaHttpServer(String host, int port, Supplier<ArenaView> views, java.util.function.Function<ArenaView, ChainWatch.Freshness> freshness,
                           ArenaMetrics metrics, QuoteSimulation simulation) throws IOException {
        this(host, port, views, freshness, metrics, simulation, RouteSearch.Settings.DEFAULT);
    }

    /** As above, with routes searched with {@code routeSettings}. */
    public ArenaHttpServer(String host, int port, Supplier<ArenaView> views, java.util.function.Function<ArenaView, ChainWatch.Freshness> freshness,
                           ArenaMetrics metrics, QuoteSimulation simulation, RouteSearch.Settings routeSettings) throws IOException {
        this.quotes = new QuoteEndpoint(simulation, metrics);
        this.routes = new RouteEndpoint(routeSettings, metrics);
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

    /**
     * Answers {@code ?block=N} on {@code /v1/pools/{id}} and its quotes from {@code history}: the served state at
     * block N while N is still in the journal, 410 below it, 404 above the tip. Before {@link #start()}.
     */
    public ArenaHttpServer history(ViewHistory history) {
        this.history = history;
        return this;
    }

    /**
     * Names the chain in {@code /v1/status} ({@code chain}: the name in NATS subjects and tables, beside the node's
     * {@code chain_id}), so that with arenas of several chains each answer says whose it is. Before {@link #start()}.
     */
    /**
     * Names the block rule the arena's feed follows in {@code /v1/status} ({@code confirmation}: {@code head},
     * {@code N confirmations} or {@code finalized}), so a consumer can check it never sees reverts. Before {@link #start()}.
     */
    public ArenaHttpServer confirmation(String rule) {
        this.confirmation = rule;
        return this;
    }

    public ArenaHttpServer chain(String name) {
        this.chain = name;
        return this;
    }

    /** {@code /v1/status} names where the feed's blocks come from and, for the JetStream stream, the feed publishing them. Before {@link #start()}. */
    public ArenaHttpServer feed(String source, Supplier<String> activeFeed) {
        this.feedSource = source;
        this.activeFeed = activeFeed;
        return this;
    }

    public ArenaHttpServer start() throws IOException {
        server = ApiServer.start(host, port, this::route, "/v1/quotes"::equals);
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
            ObjectNode n = status(v, freshness.apply(v), chain);
            if (confirmation != null) {
                n.put("confirmation", confirmation);
            }
            if (history != null) {
                n.put("history_oldest_block", history.oldest());
            }
            if (feedSource != null) {
                ObjectNode feed = n.putObject("feed");
                feed.put("source", feedSource);
                String active = activeFeed == null ? null : activeFeed.get();
                if (active != null) {
                    feed.put("active_feed", active);
                }
            }
            send(ex, 200, n);
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
        } else if (path.equals("/v1/route")) {
            QuoteEndpoint.Answer a = routes.answer(v, QueryString.parse(ex.getRequestURI().getRawQuery()));
            send(ex, a.status(), a.body());
        } else if (path.equals("/v1/quotes")) {
            batch(ex, v);
        } else {
            send(ex, 404, error("no such endpoint: " + path));
        }
    }

    private void pools(HttpExchange ex, ArenaView tip, String rest) throws IOException {
        boolean quote = rest.endsWith("/quote");
        String idText = quote ? rest.substring(0, rest.length() - "/quote".length()) : rest;
        PoolId id;
        try {
            id = PoolId.parse(idText);
        } catch (IllegalArgumentException e) {
            send(ex, 400, error(e.getMessage()));
            return;
        }
        QueryString query = QueryString.parse(ex.getRequestURI().getRawQuery());
        ArenaView v = tip;
        if (query.has("block")) {
            v = atBlock(ex, tip, query.get("block"), id);
            if (v == null) {
                return;
            }
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
        QuoteEndpoint.Answer a = quotes.answer(p, v, query);
        send(ex, a.status(), a.body());
    }

    /**
     * {@code POST /v1/quotes}: {@code {"quotes": [...]}} (or a bare array) of up to {@value #BATCH_MAX} requests, all
     * answered from one view: an item with {@code pool} is a pool quote (the parameters of
     * {@code /v1/pools/{id}/quote}), one with {@code token_in} a route (those of {@code /v1/route}). Each result
     * carries its own {@code status} and the body the single request would get; the batch answers 200 with the block.
     */
    private void batch(HttpExchange ex, ArenaView v) throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree(ApiServer.body(ex, BATCH_MAX_BYTES));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            send(ex, 400, error("the body is not JSON: " + e.getOriginalMessage()));
            return;
        }
        JsonNode items = body != null && body.isObject() ? body.get("quotes") : body;
        if (items == null || !items.isArray()) {
            send(ex, 400, error("the body must be {\"quotes\": [...]} or an array of quote requests"));
            return;
        }
        if (items.size() > BATCH_MAX) {
            send(ex, 400, error("at most " + BATCH_MAX + " requests per batch: count=" + items.size()));
            return;
        }
        ArrayNode results = JSON.createArrayNode();
        for (int i = 0; i < items.size(); i++) {
            QuoteEndpoint.Answer a = batchItem(items.get(i), i, v);
            ObjectNode r = results.addObject().put("status", a.status());
            r.setAll(a.body());
            metrics.batchQuotes.increment();
        }
        ObjectNode n = JSON.createObjectNode().put("block_number", v.blockNumber()).put("block_hash", v.blockHash().toString());
        n.put("count", results.size());
        n.set("results", results);
        send(ex, 200, n);
    }

    private QuoteEndpoint.Answer batchItem(JsonNode item, int index, ArenaView v) {
        if (item == null || !item.isObject()) {
            return new QuoteEndpoint.Answer(400, error("request " + index + " is not an object"));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Entry<String, JsonNode> f : item.properties()) {
            if (!f.getValue().isValueNode() || f.getValue().isNull()) {
                return new QuoteEndpoint.Answer(400, error("request " + index + ": field " + f.getKey() + " must be a string, number or boolean"));
            }
            fields.put(f.getKey(), f.getValue().asText());
        }
        QueryString q = QueryString.of(fields);
        if (q.has("pool") == q.has("token_in")) {
            return new QuoteEndpoint.Answer(400, error("request " + index + ": give pool (a pool quote) or token_in and token_out (a route)"));
        }
        if (q.has("token_in")) {
            return routes.answer(v, q);
        }
        PoolId id;
        try {
            id = PoolId.parse(q.get("pool"));
        } catch (IllegalArgumentException e) {
            return new QuoteEndpoint.Answer(400, error("request " + index + ": " + e.getMessage()));
        }
        PoolSnapshot p = v.pools().get(id);
        if (p == null) {
            String why = v.notServed().get(id);
            return why != null ? new QuoteEndpoint.Answer(503, error("pool not served at block " + v.blockNumber() + ": id=" + id + " reason=" + why))
                    : new QuoteEndpoint.Answer(404, error("unknown pool: id=" + id));
        }
        Map<String, String> rest = new LinkedHashMap<>(fields);
        rest.remove("pool");
        QuoteEndpoint.Answer a = quotes.answer(p, v, QueryString.of(rest));
        return new QuoteEndpoint.Answer(a.status(), a.body().put("pool", id.toString()));
    }

    /** The view at {@code ?block=N}, or null after answering why there is none (400, 404 or 410). */
    private ArenaView atBlock(HttpExchange ex, ArenaView tip, String text, PoolId id) throws IOException {
        long n;
        try {
            n = Long.parseLong(text);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0) {
            send(ex, 400, error("block must be a block number (a non-negative decimal integer): block=" + text));
            return null;
        }
        if (history == null) {
            send(ex, 400, error("this server keeps no history: block=" + n + " tip=" + tip.blockNumber()));
            return null;
        }
        return switch (history.at(n)) {
            case ViewHistory.Lookup.Found f -> f.view();
            case ViewHistory.Lookup.Gone g -> {
                metrics.historyGone.increment();
                send(ex, 410, error("block is no longer in the journal: block=" + n + " oldest=" + g.oldest() + " tip=" + tip.blockNumber()
                        + " id=" + id).put("block", n).put("oldest_block", g.oldest()));
                yield null;
            }
            case ViewHistory.Lookup.Future f -> {
                send(ex, 404, error("block not applied yet: block=" + n + " tip=" + f.tip() + " id=" + id).put("block", n));
                yield null;
            }
        };
    }

    private static ObjectNode status(ArenaView v, ChainWatch.Freshness f, String chain) {
        ObjectNode n = JSON.createObjectNode();
        if (chain != null) {
            n.put("chain", chain);
        }
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
