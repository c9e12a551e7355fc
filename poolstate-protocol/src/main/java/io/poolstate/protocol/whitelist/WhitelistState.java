package io.poolstate.protocol.whitelist;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A whitelist in force: the snapshot it was published as and its pools, in publication order, each with its
 * metadata when the publisher sent it (full format) or none (minimal format). Immutable.
 *
 * @param snapshotId the publisher's snapshot id (milliseconds since the epoch by convention); 0 before any list
 * @param pools      pool id → metadata, or → null when only the id is known
 */
public record WhitelistState(long snapshotId, Map<PoolId, PoolDescriptor> pools) {
    public static final WhitelistState EMPTY = new WhitelistState(0, Map.of());

    public WhitelistState {
        pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
    }

    public int size() {
        return pools.size();
    }

    public boolean contains(PoolId id) {
        return pools.containsKey(id);
    }

    public Set<PoolId> ids() {
        return pools.keySet();
    }

    /** The pools with metadata, in publication order. */
    public List<PoolDescriptor> descriptors() {
        return pools.values().stream().filter(java.util.Objects::nonNull).toList();
    }
}
