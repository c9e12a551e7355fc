package io.poolstate.dex.scrape;

/**
 * How the scraper batches: calls per Multicall3 {@code aggregate3}, multicalls per JSON-RPC batch request,
 * requests in flight at once, and storage slots per V4 {@code extsload(bytes32[])} call.
 */
public record ScrapeSettings(int callsPerMulticall, int multicallsPerRequest, int concurrency, int slotsPerExtsload) {
    public static final ScrapeSettings DEFAULT = new ScrapeSettings(500, 2, 4, 1000);

    public ScrapeSettings {
        if (callsPerMulticall < 1 || multicallsPerRequest < 1 || concurrency < 1 || slotsPerExtsload < 1) {
            throw new IllegalArgumentException("scrape settings must be >= 1: " + this);
        }
    }
}
