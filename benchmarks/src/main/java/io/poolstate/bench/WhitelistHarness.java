package io.poolstate.bench;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.whitelist.WhitelistMetrics;
import io.poolstate.whitelist.WhitelistRunner;
import io.poolstate.whitelist.discovery.PoolIndexer;
import io.poolstate.whitelist.filter.LiquidityFilter;
import io.poolstate.whitelist.publish.WhitelistPublisher;
import io.poolstate.postgres.Database;
import io.poolstate.whitelist.store.WhitelistStore;
import io.poolstate.whitelist.token.TokenListSource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whitelist pipeline on a 1,000-pool devnet with the local Postgres and NATS: the first run (full list) and
 * a second run after two pools changed (one drained, one refilled), with message sizes and stage times.
 * Usage: {@code java -cp benchmarks.jar io.poolstate.bench.WhitelistHarness [pools]}.
 */
public final class WhitelistHarness {
    private WhitelistHarness() {
    }

    public static void main(String[] args) throws Exception {
        int poolCount = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path dir = Files.createTempDirectory("whitelist-bench");
        String schema = "wl_bench_" + Long.toHexString(System.nanoTime());
        String chain = "bench" + System.currentTimeMillis();
        try (Devnet devnet = Devnet.start(30545, dir.resolve("devnet"), new DevnetDeployer.Options(poolCount, 6, 1));
             Database db = Database.open("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", null, schema, WhitelistStore.MIGRATIONS);
             Connection nc = Nats.connect("nats://127.0.0.1:4222")) {
            var d = devnet.deployment();
            WhitelistRunner runner = runner(devnet, devnet.eth(), db, new WhitelistPublisher(nc, chain), chain, dir);
            long t0 = System.nanoTime();
            WhitelistRunner.Report first = runner.runOnce();
            double s1 = (System.nanoTime() - t0) / 1e9;
            System.out.printf("run 1: %d candidates, %d kept, full list published in %.2f s; stages (ms) %s; message bytes minimal=%d full=%d%n",
                    first.candidates(), first.kept(), s1, first.stageMillis(), first.sent().get(0).minimalBytes(), first.sent().get(0).fullBytes());

            List<PoolDescriptor> v2 = d.pools(Protocol.UNISWAP_V2);
            var kept = first.published().get(0).poolIds();
            PoolDescriptor drained = v2.stream().filter(p -> kept.contains(p.id())).findFirst().orElseThrow();
            removeAll(devnet, drained);
            t0 = System.nanoTime();
            WhitelistRunner.Report second = runner.runOnce();
            double s2 = (System.nanoTime() - t0) / 1e9;
            System.out.printf("run 2 (one pool drained): %d kept, %d added, %d removed in %.2f s; stages (ms) %s%n", second.kept(), second.added(),
                    second.removed(), s2, second.stageMillis());
            for (int i = 0; i < second.published().size(); i++) {
                System.out.printf("  %s message: minimal=%d bytes, full=%d bytes (full list: minimal=%d, full=%d)%n", second.published().get(i).type(),
                        second.sent().get(i).minimalBytes(), second.sent().get(i).fullBytes(), first.sent().get(0).minimalBytes(), first.sent().get(0).fullBytes());
            }
            refill(devnet, drained);
            removeAll(devnet, v2.stream().filter(p -> kept.contains(p.id()) && !p.equals(drained)).findFirst().orElseThrow());
            WhitelistRunner.Report third = runner.runOnce();
            System.out.printf("run 3 (2 pools changed: one refilled, one drained): %d added, %d removed%n", third.added(), third.removed());
            for (int i = 0; i < third.published().size(); i++) {
                System.out.printf("  %s message: minimal=%d bytes, full=%d bytes%n", third.published().get(i).type(), third.sent().get(i).minimalBytes(),
                        third.sent().get(i).fullBytes());
            }
        }
    }

