package io.poolstate.app.arena;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaView;
import io.poolstate.arena.ChainWatch;
import io.poolstate.http.ApiServer;
import io.poolstate.http.QueryString;
import io.poolstate.whales.analysis.Window;
import io.poolstate.whales.report.ScoreChart;
import io.poolstate.whales.store.WhaleStore;
import io.poolstate.whitelist.store.WhitelistStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's dashboard, served by the arena: {@code /dashboard} is one page (no outside scripts) that refreshes
 * every second from {@code /v1/dashboard} and the API's {@code /v1/pools}: status and freshness, the pools with
 * their live state, per-block figures (blocks behind the chain, apply time), self-check results, the whitelist's
 * changes with their reasons and the whale tracker's score chart ({@code /v1/dashboard/whales.svg}) when the
 * whitelist's and the tracker's tables are at hand ({@link Sources}). Reads immutable views only; thread-safe.
 */
public final class ArenaDashboard implements ApiServer.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(ArenaDashboard.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAGE = page();

    /** Where the history comes from: the whitelist's snapshots, the whale tracker's scores (either may be null). */
    public record Sources(WhitelistStore whitelist, WhaleStore whales, String whaleWindows) {
        public static final Sources NONE = new Sources(null, null, null);
    }

    private final String chain;
    private final Supplier<ArenaView> views;
    private final Supplier<ChainWatch.Freshness> freshness;
    private final ArenaMetrics metrics;
    private final Sources sources;

    /** {@code chain}: the chain's name (NATS subjects, tables), shown in the page's title beside the node's chain id. */
    public ArenaDashboard(String chain, Supplier<ArenaView> views, Supplier<ChainWatch.Freshness> freshness, ArenaMetrics metrics, Sources sources) {
        this.chain = chain;
        this.views = views;
        this.freshness = freshness;
        this.metrics = metrics;
        this.sources = sources;
    }

    @Override
    public void handle(HttpExchange ex) throws Exception {
        String path = ex.getRequestURI().getPath();
        switch (path) {
            case "/" -> {
                ex.getResponseHeaders().set("Location", "/dashboard");
                ex.sendResponseHeaders(302, -1);
            }
            case "/dashboard" -> {
                ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self'");
                ApiServer.text(ex, 200, "text/html; charset=utf-8", PAGE);
            }
            case "/v1/dashboard" -> ApiServer.json(ex, 200, data(QueryString.parse(ex.getRequestURI().getRawQuery()).intParam("changes", 10, 1, 200)));
            case "/v1/dashboard/whales.svg" -> whales(ex);
            default -> ApiServer.json(ex, 404, ApiServer.error("no such page: " + path));
        }
    }

    private ObjectNode data(int snapshots) {
        ArenaView v = views.get();
        ChainWatch.Freshness f = freshness.get();
        ObjectNode n = JSON.createObjectNode();
        ObjectNode status = n.putObject("status");
        status.put("chain", chain).put("chain_id", v.chainId()).put("mode", v.mode().wireName()).put("block_number", v.blockNumber())
                .put("block_hash", v.blockHash().toString()).put("stale", f.stale()).put("chain_head", f.chainHead())
                .put("blocks_behind", Math.max(0, f.chainHead() - v.blockNumber())).put("seconds_since_advance", f.secondsSinceAdvance())
                .put("pools", v.pools().size()).put("forwarded", v.forwarded()).put("not_served", v.notServed().size())
                .put("whitelist_snapshot_id", v.whitelistSnapshotId()).put("blocks_applied", v.blocksApplied()).put("events_applied", v.eventsApplied());
        if (f.reason() != null) {
            status.put("reason", f.reason());
        }
        ArrayNode notServed = n.putArray("not_served");
        v.notServed().forEach((id, why) -> notServed.addObject().put("id", id.toString()).put("reason", why));
        n.putObject("apply").put("blocks", metrics.blockApply.count()).put("mean_ms", metrics.blockApply.mean(TimeUnit.MILLISECONDS))
                .put("max_ms", metrics.blockApply.max(TimeUnit.MILLISECONDS));
        n.putObject("self_check").put("pools_checked", (long) metrics.selfCheckedPools.count())
                .put("differences", (long) metrics.selfCheckDifferences.count());
        n.putObject("restarts").put("rescrapes", (long) metrics.rescrapes.count()).put("feed_disconnects", (long) metrics.feedDisconnects.count())
                .put("scrape_failures", (long) metrics.scrapeFailures.count());
        ObjectNode wl = n.putObject("whitelist").put("configured", sources.whitelist() != null);
        if (sources.whitelist() != null) {
            try {
                ArrayNode list = wl.putArray("snapshots");
                for (WhitelistStore.History h : sources.whitelist().history(snapshots)) {
                    ObjectNode s = list.addObject().put("snapshot_id", h.snapshotId()).put("created_at", h.createdAt().toString())
                            .put("type", h.updateType()).put("status", h.status()).put("pools", h.poolCount());
                    ArrayNode changes = s.putArray("changes");
                    for (String[] c : h.changes()) {
                        changes.addObject().put("change", c[0]).put("pool", c[1]).put("reason", c[2]);
                    }
                }
            } catch (SQLException e) {
                LOG.warn("dashboard: whitelist history unavailable: {}", e.getMessage());
                wl.put("error", "database unavailable: " + e.getMessage());
            }
        }
        n.putObject("whales").put("configured", sources.whales() != null).put("asset", sources.whales() == null ? null : sources.whales().asset());
        return n;
    }

    private void whales(HttpExchange ex) throws IOException {
        if (sources.whales() == null) {
            ApiServer.json(ex, 404, ApiServer.error("no whale tracker tables configured (arena --dashboard-whale-token)"));
            return;
        }
        try {
            ScoreChart c = new ScoreChart();
            for (Window w : Window.parseList(sources.whaleWindows())) {
                c.add(w.name(), sources.whales().scoreHistory(w.name(), 200));
            }
            ApiServer.text(ex, 200, "image/svg+xml", c.svg());
        } catch (SQLException e) {
            ApiServer.json(ex, 503, ApiServer.error("database unavailable: " + e.getMessage()));
        }
    }

    private static String page() {
        try (InputStream in = ArenaDashboard.class.getResourceAsStream("dashboard.html")) {
            if (in == null) {
                throw new IllegalStateException("dashboard.html is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
