package io.poolstate.app.devnet;

import io.poolstate.app.Home;
import io.poolstate.devnet.DevnetException;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.chain.DevChain;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.DeploymentFile;
import io.poolstate.devnet.traffic.TrafficGenerator;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.RetryPolicy;
import io.poolstate.eth.rpc.RpcException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Generates deterministic traffic on a running devnet. */
@Command(name = "traffic", mixinStandardHelpOptions = true, description = "Mine blocks of random swaps, mints, burns, donations and reorgs on a running devnet.")
public final class DevnetTrafficCommand implements Callable<Integer> {
    @Option(names = "--blocks", required = true, description = "Blocks to mine (replacement blocks of a reorg count).")
    int blocks;

    @Option(names = "--seed", required = true, description = "Random seed: the same seed on the same deployment gives the same traffic.")
    long seed;

    @Option(names = "--txs-per-block", defaultValue = "8", description = "Transactions per block (default: ${DEFAULT-VALUE}).")
    int txsPerBlock;

    @Option(names = "--reorg-every", defaultValue = "0", description = "Reorganise the chain every R blocks; 0 = never (default: ${DEFAULT-VALUE}).")
    int reorgEvery;

    @Option(names = "--max-reorg-depth", defaultValue = "3", description = "Deepest reorg in blocks (default: ${DEFAULT-VALUE}).")
    int maxReorgDepth;

    @Option(names = "--block-time", defaultValue = "0", description = "Wall-clock pause between blocks in milliseconds (default: ${DEFAULT-VALUE}).")
    long blockTimeMs;

    @Option(names = "--dir", description = "The devnet's directory (default: .poolstate/devnet).")
    Path dir;

    @Override
    public Integer call() {
        Deployment d = DeploymentFile.read(dir != null ? dir : Home.devnet());
        try (EthClient eth = EthClient.open(d.httpUrl(), RetryPolicy.DEFAULT.withMaxAttempts(2))) {
            try {
                eth.chainId();
            } catch (RpcException e) {
                throw new DevnetException("no devnet answers at " + d.httpUrl() + ": start one with `./poolstate devnet up`");
            }
            DevChain chain = new DevChain(eth, d.trader(), Devnet.BLOCK_INTERVAL);
            TrafficGenerator g = new TrafficGenerator(chain, d, new TrafficGenerator.Options(blocks, seed, txsPerBlock, reorgEvery, maxReorgDepth));
            TrafficGenerator.Report r = g.run(new TrafficGenerator.Listener() {
                @Override
                public void onBlock(long number, List<DevChain.Mined> txs) {
                    long failed = txs.stream().filter(m -> !m.success()).count();
                    System.out.printf("block %d: %d txs (%d reverted)%n", number, txs.size(), failed);
                    pause();
                }

                @Override
                public void onReorg(int depth, long newHead) {
                    System.out.printf("reorg: rolled back %d block(s) to %d%n", depth, newHead);
                }
            });
            System.out.printf("traffic done: blocks=%d txs=%d reverted=%d reorgs=%d deepest=%d%n", r.blocks(), r.transactions(),
                    r.reverted(), r.reorgs(), r.deepestReorg());
            r.actions().forEach((k, v) -> System.out.printf("  %-36s %d%n", k, v));
        }
        return 0;
    }

    private void pause() {
        if (blockTimeMs > 0) {
            try {
                Thread.sleep(Duration.ofMillis(blockTimeMs));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
