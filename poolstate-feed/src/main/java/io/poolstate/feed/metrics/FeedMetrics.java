package io.poolstate.feed.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.poolstate.dex.event.EventKind;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The feed's Prometheus metrics (names prefixed {@code poolstate_feed_}) and, optionally, the HTTP endpoint
 * serving them at {@code /metrics}. Thread-safe.
 */
public final class FeedMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    public final AtomicLong headBlock = gauge("poolstate_feed_head_block", "Newest head the node announced");
    public final AtomicLong lastSentBlock = gauge("poolstate_feed_last_sent_block", "Newest block sent to consumers");
    public final AtomicLong pendingWhitelistUpdates = gauge("poolstate_feed_whitelist_pending_updates", "Whitelist updates waiting for a block boundary");
    public final AtomicLong largestPendingQueue = gauge("poolstate_feed_whitelist_largest_pending_queue", "Most whitelist updates ever waiting at once");
    public final AtomicLong consumersConnected = gauge("poolstate_feed_consumers_connected", "Consumers on the socket");
    private final Map<String, AtomicLong> whitelistSize = new ConcurrentHashMap<>();
    private final Map<EventKind, Counter> events = new EnumMap<>(EventKind.class);
    public final Counter reorgs;
    public final DistributionSummary reorgDepth;
    public final Counter whitelistUpdatesApplied;
    public final Counter poolsAdded;
    public final Counter poolsRemoved;
    public final Counter consumersDropped;
    public final Counter rescrapes;
    public final Timer whitelistLatency;
    private HttpServer http;

    public FeedMetrics() {
        registry.gauge("poolstate_feed_blocks_behind_head", this, m -> Math.max(0, m.headBlock.get() - m.lastSentBlock.get()));
        for (EventKind k : EventKind.values()) {
            events.put(k, Counter.builder("poolstate_feed_events").tag("kind", k.name().toLowerCase()).description("Pool events sent").register(registry));
        }
        reorgs = Counter.builder("poolstate_feed_reorgs").description("Chain reorganisations handled").register(registry);
        reorgDepth = DistributionSummary.builder("poolstate_feed_reorg_depth").description("Blocks reverted per reorg").register(registry);
        whitelistUpdatesApplied = Counter.builder("poolstate_feed_whitelist_updates_applied").register(registry);
        poolsAdded = Counter.builder("poolstate_feed_whitelist_pools_added").register(registry);
        poolsRemoved = Counter.builder("poolstate_feed_whitelist_pools_removed").register(registry);
        consumersDropped = Counter.builder("poolstate_feed_consumers_dropped").description("Consumers dropped (slow, broken)").register(registry);
        rescrapes = Counter.builder("poolstate_feed_rescrape_frames").description("Reorgs deeper than the kept history").register(registry);
        whitelistLatency = Timer.builder("poolstate_feed_whitelist_update_latency").description("NATS message to application")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    private AtomicLong gauge(String name, String help) {
        AtomicLong v = new AtomicLong();
        io.micrometer.core.instrument.Gauge.builder(name, v, AtomicLong::get).description(help).register(registry);
        return v;
    }

    public void event(EventKind k) {
        events.get(k).increment();
    }

    /** Counts a rejected input ({@code source}: log, nats, frame) with its reason class. */
    public void malformed(String source) {
        Counter.builder("poolstate_feed_malformed_inputs").tag("source", source).register(registry).increment();
    }

    public void whitelistSize(Map<String, Integer> byProtocol) {
        byProtocol.forEach((p, n) -> whitelistSize.computeIfAbsent(p, k -> {
            AtomicLong v = new AtomicLong();
            io.micrometer.core.instrument.Gauge.builder("poolstate_feed_whitelist_size", v, AtomicLong::get).tag("protocol", k).register(registry);
            return v;
        }).set(n));
        whitelistSize.forEach((p, v) -> {
            if (!byProtocol.containsKey(p)) {
                v.set(0);
            }
        });
    }

    public void whitelistLatency(long nanos) {
        whitelistLatency.record(Duration.ofNanos(nanos));
    }

    public String scrape() {
        return registry.scrape();
    }

    /** Serves {@code /metrics} on {@code host:port}. */
    public FeedMetrics serve(String host, int port) throws IOException {
        http = HttpServer.create(new InetSocketAddress(host, port), 0);
        http.createContext("/metrics", ex -> {
            byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        http.start();
        return this;
    }

    public InetSocketAddress address() {
        return http == null ? null : http.getAddress();
    }

    @Override
    public void close() {
        if (http != null) {
            http.stop(0);
        }
    }
}
