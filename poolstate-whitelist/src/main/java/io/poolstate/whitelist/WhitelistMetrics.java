package io.poolstate.whitelist;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whitelist's Prometheus metrics ({@code poolstate_whitelist_}) for one chain. Several chains served by one
 * process share one registry, each chain's series labelled {@code chain="<name>"}. Thread-safe.
 */
public final class WhitelistMetrics {
    private final PrometheusMeterRegistry registry;
    private final Tags tags;
    public final Counter poolsDiscovered;
    public final Counter poolsKept;
    public final Counter poolsDropped;
    public final Counter publishFailures;
    private final DistributionSummary minimalBytes;
    private final DistributionSummary fullBytes;
    private final DistributionSummary minimalParts;
    private final DistributionSummary fullParts;
    public final Counter runFailures;
    private final AtomicLong lastSuccess;
    private final AtomicLong listSize;

    /** A registry of its own, series without a chain label (one chain per registry: tools and tests). */
    public WhitelistMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Tags.empty());
    }

    /** The series of chain {@code chain} in {@code registry}, which other chains' metrics may share. */
    public WhitelistMetrics(PrometheusMeterRegistry registry, String chain) {
        this(registry, Tags.of("chain", chain));
    }

    private WhitelistMetrics(PrometheusMeterRegistry registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
        poolsDiscovered = Counter.builder("poolstate_whitelist_pools_discovered").tags(tags).register(registry);
        poolsKept = Counter.builder("poolstate_whitelist_pools_kept").tags(tags).register(registry);
        poolsDropped = Counter.builder("poolstate_whitelist_pools_dropped").tags(tags).register(registry);
        publishFailures = Counter.builder("poolstate_whitelist_publish_failures").tags(tags).register(registry);
        minimalBytes = DistributionSummary.builder("poolstate_whitelist_message_bytes").tags(tags).tag("format", "minimal").register(registry);
        fullBytes = DistributionSummary.builder("poolstate_whitelist_message_bytes").tags(tags).tag("format", "full").register(registry);
        minimalParts = DistributionSummary.builder("poolstate_whitelist_message_parts").tags(tags).tag("format", "minimal").register(registry);
        fullParts = DistributionSummary.builder("poolstate_whitelist_message_parts").tags(tags).tag("format", "full").register(registry);
        runFailures = Counter.builder("poolstate_whitelist_run_failures").description("Runs that failed (lock lost, node, database)").tags(tags)
                .register(registry);
        lastSuccess = registry.gauge("poolstate_whitelist_last_success_timestamp_seconds", tags, new AtomicLong());
        listSize = registry.gauge("poolstate_whitelist_pools", tags, new AtomicLong(-1));
    }

    public void stage(String stage, long millis) {
        Timer.builder("poolstate_whitelist_stage_duration").tags(tags).tag("stage", stage).register(registry).record(Duration.ofMillis(millis));
    }

    public void tokens(String source, int n) {
        DistributionSummary.builder("poolstate_whitelist_tokens").tags(tags).tag("source", source).register(registry).record(n);
    }

    public void sourceSkips(String source, int n) {
        Counter.builder("poolstate_whitelist_source_skipped_entries").tags(tags).tag("source", source).register(registry).increment(n);
    }

    public void sourceFailures(String source) {
        Counter.builder("poolstate_whitelist_source_failures").tags(tags).tag("source", source).register(registry).increment();
    }

    public void updates(String type) {
        Counter.builder("poolstate_whitelist_updates").tags(tags).tag("type", type).register(registry).increment();
    }

    /** Bytes and messages one published update took, per format. */
    public void messageBytes(io.poolstate.whitelist.publish.WhitelistPublisher.Sent sent) {
        minimalBytes.record(sent.minimalBytes());
        fullBytes.record(sent.fullBytes());
        minimalParts.record(sent.minimalParts());
        fullParts.record(sent.fullParts());
    }

    /** A run finished, leaving {@code pools} in the published list. */
    public void runSucceeded(int pools) {
        lastSuccess.set(System.currentTimeMillis() / 1000);
        listSize.set(pools);
    }

    /** The whole registry's Prometheus text: every chain sharing it. */
    public String scrape() {
        return registry.scrape();
    }
}