    /**
     * The whitelist pipeline as the launcher builds it, on a devnet: a token list of the devnet's tokens (each also
     * listed on two other chains, so that {@code --min-chains 2} keeps it), discovery from block 0 of the devnet's V2
     * and V3 factories and PoolManager through {@code discovery} (the devnet's node, or a {@link CreationLogServer} in
     * front of a restored one) into {@code db}, the liquidity filter at 1 USD active and 1 USD depth within 2 %
     * (USDC and DAI priced 1 USD; WETH and USDC base tokens), snapshots in {@code db}, publication by {@code publisher}.
     */
    static WhitelistRunner runner(Devnet devnet, EthClient discovery, Database db, WhitelistPublisher publisher, String chain, Path dir)
            throws java.io.IOException {
        var d = devnet.deployment();
        StringBuilder list = new StringBuilder("{\"name\":\"bench\",\"tokens\":[");
        for (var t : d.tokens()) {
            for (long id : new long[] {1, 10, d.chainId()}) {
                list.append("{\"chainId\":").append(id).append(",\"address\":\"").append(id == d.chainId() ? t.address() : "0x" + "3".repeat(40))
                        .append("\",\"symbol\":\"").append(t.symbol()).append("\",\"decimals\":").append(t.decimals()).append("},");
            }
        }
        list.setLength(list.length() - 1);
        Files.writeString(dir.resolve("tokens.json"), list.append("]}"));
        var usdc = d.tokens().get(1).address();
        var dai = d.tokens().get(3).address();
        return new WhitelistRunner(devnet.eth(), List.of(new TokenListSource(dir.resolve("tokens.json"), d.chainId(), 2)),
                new PoolIndexer(discovery, db.dataSource(), chain, new PoolIndexer.Factories(List.of(d.contracts().v2Factory()),
                        List.of(d.contracts().v3Factory()), List.of(d.contracts().poolManager())), 0, 0),
                new LiquidityFilter(new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT),
                        new LiquidityFilter.Thresholds(BigDecimal.ONE, BigDecimal.ONE, 2)),
                new WhitelistStore(db.dataSource(), chain), publisher,
                new WhitelistRunner.Config(chain, Map.of(usdc, BigDecimal.ONE, dai, BigDecimal.ONE), Set.of(d.contracts().weth(), usdc), Duration.ofDays(1)),
                new WhitelistMetrics());
    }

    /** Removes all of the trader's liquidity from V2 pair {@code pair} (its reserves drop to the locked minimum) and mines it. */
    static void removeAll(Devnet devnet, PoolDescriptor pair) {
        var d = devnet.deployment();
        BigInteger lp = Abi.decode("balanceOf(address)", "(uint256)", devnet.eth().call(pair.id().address(),
                Abi.call("balanceOf(address)", Abi.addr(d.trader())), BlockRef.latest())).get(0);
        devnet.chain().queue("drain", d.contracts().v2Router(), Abi.call("removeLiquidity(address,address,uint256,uint256,uint256,address,uint256)",
                Abi.addr(pair.token0().address()), Abi.addr(pair.token1().address()), lp, BigInteger.ZERO, BigInteger.ZERO, Abi.addr(d.trader()),
                Abi.MAX_UINT256), null, 5_000_000);
        devnet.chain().mineAll(10);
    }

    /** Adds 10^6 whole tokens of each side to V2 pair {@code pair} and mines it. */
    static void refill(Devnet devnet, PoolDescriptor pair) {
        var d = devnet.deployment();
        BigInteger a = BigInteger.TEN.pow(pair.token0().decimals() + 6);
        BigInteger b = BigInteger.TEN.pow(pair.token1().decimals() + 6);
        devnet.chain().queue("refill", d.contracts().v2Router(), Abi.call("addLiquidity(address,address,uint256,uint256,uint256,uint256,address,uint256)",
                Abi.addr(pair.token0().address()), Abi.addr(pair.token1().address()), a, b, BigInteger.ZERO, BigInteger.ZERO, Abi.addr(d.trader()),
                Abi.MAX_UINT256), null, 5_000_000);
        devnet.chain().mineAll(10);
    }
}
