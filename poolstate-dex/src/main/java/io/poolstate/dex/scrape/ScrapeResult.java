package io.poolstate.dex.scrape;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.state.PoolState;
import java.util.Map;

/**
 * Pools read at one block: the states that were read completely and, per pool that was not, why. Every pool
 * asked for is in exactly one of the two maps.
 */
public record ScrapeResult(long block, Map<PoolId, PoolState> states, Map<PoolId, String> failures, int rpcRequests) {
    public ScrapeResult {
        states = Map.copyOf(states);
        failures = Map.copyOf(failures);
    }
}
