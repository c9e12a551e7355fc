package io.poolstate.app.options;

import io.poolstate.app.Home;
import io.poolstate.app.config.EnvVar;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.DeploymentFile;
import io.poolstate.dex.network.NetworkPreset;
import io.poolstate.dex.network.NetworkPresets;
import io.poolstate.dex.pool.Token;
import io.poolstate.eth.Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code --network}: the preset of contracts and tokens a command falls back on (the checked-in table, or the
 * running devnet's deployment file), {@code --chain} (the name in NATS subjects and tables) and
 * {@code --devnet-dir}. The preset is read when first needed; once it has been used, {@link #checkChainId} makes
 * sure the node is on the preset's chain.
 */
public final class NetworkOptions {
    /** The devnet's name as a network. */
    public static final String DEVNET = "devnet";

    @EnvVar("POOLSTATE_NETWORK")
    @Option(names = "--network", defaultValue = "ethereum", paramLabel = "NAME",
            description = "Contract and token preset: ethereum, base, arbitrum, optimism, unichain, or devnet (the running devnet's deployment file); "
                    + "any address flag overrides it (default: ${DEFAULT-VALUE}; env POOLSTATE_NETWORK; `./poolstate networks` lists them).")
    String network;

    @EnvVar("POOLSTATE_CHAIN")
    @Option(names = "--chain", paramLabel = "NAME", description = "Chain name in NATS subjects and tables (default: the network's name; env POOLSTATE_CHAIN).")
    String chain;

    @EnvVar("POOLSTATE_DEVNET_DIR")
    @Option(names = "--devnet-dir", paramLabel = "DIR", description = "With --network devnet: the devnet's directory (default: $POOLSTATE_HOME/devnet).")
    Path devnetDir;

    private NetworkPreset preset;
    private Deployment deployment;
    private boolean used;

    /** The network's name, lower case. */
    public String name() {
        return network.toLowerCase(Locale.ROOT);
    }

    /** {@code --chain}, else the network's name. */
    public String chain() {
        return chain != null && !chain.isBlank() ? chain : name();
    }

    public boolean isDevnet() {
        return name().equals(DEVNET);
    }

    /**
     * The preset; marks it used (see {@link #checkChainId}).
     *
     * @throws IllegalArgumentException for an unknown network, or a devnet without a deployment file
     */
    public NetworkPreset preset() {
        used = true;
        if (preset == null) {
            preset = isDevnet() ? fromDeployment(devnet()) : NetworkPresets.named(name());
        }
        return preset;
    }

    /** The running devnet's deployment ({@code --network devnet} only). */
    public Deployment devnet() {
        if (!isDevnet()) {
            throw new IllegalStateException("not a devnet network: network=" + name());
        }
        if (deployment == null) {
            deployment = DeploymentFile.read(devnetDir != null ? devnetDir : Home.devnet());
        }
        return deployment;
    }

    /** {@code given} when any, else {@code fallback} from the preset (marking it used); {@code none} gives an empty list. */
    public List<Address> addresses(List<String> given, java.util.function.Function<NetworkPreset, Address> fallback) {
        if (given == null || given.isEmpty()) {
            Address a = fallback.apply(preset());
            return a == null ? List.of() : List.of(a);
        }
        List<Address> out = new ArrayList<>();
        for (String g : given) {
            if (!g.equalsIgnoreCase("none") && !g.isBlank()) {
                out.add(Address.of(g.trim()));
            }
        }
        return out;
    }

    /** {@code given}, else {@code fallback} from the preset (marking it used). */
    public Address address(String given, java.util.function.Function<NetworkPreset, Address> fallback) {
        return given != null && !given.isBlank() ? Address.of(given.trim()) : fallback.apply(preset());
    }

    /**
     * A token named by address, or by the preset's symbol for it ({@code WETH}, {@code USDC}, ...).
     *
     * @throws IllegalArgumentException naming the known symbols when neither
     */
    public Address token(String addressOrSymbol) {
        if (addressOrSymbol.startsWith("0x") || addressOrSymbol.startsWith("0X")) {
            return Address.of(addressOrSymbol);
        }
        return preset().token(addressOrSymbol).map(Token::address).orElseThrow(() -> new IllegalArgumentException("unknown token symbol on network "
                + name() + ": token=" + addressOrSymbol + " (known: " + String.join(", ", preset().baseTokens().stream().map(Token::symbol).toList())
                + ", or give its address)"));
    }

    /**
     * Refuses a node on another chain than the preset's, when a preset value was used (a flag for every address
     * makes the preset irrelevant, and then any chain is fine).
     *
     * @throws IllegalArgumentException naming both chain ids and the networks that match the node
     */
    public void checkChainId(long nodeChainId) {
        if (!used || preset.chainId() == nodeChainId) {
            return;
        }
        List<String> matching = new ArrayList<>();
        NetworkPresets.all().forEach((n, p) -> {
            if (p.chainId() == nodeChainId) {
                matching.add(n);
            }
        });
        throw new IllegalArgumentException("the node is on chain " + nodeChainId + " but --network " + name() + " is chain " + preset.chainId()
                + (matching.isEmpty() ? "; give every address with flags, or a --network of the node's chain" : "; use --network " + matching.get(0)));
    }

    /** Whether a preset value has been used so far. */
    public boolean presetUsed() {
        return used;
    }

    /**
     * When a preset value was used: asks the node at {@code rpcUrl} for its chain id and {@link #checkChainId checks}
     * it (before a service starts and keeps its own connection).
     */
    public void checkNode(String rpcUrl) {
        if (used) {
            try (io.poolstate.eth.rpc.EthClient eth = io.poolstate.eth.rpc.EthClient.open(rpcUrl)) {
                checkChainId(eth.chainId());
            }
        }
    }

    /** The devnet as a preset: its contracts, WETH, and its USD stablecoins (USDC, USDT, DAI by symbol). */
    static NetworkPreset fromDeployment(Deployment d) {
        Set<String> stableSymbols = Set.of("USDC", "USDT", "DAI");
        List<Token> stables = d.tokens().stream().filter(t -> t.symbol() != null && stableSymbols.contains(t.symbol().toUpperCase(Locale.ROOT))).toList();
        Token weth = d.tokens().stream().filter(t -> t.address().equals(d.contracts().weth())).findFirst()
                .orElse(new Token(d.contracts().weth(), 18, "WETH"));
        NetworkPreset mainnet = NetworkPresets.named("ethereum");
        String source = "the devnet's deployment.json (written by `./poolstate devnet up`)";
        return new NetworkPreset(DEVNET, d.chainId(), d.contracts().v2Factory(), d.contracts().v3Factory(), d.contracts().poolManager(),
                d.contracts().multicall3(), weth, stables, mainnet.v2PairInitCodeHash(), mainnet.v3PoolInitCodeHash(), 0,
                Map.of("chain_id", source, "v2_factory", source, "v3_factory", source, "pool_manager", source, "multicall3", source, "weth", source,
                        "v2_pair_init_code_hash", "the devnet deploys the npm UniswapV2Pair, checked against the mainnet hash",
                        "v3_pool_init_code_hash", "the devnet deploys the npm UniswapV3Pool, checked against the mainnet hash"),
                List.of());
    }
}
