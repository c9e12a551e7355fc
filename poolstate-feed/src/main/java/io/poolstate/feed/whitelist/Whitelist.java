package io.poolstate.feed.whitelist;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The pools whose events the feed forwards: V2/V3 pools by address, V4 pools by PoolId (matched in topics[1]
 * of PoolManager logs). Immutable; the follower thread swaps in a new one between blocks.
 *
 * @param protocols  the protocol of each pool where the publisher said it (full format), else absent
 * @param snapshotId the publisher's snapshot id in force, 0 when none is known
 */
public record Whitelist(Set<Address> addresses, Set<Bytes32> v4Ids, Map<PoolId, Protocol> protocols, long snapshotId) {
    public static final Whitelist EMPTY = new Whitelist(Set.of(), Set.of(), Map.of(), 0);

    public Whitelist {
        addresses = Collections.unmodifiableSet(new HashSet<>(addresses));
        v4Ids = Collections.unmodifiableSet(new HashSet<>(v4Ids));
        protocols = Collections.unmodifiableMap(new HashMap<>(protocols));
    }

    public boolean contains(PoolId id) {
        return id.isV4() ? v4Ids.contains(id.v4Id()) : addresses.contains(id.address());
    }

    public int size() {
        return addresses.size() + v4Ids.size();
    }

    /** Pools per protocol; pools listed without one count as "unknown". */
    public Map<String, Integer> sizeByProtocol() {
        Map<String, Integer> m = new HashMap<>();
        for (Address a : addresses) {
            Protocol p = protocols.get(PoolId.of(a));
            m.merge(p == null ? "unknown" : p.wireName(), 1, Integer::sum);
        }
        m.merge(Protocol.UNISWAP_V4.wireName(), v4Ids.size(), Integer::sum);
        return m;
    }
}
