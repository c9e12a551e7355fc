package io.poolstate.whales;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.poolstate.eth.rpc.JsonRpcClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The whale tracker's Prometheus metrics ({@code poolstate_whales_}). Thread-safe. */
public final class WhaleMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer duration = Timer.builder("poolstate_whales_snapshot_duration").register(registry);
    private final AtomicInteger addresses = registry.gauge("poolstate_whales_snapshot_addresses", new AtomicInteger());
    private final Counter rpcCalls = Counter.builder("poolstate_whales_rpc_calls").description("JSON-RPC calls sent for snapshots").register(registry);
    private final Counter rpcRequests = Counter.builder("poolstate_whales_rpc_requests").description("HTTP requests those calls went out in")
            .register(registry);
    private final Counter transfers = Counter.builder("poolstate_whales_transfers_indexed").register(registry);

    public void snapshot(String outcome, long millis, int addressCount, JsonRpcClient.Traffic sent) {
        Counter.builder("poolstate_whales_snapshots").tag("outcome", outcome).register(registry).increment();
        duration.record(Duration.ofMillis(millis));
        addresses.set(addressCount);
        rpcCalls.increment(sent.calls());
        rpcRequests.increment(sent.requests());
    }

    public void failure(String stage) {
        Counter.builder("poolstate_whales_failures").tag("stage", stage).register(registry).increment();
    }

    public void transfersIndexed(long n) {
        transfers.increment(n);
    }

    public String scrape() {
        return registry.scrape();
    }

}
