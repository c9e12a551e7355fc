package io.poolstate.whitelist;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The whitelist's Prometheus metrics ({@code poolstate_whitelist_}). Thread-safe. */
public final class WhitelistMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    public final Counter poolsDiscovered = Counter.builder("poolstate_whitelist_pools_discovered").register(registry);
    public final Counter poolsKept = Counter.builder("poolstate_whitelist_pools_kept").register(registry);
    public final Counter poolsDropped = Counter.builder("poolstate_whitelist_pools_dropped").register(registry);
    public final Counter publishFailures = Counter.builder("poolstate_whitelist_publish_failures").register(registry);
    private final DistributionSummary minimalBytes = DistributionSummary.builder("poolstate_whitelist_message_bytes").tag("format", "minimal").register(registry);
    private final DistributionSummary fullBytes = DistributionSummary.builder("poolstate_whitelist_message_bytes").tag("format", "full").register(registry);
    private final DistributionSummary minimalParts = DistributionSummary.builder("poolstate_whitelist_message_parts").tag("format", "minimal").register(registry);
    private final DistributionSummary fullParts = DistributionSummary.builder("poolstate_whitelist_message_parts").tag("format", "full").register(registry);
    public final Counter runFailures = Counter.builder("poolstate_whitelist_run_failures").description("Runs that failed (lock lost, node, database)")
            .register(registry);
    private final AtomicLong lastSuccess = registry.gauge("poolstate_whitelist_last_success_timestamp_seconds", new AtomicLong());
    private final AtomicLong listSize = registry.gauge("poolstate_whitelist_pools", new AtomicLong(-1));

    public void stage(String stage, long millis) {
        Timer.builder("poolstate_whitelist_stage_duration").tag("stage", stage).register(registry).record(Duration.ofMillis(millis));
    }

    public void tokens(String source, int n) {
        DistributionSummary.builder("poolstate_whitelist_tokens").tag("source", source).register(registry).record(n);
    }

    public void sourceSkips(String source, int n) {
        Counter.builder("poolstate_whitelist_source_skipped_entries").tag("source", source).register(registry).increment(n);
    }

    public void sourceFailures(String source) {
        Counter.builder("poolstate_whitelist_source_failures").tag("source", source).register(registry).increment();
    }

    public void updates(String type) {
        Counter.builder("poolstate_whitelist_updates").tag("type", type).register(registry).increment();
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

    public String scrape() {
        return registry.scrape();
    }
}
