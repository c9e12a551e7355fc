package io.poolstate.feed.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.poolstate.dex.event.EventKind;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The feed's Prometheus metrics (names prefixed {@code poolstate_feed_}); {@link #scrape()} gives the text the
 * launcher serves at {@code /metrics}. Thread-safe.
 */
public final class FeedMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    public final AtomicLong headBlock = gauge("poolstate_feed_head_block", "Newest head the node announced");
    public final AtomicLong lastSentBlock = gauge("poolstate_feed_last_sent_block", "Newest block sent to consumers");
    public final AtomicLong pendingWhitelistUpdates = gauge("poolstate_feed_whitelist_pending_updates", "Whitelist updates waiting for a block boundary");
    public final AtomicLong largestPendingQueue = gauge("poolstate_feed_whitelist_largest_pending_queue", "Most whitelist updates ever waiting at once");
    public final AtomicLong consumersConnected = gauge("poolstate_feed_consumers_connected", "Consumers on the socket");
    public final AtomicLong whitelistHeld = gauge("poolstate_feed_whitelist_held",
            "1 while a whitelist change is held (empty or drastically shrunken list): the list in force stays");
    public final AtomicLong whitelistRejected = gauge("poolstate_feed_whitelist_rejected_messages", "Whitelist messages rejected since start");
    public final AtomicLong streamActive = gauge("poolstate_feed_stream_active",
            "1 while this feed holds the chain's lease and publishes the JetStream block stream, 0 while it follows");
    public final AtomicLong streamLastSeq = gauge("poolstate_feed_stream_last_seq", "Stream sequence of the last message this feed published");
    private final Map<String, AtomicLong> whitelistSize = new ConcurrentHashMap<>();
    private final Map<EventKind, Counter> events = new EnumMap<>(EventKind.class);
    public final Counter reorgs;
    public final DistributionSummary reorgDepth;
    public final Counter whitelistUpdatesApplied;
    public final Counter poolsAdded;
    public final Counter poolsRemoved;
    public final Counter consumersDropped;
    public final Counter rescrapes;
    public final Counter logRefetches;
    public final Timer whitelistLatency;
    public final Counter streamMessages;
    public final Counter streamTakeovers;
    public final Counter streamReverts;

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
        logRefetches = Counter.builder("poolstate_feed_log_refetches").description("eth_getLogs asked again: the bloom named a pool the answer lacked")
                .register(registry);
        rescrapes = Counter.builder("poolstate_feed_rescrape_frames").description("Reorgs deeper than the kept history").register(registry);
        streamMessages = Counter.builder("poolstate_feed_stream_messages").description("Block messages published to the JetStream stream")
                .register(registry);
        streamTakeovers = Counter.builder("poolstate_feed_stream_takeovers").description("Times this feed took the lease and continued the stream")
                .register(registry);
        streamReverts = Counter.builder("poolstate_feed_stream_reverts").description("Stream blocks reverted by this feed").register(registry);
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

    /** Counts a failure that ended or restarted one of the feed's threads ({@code thread}: its role). */
    public void threadFailure(String thread) {
        Counter.builder("poolstate_feed_thread_failures").tag("thread", thread).description("Unexpected failures caught on a feed thread")
                .register(registry).increment();
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
}
