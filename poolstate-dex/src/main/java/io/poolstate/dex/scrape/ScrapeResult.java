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

    /**
     * The failures as one log-line fragment: {@code failed=N pools=[first few ids] reason=<first reason>}, so a
     * read that fails for hundreds of pools (a block orphaned by a reorg) is one line, not one per pool.
     */
    public String failureSummary() {
        StringBuilder ids = new StringBuilder();
        failures.keySet().stream().limit(SUMMARY_IDS).forEach(id -> ids.append(ids.isEmpty() ? "" : ",").append(id));
        String more = failures.size() > SUMMARY_IDS ? ",..." : "";
        String reason = failures.values().stream().findFirst().orElse("");
        return "failed=" + failures.size() + " pools=[" + ids + more + "] reason=" + reason;
    }

    private static final int SUMMARY_IDS = 3;
}
