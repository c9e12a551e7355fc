package io.poolstate.whales.holders;

import io.poolstate.eth.Address;
import io.poolstate.eth.Hex;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.JsonRpcClient;
import io.poolstate.whales.store.WhaleStore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The top-N list at a block. From the indexed Transfer history: holders by balance (largest first, ties by
 * address), skipping configured addresses (exchanges, pools) and any address with code at the block
 * ({@code eth_getCode}, one batch per page). From a given address list: that list in its order, minus the
 * configured addresses. Used by the snapshot thread only.
 */
public final class WhaleListBuilder {
    private final EthClient eth;
    private final WhaleStore store;
    private final Set<Address> excluded;
    private final boolean excludeContracts;
    private final List<Address> givenList;

    /**
     * @param givenList a fixed list of candidates, or null to rank the indexed holders
     * @param excludeContracts whether addresses with code are left out (ranked holders only)
     */
    public WhaleListBuilder(EthClient eth, WhaleStore store, Set<Address> excluded, boolean excludeContracts, List<Address> givenList) {
        this.eth = eth;
        this.store = store;
        this.excluded = Set.copyOf(excluded);
        this.excludeContracts = excludeContracts;
        this.givenList = givenList == null ? null : List.copyOf(new LinkedHashSet<>(givenList));
    }

    /** Whether the list comes from the Transfer history (and needs the index brought to the block first). */
    public boolean ranksHolders() {
        return givenList == null;
    }

    /** The first {@code n} whales at {@code block}, rank order. */
    public List<Address> build(int n, BlockHeader block) throws SQLException {
        List<Address> out = new ArrayList<>(n);
        if (givenList != null) {
            for (Address a : givenList) {
                if (out.size() < n && !excluded.contains(a)) {
                    out.add(a);
                }
            }
            return out;
        }
        int page = n + excluded.size() + 64;
        for (int offset = 0; out.size() < n; offset += page) {
            List<WhaleStore.Holder> holders = store.topHolders(page, offset);
            List<Address> candidates = new ArrayList<>();
            for (WhaleStore.Holder h : holders) {
                if (!excluded.contains(h.address())) {
                    candidates.add(h.address());
                }
            }
            List<Address> eoas = excludeContracts ? withoutCode(candidates, block) : candidates;
            for (Address a : eoas) {
                if (out.size() < n) {
                    out.add(a);
                }
            }
            if (holders.size() < page) {
                break;
            }
        }
        return out;
    }

    private List<Address> withoutCode(List<Address> candidates, BlockHeader block) {
        if (candidates.isEmpty()) {
            return candidates;
        }
        List<JsonRpcClient.Call> calls = new ArrayList<>(candidates.size());
        for (Address a : candidates) {
            calls.add(new JsonRpcClient.Call("eth_getCode", List.of(a.toString(), io.poolstate.eth.rpc.BlockRef.hash(block.hash()).param())));
        }
        var codes = eth.rpc().batchResults(calls);
        List<Address> out = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            if (Hex.decode(codes.get(i).asText()).length == 0) {
                out.add(candidates.get(i));
            }
        }
        return out;
    }
}
