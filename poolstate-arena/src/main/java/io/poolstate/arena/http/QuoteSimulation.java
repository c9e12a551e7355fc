package io.poolstate.arena.http;

import io.poolstate.dex.v4.V4QuoterClient;
import io.poolstate.eth.Address;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;

/**
 * Quotes answered by the node instead of the pool math: v4-periphery's V4Quoter, called with {@code eth_call} at the
 * served block's hash, runs the swap in the PoolManager — hooks, fee overrides and return deltas included — so its
 * answer is the chain's own for any pool of that PoolManager. The API uses it when a quote asks for
 * {@code simulate=node}, and for every quote the pool math refuses when {@code refusedOnNode} is set.
 *
 * @param quoter        the V4Quoter, or null: no node quotes
 * @param poolManager   the PoolManager the quoter simulates in (it quotes that manager's pools only); null without a quoter
 * @param refusedOnNode quotes of pools whose hook can change a swap's amounts go to the node without {@code simulate=node}
 */
public record QuoteSimulation(V4QuoterClient quoter, Address poolManager, boolean refusedOnNode) {
    /** No node quotes: refused pools answer 422, {@code simulate=node} answers 501. */
    public static final QuoteSimulation OFF = new QuoteSimulation(null, null, false);

    public QuoteSimulation {
        if ((quoter == null) != (poolManager == null)) {
            throw new IllegalArgumentException("a V4Quoter and its PoolManager go together: quoter=" + quoter + " poolManager=" + poolManager);
        }
        if (refusedOnNode && quoter == null) {
            throw new IllegalArgumentException("node quotes for refused pools need a V4Quoter (--v4-quoter ADDRESS)");
        }
    }

    /**
     * The V4Quoter at {@code address}, checked on the chain: its {@code poolManager()} is read at the newest block.
     *
     * @throws IllegalStateException when the address holds no V4Quoter
     * @throws io.poolstate.eth.rpc.RpcException when the node fails the request
     */
    public static QuoteSimulation verified(EthClient eth, Address address, boolean refusedOnNode) {
        V4QuoterClient quoter = new V4QuoterClient(eth, address);
        return new QuoteSimulation(quoter, quoter.poolManager(BlockRef.latest()), refusedOnNode);
    }

    /** Whether node quotes are available. */
    public boolean enabled() {
        return quoter != null;
    }
}
