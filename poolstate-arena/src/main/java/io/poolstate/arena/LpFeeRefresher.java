package io.poolstate.arena;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.scrape.V4LpFeeReader;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.RpcException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the LP fee (pips) of every served dynamic-fee V4 pool equal to the chain's at the tip. Such a pool's hook
 * changes its LP fee with {@code PoolManager.updateDynamicLPFee}, which emits no event, so after each committed
 * block — replayed ones included — the fees of those pools are re-read at that block, pinned by its hash, in one
 * request ({@link V4LpFeeReader}), and applied to the book journaled with the block, so a revert restores them.
 *
 * <p>Exact or not served: when the re-read fails (after the client's retries; e.g. the block was orphaned before it
 * was applied, or the node lost its state) the pools stay in the book, following their events, but are not served
 * — the API answers 503 with the reason — until a re-read succeeds: at the next block, or, on a quiet chain, at the
 * same block after a growing delay. A revert of the block restores the fee known before it. They are never served
 * with an older fee.
 *
 * <p>Single writer: the arena's writer thread.
 */
final class LpFeeRefresher {
    private static final Logger LOG = LoggerFactory.getLogger(LpFeeRefresher.class);
    private static final long FIRST_RETRY_NANOS = 500_000_000L;
    private static final long MAX_RETRY_NANOS = 30_000_000_000L;

    private final V4LpFeeReader reader;
    private final ArenaMetrics metrics;
    private long retryBackoffNanos = FIRST_RETRY_NANOS;
    private long nextRetryNanos;

    LpFeeRefresher(V4LpFeeReader reader, ArenaMetrics metrics) {
        this.reader = reader;
        this.metrics = metrics;
    }

    /** After a committed block (or a retry at the same tip): re-reads and applies the due pools' LP fees at the tip. */
    void refresh(LiveBook book) {
        List<PoolDescriptor> due = book.lpFeesDue();
        if (due.isEmpty()) {
            return;
        }
        Map<PoolId, Integer> fees;
        try {
            metrics.lpFeeReads.increment();
            fees = reader.lpFees(due, BlockRef.hash(book.tipHash()));
        } catch (RpcException | IllegalStateException e) {
            metrics.lpFeeReadFailures.increment();
            boolean first = book.lpFeesUnknown().isEmpty();
            book.lpFeesUnknown(due.stream().map(PoolDescriptor::id).toList(),
                    "LP fee re-read at block " + book.tipNumber() + " " + book.tipHash() + " failed: " + e.getMessage() + "; reading again");
            retryBackoffNanos = first ? FIRST_RETRY_NANOS : Math.min(MAX_RETRY_NANOS, retryBackoffNanos * 2);
            nextRetryNanos = System.nanoTime() + retryBackoffNanos;
            LOG.warn("dynamic-fee pools not served, LP fee re-read failed: pools={} block={} {} reason={}", due.size(), book.tipNumber(), book.tipHash(),
                    e.getMessage());
            return;
        }
        boolean wereUnknown = !book.lpFeesUnknown().isEmpty();
        metrics.lpFeeChanges.increment(book.applyLpFees(fees));
        if (wereUnknown && book.lpFeesUnknown().isEmpty()) {
            LOG.info("dynamic-fee pools served again, LP fees read: pools={} block={}", fees.size(), book.tipNumber());
        }
    }

    /** Whether a quiet chain should retry a failed re-read at the tip now. */
    boolean retryDue(LiveBook book) {
        return !book.lpFeesUnknown().isEmpty() && System.nanoTime() - nextRetryNanos >= 0;
    }
}
