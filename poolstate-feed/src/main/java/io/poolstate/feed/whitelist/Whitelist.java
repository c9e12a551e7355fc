package io.poolstate.feed.whitelist;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.protocol.whitelist.WhitelistState;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The pools whose events the feed forwards: V2/V3 pools by address, V4 pools by PoolId (matched in topics[1]
 * of PoolManager logs). Immutable; the follower thread swaps in a new one between blocks.
 *
 * @param ids        every pool, in publication order
 * @param snapshotId the publisher's snapshot id in force, 0 when none is known
 */
public record Whitelist(Set<PoolId> ids, Set<Address> addresses, Set<Bytes32> v4Ids, Map<PoolId, String> protocols, long snapshotId) {
    public static final Whitelist EMPTY = new Whitelist(Set.of(), Set.of(), Set.of(), Map.of(), 0);

    public Whitelist {
        ids = Collections.unmodifiableSet(new LinkedHashSet<>(ids));
        addresses = Collections.unmodifiableSet(new HashSet<>(addresses));
        v4Ids = Collections.unmodifiableSet(new HashSet<>(v4Ids));
        protocols = Collections.unmodifiableMap(new HashMap<>(protocols));
    }

    /** The forwarding form of a folded list. */
    public static Whitelist of(WhitelistState s) {
        Set<Address> addresses = new HashSet<>();
        Set<Bytes32> v4 = new HashSet<>();
        Map<PoolId, String> protocols = new HashMap<>();
        s.pools().forEach((id, d) -> {
            if (id.isV4()) {
                v4.add(id.v4Id());
            } else {
                addresses.add(id.address());
            }
            if (d != null) {
                protocols.put(id, d.protocol().wireName());
            }
        });
        return new Whitelist(s.ids(), addresses, v4, protocols, s.snapshotId());
    }

    /** A list of these pools (ids only) as snapshot {@code snapshotId}. */
    public static Whitelist of(long snapshotId, java.util.Collection<PoolId> ids) {
        Map<PoolId, io.poolstate.dex.pool.PoolDescriptor> m = new java.util.LinkedHashMap<>();
        ids.forEach(id -> m.put(id, null));
        return of(new WhitelistState(snapshotId, m));
    }

    public boolean contains(PoolId id) {
        return id.isV4() ? v4Ids.contains(id.v4Id()) : addresses.contains(id.address());
    }

    public int size() {
        return ids.size();
    }

    /** Pools per protocol; V2/V3 pools listed without metadata count as "unknown". */
    public Map<String, Integer> sizeByProtocol() {
        Map<String, Integer> m = new HashMap<>();
        for (PoolId id : ids) {
            String p = id.isV4() ? io.poolstate.dex.pool.Protocol.UNISWAP_V4.wireName() : protocols.getOrDefault(id, "unknown");
            m.merge(p, 1, Integer::sum);
        }
        return m;
    }
}
