package io.poolstate.arena.stream;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Address;
import io.poolstate.http.BadRequestException;
import io.poolstate.http.QueryString;
import java.util.HashSet;
import java.util.Set;

/**
 * Which pools a subscriber follows: {@code pools} (ids) and {@code tokens} (a pool with either token), their union;
 * neither: every served pool. From the query: {@code ?pools=0x…,0x…&tokens=0x…}. Immutable.
 */
record StreamFilter(Set<PoolId> pools, Set<Address> tokens) {
    static final StreamFilter ALL = new StreamFilter(Set.of(), Set.of());

    boolean all() {
        return pools.isEmpty() && tokens.isEmpty();
    }

    boolean matches(PoolDescriptor d) {
        return all() || pools.contains(d.id()) || tokens.contains(d.token0().address()) || tokens.contains(d.token1().address());
    }

    /** @throws BadRequestException naming the parameter and the value that is not an id or an address */
    static StreamFilter parse(QueryString q) {
        Set<PoolId> pools = new HashSet<>();
        Set<Address> tokens = new HashSet<>();
        for (String s : list(q.get("pools"))) {
            try {
                pools.add(PoolId.parse(s));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("pools: not a pool id: value=" + s);
            }
        }
        for (String s : list(q.get("tokens"))) {
            try {
                tokens.add(Address.of(s));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("tokens: not an address: value=" + s);
            }
        }
        if (q.has("pools") && pools.isEmpty() || q.has("tokens") && tokens.isEmpty()) {
            throw new BadRequestException("pools and tokens, when given, list at least one value (leave both out for every pool)");
        }
        return new StreamFilter(Set.copyOf(pools), Set.copyOf(tokens));
    }

    private static String[] list(String s) {
        return s == null || s.isBlank() ? new String[0] : s.trim().split("\\s*,\\s*");
    }
}
