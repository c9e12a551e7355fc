package io.poolstate.arena;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/** The arena's Prometheus metrics ({@code poolstate_arena_}). Thread-safe. */
public final class ArenaMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    public final AtomicLong appliedBlock = gauge("poolstate_arena_applied_block", "Block the served state ends at");
    public final AtomicLong mode = gauge("poolstate_arena_mode", "0 buffering, 1 scraping, 2 replaying, 3 live");
    public final AtomicLong bufferedBlocks = gauge("poolstate_arena_buffered_blocks", "Feed blocks waiting to be applied");
    public final AtomicLong pools = gauge("poolstate_arena_pools", "Pools served");
    public final AtomicLong poolsForwarded = gauge("poolstate_arena_pools_forwarded", "Pools the feed forwards (its announced pool set)");
    public final AtomicLong poolsNotServed = gauge("poolstate_arena_pools_not_served",
            "Forwarded pools not served: no metadata, a failed read, or waiting to be read");
    public final AtomicLong stale = gauge("poolstate_arena_stale", "1 while the served block lags the chain and has stopped advancing");
    public final Counter blocksApplied = Counter.builder("poolstate_arena_blocks_applied").register(registry);
    public final Counter blocksReverted = Counter.builder("poolstate_arena_blocks_reverted").register(registry);
    public final Counter eventsApplied = Counter.builder("poolstate_arena_events_applied").register(registry);
    public final Counter rescrapes = Counter.builder("poolstate_arena_rescrapes").description("Start-ups and full rescrapes").register(registry);
    public final Counter bufferOverflows = Counter.builder("poolstate_arena_buffer_overflows").register(registry);
    public final Counter scrapeFailures = Counter.builder("poolstate_arena_scrape_failures").description("Pools that could not be read").register(registry);
    public final Counter selfCheckDifferences = Counter.builder("poolstate_arena_self_check_differences").register(registry);
    public final Counter selfCheckedPools = Counter.builder("poolstate_arena_self_checked_pools").register(registry);
    public final Timer scrapeDuration = Timer.builder("poolstate_arena_scrape_duration").publishPercentiles(0.5, 0.99).register(registry);
    public final Timer blockApply = Timer.builder("poolstate_arena_block_apply").description("Applying one block and publishing the view (writer thread;"
            + " its updates were decoded before, on the feed client thread: poolstate_arena_block_decode)").publishPercentiles(0.5, 0.99).register(registry);
    public final Timer blockDecode = Timer.builder("poolstate_arena_block_decode").description("Decoding left to do when a committed block's EndBlock"
            + " arrives (feed client thread; its updates are decoded as they arrive), before the writer applies it").publishPercentiles(0.5, 0.99)
            .register(registry);
    public final Timer checkpointWrite = Timer.builder("poolstate_arena_checkpoint_write").description("Writing one checkpoint (off the apply path)")
            .publishPercentiles(0.5, 0.99).register(registry);
    public final AtomicLong checkpointBytes = gauge("poolstate_arena_checkpoint_bytes", "Size of the last checkpoint written");
    public final AtomicLong checkpointBlock = gauge("poolstate_arena_checkpoint_block", "Block of the last checkpoint written");
    public final Counter checkpointFailures = Counter.builder("poolstate_arena_checkpoint_failures").description("Checkpoint writes that failed")
            .register(registry);
    public final Counter httpRequests = Counter.builder("poolstate_arena_http_requests").register(registry);
    public final Counter threadFailures = Counter.builder("poolstate_arena_thread_failures").description("Unexpected failures caught on the writer thread")
            .register(registry);
    public final Counter feedDisconnects = Counter.builder("poolstate_arena_feed_disconnects").description("Feed connections lost (then resumed)")
            .register(registry);
    public final Counter warmUpFailures = Counter.builder("poolstate_arena_warm_up_failures")
            .description("Start-up warm-ups that failed: a synthetic block refused, a state other than its events say, or any other error").register(registry);
    public final AtomicLong warmUpMillis = gauge("poolstate_arena_warm_up_millis", "How long the start-up warm-up took, once done (0 before, or when off)");
    public final Counter poolSetChanges = Counter.builder("poolstate_arena_pool_set_changes").description("Pool-set frames from the feed applied")
            .register(registry);

    public final Counter lpFeeReads = Counter.builder("poolstate_arena_lp_fee_reads")
            .description("Re-reads of the dynamic-fee pools' LP fees (one request per applied block that has such pools)").register(registry);
    public final Counter lpFeeChanges = Counter.builder("poolstate_arena_lp_fee_changes").description("Dynamic LP fees that changed at a block")
            .register(registry);
    public final Counter lpFeeReadFailures = Counter.builder("poolstate_arena_lp_fee_read_failures")
            .description("LP fee re-reads that failed (the pools left the served set until read again)").register(registry);
    public final Counter arenaFileBlocks = Counter.builder("poolstate_arena_file_blocks_written")
            .description("Blocks written into the memory-mapped arena file (--mmap)").register(registry);
    public final Counter arenaFileRecords = Counter.builder("poolstate_arena_file_records_written")
            .description("Pool records rewritten in the arena file (only pools that changed at a block)").register(registry);
    public final Counter arenaFileFailures = Counter.builder("poolstate_arena_file_failures")
            .description("Arena file writes that failed (the file was then closed at its last block)").register(registry);
    public final AtomicLong arenaFileGeneration = gauge("poolstate_arena_file_generation", "Generation of the arena file (grows when it is replaced by a larger one)");

    public final Counter historyGone = Counter.builder("poolstate_arena_history_gone")
            .description("Requests for a block no longer in the journal (answered 410)").register(registry);
    public final AtomicLong streamClients = gauge("poolstate_arena_stream_clients", "Stream subscribers connected (WebSocket and SSE)");
    public final Counter streamMessages = Counter.builder("poolstate_arena_stream_messages").description("Stream messages queued to subscribers")
            .register(registry);
    public final Counter streamDropped = Counter.builder("poolstate_arena_stream_dropped")
            .description("Stream subscribers dropped because their queue was full (too slow)").register(registry);
    public final Counter streamResumes = Counter.builder("poolstate_arena_stream_resumes").tag("result", "resumed")
            .description("Stream subscriptions that resumed from a block in the journal").register(registry);
    public final Counter streamResumesRefused = Counter.builder("poolstate_arena_stream_resumes").tag("result", "refused")
            .description("Stream resumes from a position no longer kept (answered with a fresh snapshot)").register(registry);
    public final Counter quotesNative = quotes("native", "Quotes answered by the pool math");
    public final Counter quotesNode = quotes("node", "Quotes answered by V4Quoter on the node (simulate=node)");
    public final Counter quotesRefused = quotes("refused", "Quotes refused: the pool's hook can change a swap's amounts");

    public final Counter routesFound = Counter.builder("poolstate_arena_routes").tag("result", "found").description("Route requests answered with a route")
            .register(registry);
    public final Counter routesNone = Counter.builder("poolstate_arena_routes").tag("result", "none")
            .description("Route requests no route could carry (or a token no routable pool trades)").register(registry);
    public final Timer routeSearch = Timer.builder("poolstate_arena_route_search").description("One route search (graph built, without the answer's encoding)")
            .publishPercentiles(0.5, 0.99).register(registry);
    public final Counter batchQuotes = Counter.builder("poolstate_arena_batch_quotes").description("Requests answered inside POST /v1/quotes")
            .register(registry);

    private Counter quotes(String source, String help) {
        return Counter.builder("poolstate_arena_quotes").tag("source", source).description(help).register(registry);
    }

    /** Counts what the pool catalog refused (unusable metadata, unreadable messages), read when scraped. */
    public void catalog(PoolCatalog catalog) {
        Gauge.builder("poolstate_arena_metadata_refused", catalog, PoolCatalog::refused)
                .description("Pool metadata and whitelist messages the catalog refused since start").register(registry);
        Gauge.builder("poolstate_arena_whitelist_held", catalog, c -> c.held() == null ? 0 : 1)
                .description("1 while a drastic change of the published pool list is held").register(registry);
    }

    private AtomicLong gauge(String name, String help) {
        AtomicLong v = new AtomicLong();
        Gauge.builder(name, v, AtomicLong::get).description(help).register(registry);
        return v;
    }

    public String scrape() {
        return registry.scrape();
    }
}
