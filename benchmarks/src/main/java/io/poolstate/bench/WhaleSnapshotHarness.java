package io.poolstate.bench;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.devnet.contract.UniswapArtifacts;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.npm.NpmPackages;
import io.poolstate.devnet.whales.WhaleToken;
import io.poolstate.devnet.whales.WhaleTokenSeeder;
import io.poolstate.eth.Address;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.whales.snapshot.BalanceSnapshotter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A whale snapshot of N addresses (ETH + token) against local Anvil: Multicall3 batches (one HTTP request)
 * versus one {@code eth_getBalance} and one {@code balanceOf} call per address, in the same run, same block,
 * results compared. Prints the median of several rounds.
 * Usage: {@code java -cp benchmarks.jar io.poolstate.bench.WhaleSnapshotHarness [addresses] [rounds]}.
 */
public final class WhaleSnapshotHarness {
    private WhaleSnapshotHarness() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Path dir = Files.createTempDirectory("whales-bench");
        try (Devnet devnet = Devnet.start(30547, dir.resolve("devnet"), new DevnetDeployer.Options(3, 1, 1))) {
            WhaleToken w = new WhaleTokenSeeder(devnet.chain(), 7).seed(UniswapArtifacts.load(NpmPackages.locate()).mockErc20(), n,
                    devnet.deployment().contracts().poolManager());
            devnet.chain().mineEmpty();
            EthClient eth = devnet.eth();
            BlockHeader block = eth.header(eth.blockNumber() - 1);
            List<Address> addresses = w.holders().subList(0, n);
            BalanceSnapshotter snapshotter = new BalanceSnapshotter(eth, devnet.deployment().contracts().multicall3(), w.token(), 500, 1);
            long[] multicallNs = new long[rounds];
            long[] singleNs = new long[rounds];
            int requests = 0;
            for (int r = -2; r < rounds; r++) { // two warm-up rounds
                long t0 = System.nanoTime();
                BalanceSnapshotter.Result res = snapshotter.take(addresses, block);
                long t1 = System.nanoTime();
                List<BigInteger[]> single = new ArrayList<>(n);
                for (Address a : addresses) {
                    BigInteger ethBal = eth.balance(a, BlockRef.hash(block.hash()));
                    BigInteger tok = new BigInteger(1, eth.call(w.token(), Abi.call("balanceOf(address)", Abi.addr(a)), BlockRef.hash(block.hash())));
                    single.add(new BigInteger[] {ethBal, tok});
                }
                long t2 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    if (!res.balances().get(i).eth().equals(single.get(i)[0]) || !res.balances().get(i).asset().equals(single.get(i)[1])) {
                        throw new IllegalStateException("multicall and single calls disagree: address=" + addresses.get(i));
                    }
                }
                if (r >= 0) {
                    multicallNs[r] = t1 - t0;
                    singleNs[r] = t2 - t1;
                    requests = res.rpcRequests();
                }
            }
            Arrays.sort(multicallNs);
            Arrays.sort(singleNs);
            System.out.printf("whale snapshot, %d addresses (ETH + token), median of %d rounds:%n", n, rounds);
            System.out.printf("  multicall3 batches of 500: %.1f ms, %d JSON-RPC request(s)%n", multicallNs[rounds / 2] / 1e6, requests);
            System.out.printf("  one call per address and asset: %.1f ms, %d JSON-RPC requests%n", singleNs[rounds / 2] / 1e6, 2 * n);
            System.out.printf("  ratio: %.1fx%n", (double) singleNs[rounds / 2] / multicallNs[rounds / 2]);
        }
    }
}
