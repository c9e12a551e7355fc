package io.poolstate.devnet;

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
 * written to {@code dir} ({@link DeploymentFile}). Closing it stops Anvil.
 */
public final class Devnet implements AutoCloseable {
    /** Seconds between devnet block timestamps. */
    public static final long BLOCK_INTERVAL = 12;

    private final AnvilProcess anvil;
    private final EthClient eth;
    private final DevChain chain;
    private final Deployment deployment;

    private Devnet(AnvilProcess anvil, EthClient eth, DevChain chain, Deployment deployment) {
        this.anvil = anvil;
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
        EthClient eth = EthClient.open(anvil.httpUrl());
        try {
            Address trader = Address.of(eth.rpc().call("eth_accounts").get(0).asText());
            DevChain chain = new DevChain(eth, trader, BLOCK_INTERVAL);
            Deployment d = DevnetDeployer.deploy(chain, artifacts, options.hookedPools() ? V4TestHookArtifacts.load(npm) : null, multicall, options,
                    anvil.httpUrl(), anvil.wsUrl(), anvil.ipcUrl());
            DeploymentFile.write(d, dir);
            return new Devnet(anvil, eth, chain, d);
        } catch (RuntimeException e) {
            eth.close();
            anvil.close();
            throw e;
        }
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

    @Override
    public void close() {
        eth.close();
        anvil.close();
    }
}
