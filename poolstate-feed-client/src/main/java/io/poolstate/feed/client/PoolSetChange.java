package io.poolstate.feed.client;

import io.poolstate.dex.pool.PoolId;
import java.util.List;

/**
 * A change of the pools the feed forwards, whole (its parts assembled), in stream order between blocks.
 * {@code replace}: the set is now exactly {@code added}. {@code size}: the set's size after the change.
 */
public record PoolSetChange(long fromBlockNumber, long snapshotId, boolean replace, List<PoolId> added, List<PoolId> removed, int size) {
    public PoolSetChange {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
    }
}
