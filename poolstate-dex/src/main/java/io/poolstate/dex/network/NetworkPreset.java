package io.poolstate.dex.network;

import io.poolstate.dex.pool.Token;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A network's canonical deployments: Uniswap's V2 factory, V3 factory and V4 PoolManager, Multicall3, WETH, the
 * main USD stablecoins and the V2 pair / V3 pool init code hashes. Any of the contracts or hashes may be null when no
 * source confirms it ({@link #notListed()} says which and why). {@link #sources()} names where each value comes from,
 * keyed by field ({@code v2_factory}, {@code stable:USDC}, ...). Immutable.
 *
 * @param discoveryStartBlock the first block pool discovery needs to read (no factory is older)
 */
public record NetworkPreset(String name, long chainId, Address v2Factory, Address v3Factory, Address poolManager, Address multicall3,
                            Token weth, List<Token> stables, Bytes32 v2PairInitCodeHash, Bytes32 v3PoolInitCodeHash, long discoveryStartBlock,
                            Map<String, String> sources, List<String> notListed) {
    public NetworkPreset {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("network preset needs a name");
        }
        if (multicall3 == null) {
            throw new IllegalArgumentException("network preset needs Multicall3: network=" + name);
        }
        stables = List.copyOf(stables);
        sources = Map.copyOf(sources);
        notListed = List.copyOf(notListed);
    }

    /** The stable (or WETH) with {@code symbol}, case-insensitive. */
    public Optional<Token> token(String symbol) {
        if (weth != null && weth.symbol().equalsIgnoreCase(symbol)) {
            return Optional.of(weth);
        }
        return stables.stream().filter(t -> t.symbol().equalsIgnoreCase(symbol)).findFirst();
    }

    /** WETH and the stables: the tokens a pool may pair a whitelisted token with. */
    public List<Token> baseTokens() {
        List<Token> out = new java.util.ArrayList<>();
        if (weth != null) {
            out.add(weth);
        }
        out.addAll(stables);
        return out;
    }

    /** The source of a field's value ({@code v2_factory}, {@code stable:USDC}, ...), or null when not listed. */
    public String source(String field) {
        return sources.get(field);
    }
}
