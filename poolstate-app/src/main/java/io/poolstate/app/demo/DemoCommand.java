package io.poolstate.app.demo;

import io.poolstate.app.Home;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.chain.DevChain;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.traffic.TrafficGenerator;
import io.poolstate.eth.rpc.EthClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole system on a local chain. Today: a devnet with live traffic (reorgs included) and its pool events
 * decoded and printed as they are mined. Ctrl-C stops traffic, the event tap and Anvil.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Everything on a local chain: devnet, live traffic, decoded events")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "${env:POOLSTATE_DEVNET_PORT:-8545}", description = "Devnet port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--pools", defaultValue = "30", description = "Pools on the devnet (default: ${DEFAULT-VALUE}).")
    int pools;

    @Option(names = "--txs-per-block", defaultValue = "6", description = "Transactions per block (default: ${DEFAULT-VALUE}).")
    int txsPerBlock;

    @Option(names = "--block-time", defaultValue = "1000", description = "Milliseconds between blocks (default: ${DEFAULT-VALUE}).")
    long blockTimeMs;

    @Option(names = "--reorg-every", defaultValue = "20", description = "Blocks between reorgs, 0 = none (default: ${DEFAULT-VALUE}).")
    int reorgEvery;

    @Option(names = "--blocks", defaultValue = "0", description = "Stop after this many blocks; 0 = run until Ctrl-C (default: ${DEFAULT-VALUE}).")
    int blocks;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for deployment and traffic (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        Path dir = Home.dir().resolve("demo");
        Devnet devnet = Devnet.start(port, dir, new DevnetDeployer.Options(pools, 8, seed));
        EthClient ws = EthClient.open(devnet.deployment().wsUrl());
        EventTapAgent tap = new EventTapAgent(ws, devnet.deployment(), System.out);
        TrafficGenerator traffic = new TrafficGenerator(devnet.chain(), devnet.deployment(),
                new TrafficGenerator.Options(blocks > 0 ? blocks : Integer.MAX_VALUE, seed, txsPerBlock, reorgEvery, 3));
        CountDownLatch done = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean signalled = new java.util.concurrent.atomic.AtomicBoolean();
        Thread hook = new Thread(() -> {
            signalled.set(true);
            traffic.stop();
            awaitQuietly(done);
            stopAll(tap, ws, devnet);
            System.out.println("demo stopped: traffic, event tap and Anvil are down");
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        System.out.printf("demo: devnet on %s with %d pools; deployment in %s%n", devnet.deployment().httpUrl(), devnet.deployment().pools().size(), dir);
        System.out.println("demo: streaming decoded pool events; Ctrl-C to stop");
        tap.start();
        TrafficGenerator.Report report;
        try {
            report = traffic.run(new TrafficGenerator.Listener() {
                @Override
                public void onBlock(long number, List<DevChain.Mined> txs) {
                    sleep(blockTimeMs);
                }
            });
        } finally {
            done.countDown();
        }
        if (signalled.get()) {
            return 0; // the shutdown hook stops everything and says so
        }
        Thread.sleep(300);
        System.out.printf("demo: %d blocks, %d txs (%d reverted), %d reorgs, %d events shown, %d undecodable%n", report.blocks(),
                report.transactions(), report.reverted(), report.reorgs(), tap.events(), tap.malformed());
        Runtime.getRuntime().removeShutdownHook(hook);
        stopAll(tap, ws, devnet);
        return 0;
    }

    private static void stopAll(EventTapAgent tap, EthClient ws, Devnet devnet) {
        tap.close();
        ws.close();
        devnet.close();
    }

    private static void awaitQuietly(CountDownLatch l) {
        try {
            l.await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
