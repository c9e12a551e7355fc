package io.poolstate.dex.scrape;

/**
 * How the scraper batches and reads: calls per Multicall3 {@code aggregate3}, multicalls per JSON-RPC batch request,
 * requests in flight at once, storage slots per V4 {@code extsload(bytes32[])} call, how storage is read
 * ({@link StorageReads}), and the gas limit set on each storage-lens {@code eth_call} (its reads are packed to at most
 * 80% of it; keep it at or below the node's call gas cap, 50 million on geth by default).
 */
public record ScrapeSettings(int callsPerMulticall, int multicallsPerRequest, int concurrency, int slotsPerExtsload, StorageReads storageReads,
                             long lensGas) {
    /** Gas per lens call by default: geth's default {@code eth_call} cap. */
    public static final long DEFAULT_LENS_GAS = 50_000_000L;
    /**
     * 500 calls per multicall, 2 multicalls per request, 2 requests in flight (the fastest of 1, 2, 4 and 8 for a
     * mixed 2,001-pool scrape through the lens in docs/BENCHMARKS.md, "Cold start on the 10,000-pool devnet"), 1,000
     * slots per {@code extsload}, {@code auto}, 50 million gas per lens call; the system property {@code poolstate.storage-reads} ({@code auto|lens|calls})
     * changes the default storage reads, so a test suite can be run through either path.
     */
    public static final ScrapeSettings DEFAULT = new ScrapeSettings(500, 2, 2, 1000,
            StorageReads.parse(System.getProperty("poolstate.storage-reads", "auto")), DEFAULT_LENS_GAS);

    public ScrapeSettings {
        if (callsPerMulticall < 1 || multicallsPerRequest < 1 || concurrency < 1 || slotsPerExtsload < 1) {
            throw new IllegalArgumentException("scrape settings must be >= 1: " + this);
        }
        if (storageReads == null) {
            throw new IllegalArgumentException("storage reads must be set: " + this);
        }
        if (lensGas < 2_000_000) {
            throw new IllegalArgumentException("lens gas must be >= 2,000,000: lens_gas=" + lensGas);
        }
    }

    /** Batching as given; storage read as {@link #DEFAULT} reads it. */
    public ScrapeSettings(int callsPerMulticall, int multicallsPerRequest, int concurrency, int slotsPerExtsload) {
        this(callsPerMulticall, multicallsPerRequest, concurrency, slotsPerExtsload, DEFAULT.storageReads(), DEFAULT.lensGas());
    }

    public ScrapeSettings withStorageReads(StorageReads reads) {
        return new ScrapeSettings(callsPerMulticall, multicallsPerRequest, concurrency, slotsPerExtsload, reads, lensGas);
    }

    public ScrapeSettings withConcurrency(int n) {
        return new ScrapeSettings(callsPerMulticall, multicallsPerRequest, n, slotsPerExtsload, storageReads, lensGas);
    }

    /** The gas a lens call's reads may use: 80% of {@link #lensGas}, the rest a margin for Multicall3 and the estimate. */
    public long lensBudget() {
        return lensGas / 5 * 4;
    }
}
