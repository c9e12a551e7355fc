package io.poolstate.devnet.deploy;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.eth.Address;
import java.util.List;

/**
 * A deployed devnet: where its node answers, the account that trades, the contracts, tokens and pools.
 * {@code usdPrices} gives each token's reference price in USD (index-aligned with {@code tokens}) used to
 * size liquidity and trades; it is not a chain value. {@code hookedPools} are the V4 pools with a hooks contract
 * (also in {@code pools}, after the plain ones).
 */
public record Deployment(long chainId, String httpUrl, String wsUrl, String ipcUrl, Address trader, Contracts contracts,
                         List<Token> tokens, List<Double> usdPrices, List<PoolDescriptor> pools, long deployBlock,
                         List<HookedPool> hookedPools) {
    public Deployment {
        tokens = List.copyOf(tokens);
        usdPrices = List.copyOf(usdPrices);
        pools = List.copyOf(pools);
        hookedPools = List.copyOf(hookedPools);
    }

    /** The same deployment served by another node (a devnet restored from a saved state). */
    public Deployment withUrls(String http, String ws, String ipc) {
        return new Deployment(chainId, http, ws, ipc, trader, contracts, tokens, usdPrices, pools, deployBlock, hookedPools);
    }

    /** The hooked pool with this id, or null. */
    public HookedPool hooked(PoolId id) {
        return hookedPools.stream().filter(h -> h.pool().id().equals(id)).findFirst().orElse(null);
    }

    public List<PoolDescriptor> pools(Protocol protocol) {
        return pools.stream().filter(p -> p.protocol() == protocol).toList();
    }

    /** The reference USD price of a token (native ETH priced as WETH). */
    public double usdPrice(Address token) {
        Address t = token.isZero() ? contracts.weth() : token;
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).address().equals(t)) {
                return usdPrices.get(i);
            }
        }
        throw new IllegalArgumentException("not a devnet token: " + token);
    }

    public Token token(Address address) {
        if (address.isZero()) {
            return new Token(Address.ZERO, 18, "ETH");
        }
        return tokens.stream().filter(t -> t.address().equals(address)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a devnet token: " + address));
    }
}
