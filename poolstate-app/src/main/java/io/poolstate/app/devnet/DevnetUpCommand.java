package io.poolstate.app.devnet;

import io.poolstate.app.Home;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.DevnetStateCache;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.DeploymentFile;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.deploy.HookedPool;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.quote.QuoteSupport;
import io.poolstate.dex.v4.HookFlags;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts Anvil, deploys, writes the deployment, and runs until interrupted. */
@Command(name = "up", mixinStandardHelpOptions = true, description = "Start Anvil, deploy Uniswap V2/V3/V4 with tokens and pools, keep running.")
public final class DevnetUpCommand implements Callable<Integer> {
    @io.poolstate.app.config.EnvVar("POOLSTATE_DEVNET_PORT")
    @Option(names = "--port", defaultValue = "8545", description = "HTTP/WebSocket port on 127.0.0.1 (default: ${DEFAULT-VALUE}; env POOLSTATE_DEVNET_PORT).")
    int port;

    @Option(names = "--pools", defaultValue = "30", description = "Number of pools, split over V2/V3/V4 (default: ${DEFAULT-VALUE}).")
    int pools;

    @Option(names = "--positions", defaultValue = "8", description = "Liquidity positions per V3/V4 pool (default: ${DEFAULT-VALUE}).")
    int positions;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for prices, pairs and positions (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--hooked-pools", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Add one V4 pool per kind of v4-core test hook (fee override, fee taking, custom curve, dynamic fee, ...);"
                    + " --no-hooked-pools for plain pools only (default: ${DEFAULT-VALUE}).")
    boolean hookedPools;

    @Option(names = "--chain-id", defaultValue = "31337",
            description = "Chain id Anvil answers with; give each devnet of a several-chain deployment its own (default: ${DEFAULT-VALUE}).")
    long chainId;

    @Option(names = "--ticks", paramLabel = "MIN-MAX", description = "Give every plain V3/V4 pool between MIN and MAX initialised ticks"
            + " (drawn log-uniformly, written into the pools' storage as positions would leave them), e.g. 50-500; default: none.")
    String ticks;

    @Option(names = "--cache", negatable = true, description = "Deploy once and save the chain (Anvil --dump-state) under --cache-dir, keyed by the"
            + " options and the deploy code; later starts load it (--load-state) in seconds (default: on for --pools 1000 or more, or with --ticks; only on the default chain id).")
    Boolean cache;

    @Option(names = "--cache-dir", description = "Where saved devnets live (default: $POOLSTATE_DEVNET_CACHE, else ~/.cache/poolstate/devnet).")
    Path cacheDir;

    @Option(names = "--dir", description = "Where to write deployment.json and pools.json (default: .poolstate/devnet).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path out = dir != null ? dir : Home.devnet();
        DevnetDeployer.Options options = new DevnetDeployer.Options(pools, positions, seed, hookedPools);
        if (ticks != null) {
            String[] mm = ticks.split("-", 2);
            try {
                options = options.withTicks(Integer.parseInt(mm[0].trim()), Integer.parseInt(mm[mm.length - 1].trim()));
            } catch (NumberFormatException e) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--ticks must be MIN-MAX, e.g. 50-500: ticks=" + ticks);
            }
        }
        boolean cached = chainId == io.poolstate.devnet.anvil.AnvilProcess.CHAIN_ID && (cache != null ? cache : pools >= 1000 || ticks != null);
        DevnetStateCache store = cacheDir != null ? new DevnetStateCache(cacheDir) : DevnetStateCache.userDefault();
        try (Devnet devnet = cached ? Devnet.start(port, out, options, store) : Devnet.start(port, out, options, chainId)) {
            print(devnet.deployment(), out);
            devnet.anvil().waitFor();
        }
        return 0;
    }

    static void print(Deployment d, Path dir) {
        System.out.printf("devnet up: chain_id=%d pools=%d (v2=%d v3=%d v4=%d, %d of them hooked) tokens=%d%n", d.chainId(), d.pools().size(),
                d.pools(Protocol.UNISWAP_V2).size(), d.pools(Protocol.UNISWAP_V3).size(), d.pools(Protocol.UNISWAP_V4).size(),
                d.hookedPools().size(), d.tokens().size());
        System.out.printf("  rpc:         %s  %s  %s%n", d.httpUrl(), d.wsUrl(), d.ipcUrl());
        System.out.printf("  multicall3:  %s%n  pool manager %s%n  quoter v2:   %s%n  v4 quoter:   %s%n", d.contracts().multicall3(),
                d.contracts().poolManager(), d.contracts().quoterV2(), d.contracts().v4Quoter());
        for (HookedPool h : d.hookedPools()) {
            System.out.printf("  hooked pool: %-24s %s hook %s %s, quotes %s%n", h.kind().wireName(), h.pool().id(), h.hooks(),
                    HookFlags.of(h.hooks()).names(), QuoteSupport.of(h.pool()).wireName());
        }
        System.out.printf("  deployment:  %s%n  pools:       %s (whitelist 'full' message)%n", dir.resolve(DeploymentFile.DEPLOYMENT),
                dir.resolve(DeploymentFile.POOLS));
        System.out.println("  traffic:     ./poolstate devnet traffic --blocks 100 --seed 1   (Ctrl-C stops the devnet)");
        Path pools = dir.resolve(DeploymentFile.POOLS);
        String network = "--network devnet" + (dir.toAbsolutePath().normalize().equals(Home.devnet().toAbsolutePath().normalize()) ? "" : " --devnet-dir " + dir);
        System.out.printf("  feed:        ./poolstate feed %s --rpc %s --pools %s --socket /tmp/poolstate-feed.sock --metrics off%n", network, d.wsUrl(), pools);
        System.out.printf("  arena:       ./poolstate arena %s --rpc %s --pools %s --feed-socket /tmp/poolstate-feed.sock --v4-quoter %s%n", network, d.httpUrl(),
                pools, d.contracts().v4Quoter());
    }
}
