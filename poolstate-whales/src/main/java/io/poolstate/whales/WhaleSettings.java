package io.poolstate.whales;

import io.poolstate.eth.Address;
import io.poolstate.whales.analysis.Window;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The whale tracker's configuration.
 *
 * @param token the ERC-20 tracked, or null to track ETH (then {@code givenList} is required)
 * @param givenList a fixed candidate list (file or table), or null to rank the token's holders from its Transfer history
 * @param historyStartBlock the first block of the Transfer history to index (the token's deployment block, or 0)
 * @param topN the list size
 * @param batchSize calls per Multicall3 batch
 * @param attempts tries per balance request before the snapshot is marked incomplete
 * @param interval time between snapshots; slots are aligned to it (UTC)
 * @param confirmations blocks behind the head the snapshot block is taken (reorg margin)
 * @param windows analysis windows
 * @param excluded addresses never on the list (exchanges, pools, ...)
 * @param excludeContracts whether addresses with code are left off the ranked list
 * @param multicall the Multicall3 address
 */
public record WhaleSettings(Address token, List<Address> givenList, long historyStartBlock, int topN, int batchSize, int attempts,
                            Duration interval, int confirmations, List<Window> windows, Set<Address> excluded, boolean excludeContracts,
                            Address multicall) {
    public WhaleSettings {
        if (token == null && givenList == null) {
            throw new IllegalArgumentException("tracking ETH needs an address list (--holders FILE): token=ETH");
        }
        if (topN < 1 || batchSize < 1) {
            throw new IllegalArgumentException("top and batch size must be >= 1: top=" + topN + " batchSize=" + batchSize);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: interval=" + interval);
        }
        if (confirmations < 0) {
            throw new IllegalArgumentException("confirmations must be >= 0: confirmations=" + confirmations);
        }
        windows = List.copyOf(windows);
        excluded = Set.copyOf(excluded);
        givenList = givenList == null ? null : List.copyOf(givenList);
    }

    /** The asset's key in the tables: the token address, or {@code ETH}. */
    public String assetKey() {
        return token == null ? "ETH" : token.toString();
    }
}
