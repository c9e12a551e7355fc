package io.poolstate.whales.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.poolstate.http.ApiServer;
import io.poolstate.http.BadRequestException;
import io.poolstate.http.QueryString;
import io.poolstate.whales.analysis.Window;
import io.poolstate.whales.analysis.WindowMetrics;
import io.poolstate.whales.store.StoredSnapshot;
import io.poolstate.whales.store.WhaleStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whale tracker's HTTP API, read from the stored snapshots (each answer from committed rows only):
 * <ul>
 *   <li>{@code GET /v1/whales}: the latest complete snapshot, its metrics per window, entries and exits;</li>
 *   <li>{@code GET /v1/whales/top?limit=N}: its list with balances (base units, decimal strings), by rank;</li>
 *   <li>{@code GET /v1/whales/snapshots?limit=N}: recent snapshots, complete or not, with reasons;</li>
 *   <li>{@code GET /v1/whales/chart.svg?windows=1h,24h,7d&points=N}: the score over time (the dashboard);</li>
 *   <li>{@code GET /metrics}: Prometheus text.</li>
 * </ul>
 * Nothing yet: 404; bad parameters or a malformed request: 400; database unreachable: 503 — each with a JSON error.
 * Served by an {@link ApiServer} (process-wide time-outs and connection limit, handlers on virtual threads).
 */
public final class WhaleHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WhaleHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WhaleStore store;
    private final Supplier<String> metrics;
    private final String windows;
    private final String host;
    private final int port;
    private ApiServer server;

    /** @param windows the charted windows when the request names none, e.g. {@code 1h,24h,7d} */
    public WhaleHttpServer(String host, int port, WhaleStore store, Supplier<String> metrics, String windows) throws IOException {
        this.store = store;
        this.metrics = metrics;
        this.windows = windows;
        this.host = host;
        this.port = port;
    }

    public WhaleHttpServer start() throws IOException {
        server = ApiServer.start(host, port, this::route);
        return this;
    }

    public InetSocketAddress address() {
        return server.address();
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        QueryString q = QueryString.parse(ex.getRequestURI().getRawQuery());
        try {
            switch (path) {
                case "/v1/whales" -> latest(ex);
                case "/v1/whales/top" -> top(ex, q.intParam("limit", 100, 1, 100_000));
                case "/v1/whales/snapshots" -> snapshots(ex, q.intParam("limit", 20, 1, 1000));
                case "/v1/whales/chart.svg" -> chart(ex, q);
                case "/metrics" -> ApiServer.text(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get());
                default -> send(ex, 404, error("no such endpoint: " + path));
            }
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        } catch (SQLException e) {
            LOG.warn("whale API: database error: path={} error={}", path, e.getMessage());
            send(ex, 503, error("database unavailable: " + e.getMessage()));
        }
    }

    private void latest(HttpExchange ex) throws IOException, SQLException {
        var latest = store.latestComplete();
        if (latest.isEmpty()) {
            send(ex, 404, error("no complete snapshot yet for asset " + store.asset()));
            return;
        }
        StoredSnapshot s = latest.get();
        ObjectNode n = JSON.createObjectNode().put("asset", store.asset());
        n.set("snapshot", snapshot(s));
        ArrayNode ws = n.putArray("windows");
        for (WindowMetrics m : store.metrics(s.id())) {
            ws.addObject().put("window", m.window().name()).put("window_seconds", m.window().length().toSeconds())
                    .put("baseline_snapshot_id", m.baselineSnapshotId()).put("span_seconds", m.spanSeconds())
                    .put("group_holdings", m.groupHoldings().toString()).put("baseline_holdings", m.baselineHoldings().toString())
                    .put("net_change", m.netChange().toString()).put("common_net_change", m.commonNetChange().toString())
                    .put("accumulating", m.accumulating()).put("distributing", m.distributing()).put("unchanged", m.unchanged())
                    .put("entries", m.entries()).put("exits", m.exits()).put("score", m.score());
        }
        ArrayNode changes = n.putArray("list_changes");
        for (var c : store.listChanges(s.id())) {
            ObjectNode o = changes.addObject().put("address", c.address().toString()).put("change", c.change());
            if (c.rank() != null) {
                o.put("rank", c.rank());
            }
        }
        send(ex, 200, n);
    }

    private void top(HttpExchange ex, int limit) throws IOException, SQLException {
        var latest = store.latestComplete();
        if (latest.isEmpty()) {
            send(ex, 404, error("no complete snapshot yet for asset " + store.asset()));
            return;
        }
        ObjectNode n = JSON.createObjectNode().put("asset", store.asset()).put("snapshot_id", latest.get().id())
                .put("block_number", latest.get().blockNumber());
        ArrayNode list = n.putArray("whales");
        store.balances(latest.get().id()).stream().limit(limit).forEach(b -> list.addObject().put("rank", b.rank())
                .put("address", b.address().toString()).put("asset_balance", b.asset().toString()).put("eth_balance", b.eth().toString()));
        send(ex, 200, n);
    }

    private void snapshots(HttpExchange ex, int limit) throws IOException, SQLException {
        ObjectNode n = JSON.createObjectNode().put("asset", store.asset());
        ArrayNode list = n.putArray("snapshots");
        for (StoredSnapshot s : store.snapshots(limit)) {
            list.add(snapshot(s));
        }
        send(ex, 200, n);
    }

    private void chart(HttpExchange ex, QueryString q) throws IOException, SQLException {
        int points = q.intParam("points", 500, 1, 10_000);
        ScoreChart c = new ScoreChart();
        for (Window w : Window.parseList(q.getOrDefault("windows", windows))) {
            c.add(w.name(), store.scoreHistory(w.name(), points));
        }
        ApiServer.text(ex, 200, "image/svg+xml", c.svg());
    }

    private static ObjectNode snapshot(StoredSnapshot s) {
        ObjectNode n = JSON.createObjectNode().put("id", s.id()).put("status", s.status()).put("slot_start", s.slotStart().toString())
                .put("taken_at", s.takenAt().toString()).put("addresses", s.addressCount()).put("rpc_calls", s.rpcCalls()).put("rpc_requests", s.rpcRequests())
                .put("duration_ms", s.durationMillis());
        if (s.blockNumber() != null) {
            n.put("block_number", s.blockNumber()).put("block_hash", s.blockHash());
        }
        if (s.blockTime() != null) {
            n.put("block_time", s.blockTime().toString());
        }
        if (s.reason() != null) {
            n.put("reason", s.reason());
        }
        return n;
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
