package io.poolstate.arena;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.state.PoolState;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.RpcException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares a sample of served pools with the chain at the tip (pinned by hash); a pool that differs is logged
 * with the fields, counted and replaced by its fresh read. Single writer: the arena's writer thread.
 */
final class SelfCheck {
    private static final Logger LOG = LoggerFactory.getLogger(SelfCheck.class);

    private final PoolScraper scraper;
    private final PoolCatalog catalog;
    private final ArenaMetrics metrics;
    private final int sample;
    private final SplittableRandom random = new SplittableRandom(1);

    SelfCheck(PoolScraper scraper, PoolCatalog catalog, ArenaMetrics metrics, int sample) {
        this.scraper = scraper;
        this.catalog = catalog;
        this.metrics = metrics;
        this.sample = sample;
    }

    /** Checks a sample; returns how many pools differed (and were replaced). */
    int run(LiveBook book) {
        List<PoolId> served = new ArrayList<>(book.served());
        if (served.isEmpty()) {
            return 0;
        }
        List<PoolDescriptor> picked = new ArrayList<>();
        for (int i = 0; i < Math.min(sample, served.size()); i++) {
            PoolDescriptor d = book.snapshots().get(served.get(random.nextInt(served.size()))).descriptor();
            if (!picked.contains(d)) {
                picked.add(d);
            }
        }
        ScrapeResult chain;
        try {
            chain = scraper.scrape(picked, BlockRef.hash(book.tipHash()), book.tipNumber());
        } catch (RpcException e) {
            LOG.warn("self-check skipped: block={} reason={}", book.tipNumber(), e.getMessage());
            return 0;
        }
        int differed = 0;
        for (PoolDescriptor p : picked) {
            PoolState fresh = chain.states().get(p.id());
            if (fresh == null) {
                continue;
            }
            metrics.selfCheckedPools.increment();
            List<String> diffs = book.snapshots().get(p.id()).differences(fresh.snapshot());
            if (!diffs.isEmpty()) {
                differed++;
                metrics.selfCheckDifferences.increment();
                LOG.error("self-check difference: pool={} block={} fields={}; replaced by a fresh read", p.id(), book.tipNumber(), diffs);
                book.replace(fresh);
            }
        }
        return differed;
    }
}
