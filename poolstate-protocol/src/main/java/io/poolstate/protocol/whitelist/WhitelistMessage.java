package io.poolstate.protocol.whitelist;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import java.time.Instant;
import java.util.List;

/**
 * A whitelist update as published on {@code whitelist.pools.<chain>.full} / {@code .minimal} (spec section 1).
 *
 * @param snapshotId     the publisher's snapshot id (milliseconds since the epoch by convention); null from old publishers
 * @param prevSnapshotId the snapshot this diff applies to; null for a full list or an old publisher
 * @param pools          full pool metadata (full format); empty in the minimal format and for {@code remove}
 * @param poolIds        the ids this message names: the listed pools for {@code full}/{@code add}, the removed
 *                       ones for {@code remove}; always filled
 */
public record WhitelistMessage(UpdateType type, String chain, Long snapshotId, Long prevSnapshotId, Instant timestamp,
                               List<PoolDescriptor> pools, List<PoolId> poolIds) {
    public WhitelistMessage {
        pools = List.copyOf(pools);
        poolIds = List.copyOf(poolIds);
    }

    /** A full list in the full format. */
    public static WhitelistMessage full(String chain, long snapshotId, Instant timestamp, List<PoolDescriptor> pools) {
        return new WhitelistMessage(UpdateType.FULL, chain, snapshotId, null, timestamp, pools,
                pools.stream().map(PoolDescriptor::id).toList());
    }

    /** Whether the pools' metadata is present (full format) rather than ids only. */
    public boolean hasMetadata() {
        return !pools.isEmpty() || poolIds.isEmpty();
    }
}
