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
 * <p>Exact or not served: when the re-read fails (after the client's retries), the pools whose fee is unknown at the
 * tip leave the served set — the API answers 503 for them with the reason — and are read again at the tip like any
 * pool whose read failed ({@link PoolSetFollower}); they are never served with an older fee.
 *
 * <p>Single writer: the arena's writer thread.
 */
final class LpFeeRefresher {
    private static final Logger LOG = LoggerFactory.getLogger(LpFeeRefresher.class);

    private final V4LpFeeReader reader;
    private final ArenaMetrics metrics;

    LpFeeRefresher(V4LpFeeReader reader, ArenaMetrics metrics) {
        this.reader = reader;
        this.metrics = metrics;
    }

    /** After a committed block: re-reads and applies the due pools' LP fees at the tip, or takes them out of service. */
    void refresh(LiveBook book, PoolSetFollower follower) {
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
            String reason = "LP fee re-read at block " + book.tipNumber() + " " + book.tipHash() + " failed: " + e.getMessage() + "; reading again";
            LOG.error("dynamic-fee pools not served, LP fee re-read failed: pools={} block={} reason={}", due.size(), book.tipNumber(), e.getMessage());
            List<PoolId> ids = due.stream().map(PoolDescriptor::id).toList();
            ids.forEach(book::remove);
            follower.reread(ids, reason);
            return;
        }
        metrics.lpFeeChanges.increment(book.applyLpFees(fees));
    }
}
