package io.poolstate.devnet;

import io.poolstate.devnet.anvil.AnvilGate;
import io.poolstate.devnet.anvil.AnvilProcess;
import io.poolstate.devnet.chain.DevChain;
import io.poolstate.devnet.contract.Multicall3Artifact;
import io.poolstate.devnet.contract.UniswapArtifacts;
import io.poolstate.devnet.contract.V4TestHookArtifacts;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.DeploymentFile;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.npm.NpmPackages;
import io.poolstate.eth.Address;
import io.poolstate.eth.rpc.EthClient;
import java.nio.file.Path;

/**
 * A running devnet: Anvil plus the deployed Uniswap contracts, tokens and pools, with the deployment
 * written to {@code dir} ({@link DeploymentFile}). Its HTTP requests — other processes' through the deployment's
 * HTTP URL, {@link #eth()}'s and the traffic's in this JVM — pass an {@link AnvilGate}, so reads pinned to a
 * block never see a block being mined. Closing it stops Anvil.
 */
public final class Devnet implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Devnet.class);
    /** Seconds between devnet block timestamps. */
    public static final long BLOCK_INTERVAL = 12;

    private final AnvilProcess anvil;
    private final AnvilGate gate;
    private final EthClient eth;
    private final DevChain chain;
    private final Deployment deployment;

    private Devnet(AnvilProcess anvil, AnvilGate gate, EthClient eth, DevChain chain, Deployment deployment) {
        this.anvil = anvil;
        this.gate = gate;
        this.eth = eth;
        this.chain = chain;
        this.deployment = deployment;
    }

    /**
     * Starts Anvil on {@code port} (chain {@link AnvilProcess#CHAIN_ID}), deploys, and writes the deployment to {@code dir}.
     *
     * @throws DevnetException with a message for the user when anything fails (Anvil is stopped again)
     */
    public static Devnet start(int port, Path dir, DevnetDeployer.Options options) {
        return start(port, dir, options, AnvilProcess.CHAIN_ID);
    }

    /**
     * Starts Anvil on {@code port} as chain {@code chainId}, deploys, and writes the deployment to {@code dir}.
     *
     * @throws DevnetException with a message for the user when anything fails (Anvil is stopped again)
     */
    public static Devnet start(int port, Path dir, DevnetDeployer.Options options, long chainId) {
        NpmPackages npm = NpmPackages.locate();
        UniswapArtifacts artifacts = UniswapArtifacts.load(npm);
        var multicall = Multicall3Artifact.load(npm);
        AnvilProcess anvil = AnvilProcess.start(npm.anvil(), port, dir, chainId);
        AnvilGate gate = null;
        EthClient eth = null;
        try {
            gate = AnvilGate.start(anvil.httpUrl());
            eth = gate.client();
            Address trader = Address.of(eth.rpc().call("eth_accounts").get(0).asText());
            DevChain chain = new DevChain(eth, trader, BLOCK_INTERVAL);
            Deployment d = DevnetDeployer.deploy(chain, artifacts, options.hookedPools() ? V4TestHookArtifacts.load(npm) : null, multicall, options,
                    gate.url(), anvil.wsUrl(), anvil.ipcUrl());
            DeploymentFile.write(d, dir);
            return new Devnet(anvil, gate, eth, chain, d);
        } catch (RuntimeException e) {
            closeAll(eth, gate, anvil);
            throw e;
        }
    }

    /**
     * Like {@link #start(int, Path, DevnetDeployer.Options)}, but restores the deployment from {@code cache} when it
     * holds one for these options and this deploy code (Anvil {@code --load-state}: seconds instead of the deployment's
     * minutes at 10,000 pools); otherwise deploys with Anvil's {@code --dump-state}, stops Anvil to save the state,
     * stores it and starts again from it.
     */
    public static Devnet start(int port, Path dir, DevnetDeployer.Options options, DevnetStateCache cache) {
        NpmPackages npm = NpmPackages.locate();
        Path entry = cache.entry(options, npm);
        if (!DevnetStateCache.complete(entry)) {
            save(npm, port, entry, options);
        }
        long started = System.nanoTime();
        AnvilProcess anvil = AnvilProcess.start(npm.anvil(), port, dir, java.util.List.of("--load-state", entry.resolve(DevnetStateCache.STATE).toString()));
        AnvilGate gate = null;
        EthClient eth = null;
        try {
            gate = AnvilGate.start(anvil.httpUrl());
            eth = gate.client();
            Deployment d = DeploymentFile.read(entry).withUrls(gate.url(), anvil.wsUrl(), anvil.ipcUrl());
            long head = eth.blockNumber();
            if (head < d.deployBlock()) {
                throw new DevnetException("saved devnet " + entry + " is at block " + head + " but its deployment ends at block " + d.deployBlock()
                        + ": delete the directory to deploy again");
            }
            Address trader = Address.of(eth.rpc().call("eth_accounts").get(0).asText());
            DevChain chain = new DevChain(eth, trader, BLOCK_INTERVAL);
            DeploymentFile.write(d, dir);
            LOG.info("devnet restored: entry={} pools={} block={} seconds={}", entry, d.pools().size(), head, (System.nanoTime() - started) / 1e9);
            return new Devnet(anvil, gate, eth, chain, d);
        } catch (RuntimeException e) {
            closeAll(eth, gate, anvil);
            throw e;
        }
    }

    private static void save(NpmPackages npm, int port, Path entry, DevnetDeployer.Options options) {
        Path staging = entry.resolveSibling(entry.getFileName() + ".staging-" + ProcessHandle.current().pid());
        try {
            if (java.nio.file.Files.exists(staging)) {
                DevnetStateCache.delete(staging);
            }
            java.nio.file.Files.createDirectories(staging);
        } catch (java.io.IOException e) {
            throw new DevnetException("cannot create " + staging + ": " + e.getMessage(), e);
        }
        Path state = staging.resolve("node").resolve("anvil-state.json");
        LOG.info("devnet not saved yet for {}: deploying, then saving to {}", options.key(), entry);
        UniswapArtifacts artifacts = UniswapArtifacts.load(npm);
        var multicall = Multicall3Artifact.load(npm);
        AnvilProcess anvil = AnvilProcess.start(npm.anvil(), port, staging.resolve("node"), java.util.List.of("--dump-state", state.toString()));
        // a block of hundreds of mints into large pools can take Anvil minutes on a busy machine
        try (EthClient eth = EthClient.open(anvil.httpUrl(), io.poolstate.eth.rpc.RetryPolicy.DEFAULT.withTimeout(java.time.Duration.ofMinutes(10)))) {
            Address trader = Address.of(eth.rpc().call("eth_accounts").get(0).asText());
            DevChain chain = new DevChain(eth, trader, BLOCK_INTERVAL);
            Deployment d = DevnetDeployer.deploy(chain, artifacts, options.hookedPools() ? V4TestHookArtifacts.load(npm) : null, multicall, options,
                    anvil.httpUrl(), anvil.wsUrl(), anvil.ipcUrl());
            DeploymentFile.write(d, staging);
        } finally {
            anvil.close();
        }
        if (!java.nio.file.Files.isRegularFile(state)) {
            throw new DevnetException("Anvil did not write its state to " + state + " when stopped");
        }
        try {
            DevnetStateCache.compact(state, staging.resolve(DevnetStateCache.STATE));
            DevnetStateCache.delete(staging.resolve("node"));
        } catch (java.io.IOException e) {
            throw new DevnetException("cannot clean " + staging + ": " + e.getMessage(), e);
        }
        DevnetStateCache.publish(staging, entry);
    }

    public Deployment deployment() {
        return deployment;
    }

    /** The transaction driver; one thread at a time. */
    public DevChain chain() {
        return chain;
    }

    public EthClient eth() {
        return eth;
    }

    public AnvilProcess anvil() {
        return anvil;
    }

    /** The gate every HTTP request of the devnet goes through. */
    public AnvilGate gate() {
        return gate;
    }

    @Override
    public void close() {
        closeAll(eth, gate, anvil);
    }

    /** Closes what was opened (nulls skipped), Anvil last and whatever the others throw. */
    private static void closeAll(EthClient eth, AnvilGate gate, AnvilProcess anvil) {
        try {
            if (eth != null) {
                eth.close();
            }
        } finally {
            try {
                if (gate != null) {
                    gate.close();
                }
            } finally {
                anvil.close();
            }
        }
    }
}
