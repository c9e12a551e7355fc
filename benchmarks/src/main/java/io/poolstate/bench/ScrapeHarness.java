package io.poolstate.bench;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.traffic.TrafficGenerator;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.state.ConcentratedPoolState;
import io.poolstate.eth.Hex;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.JsonRpcClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Scrape throughput on a 1,000-pool devnet, next to what the node itself does in the same run: plain
 * {@code eth_call}s per second (JSON-RPC batches of 500 {@code slot0()} calls) and Multicall3 sub-calls per
 * second (the same calls through {@code aggregate3}). Usage:
 * {@code java -cp benchmarks.jar io.poolstate.bench.ScrapeHarness [pools] [runs]}.
 */
public final class ScrapeHarness {
    private ScrapeHarness() {
    }

    public static void main(String[] args) throws Exception {
        int pools = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("scrape-bench");
        try (Devnet devnet = Devnet.start(28545, dir, new DevnetDeployer.Options(pools, 6, 1))) {
            Deployment d = devnet.deployment();
            new TrafficGenerator(devnet.chain(), d, new TrafficGenerator.Options(20, 1, 20, 0, 1)).run((n, txs) -> { });
            long block = devnet.eth().blockNumber();
            devnet.chain().mineEmpty();

            var v3 = d.pools(Protocol.UNISWAP_V3);
            List<JsonRpcClient.Call> plain = new ArrayList<>();
            List<Multicall3.Call> sub = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                var pool = v3.get(i % v3.size()).id().address();
                plain.add(new JsonRpcClient.Call("eth_call", List.of(Map.of("to", pool.toString(), "data", "0x3850c7bd"), Hex.quantity(block))));
                sub.add(new Multicall3.Call(pool, Hex.decode("0x3850c7bd")));
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < plain.size(); i += 500) {
                devnet.eth().rpc().batch(plain.subList(i, i + 500));
            }
            double plainRate = plain.size() / ((System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            new Multicall3(devnet.eth(), Multicall3.CANONICAL, 500, 2).aggregate(sub, BlockRef.number(block));
            double subRate = sub.size() / ((System.nanoTime() - t0) / 1e9);

            PoolScraper scraper = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT);
            double[] seconds = new double[runs];
            ScrapeResult last = null;
            for (int r = 0; r < runs; r++) {
                t0 = System.nanoTime();
                last = scraper.scrape(d.pools(), block);
                seconds[r] = (System.nanoTime() - t0) / 1e9;
            }
            Arrays.sort(seconds);
            long ticks = last.states().values().stream().filter(s -> s instanceof ConcentratedPoolState)
                    .mapToLong(s -> ((ConcentratedPoolState) s).ticks().size()).sum();
            long subCalls = estimateSubCalls(d);
            double median = seconds[runs / 2];
            System.out.printf("pools=%d (v2=%d v3=%d v4=%d) scraped=%d failed=%d initialised_ticks=%d block=%d%n", d.pools().size(),
                    d.pools(Protocol.UNISWAP_V2).size(), v3.size(), d.pools(Protocol.UNISWAP_V4).size(), last.states().size(),
                    last.failures().size(), ticks, block);
            System.out.printf("scrape: median %.2f s (min %.2f, max %.2f) over %d runs = %.0f pools/s, %d JSON-RPC requests%n", median,
                    seconds[0], seconds[runs - 1], runs, d.pools().size() / median, last.rpcRequests());
            System.out.printf("scrape calls: about %d sub-calls = %.0f sub-calls/s%n", subCalls, subCalls / median);
            System.out.printf("node: %.0f eth_call/s (batches of 500 plain calls), %.0f sub-calls/s through Multicall3%n", plainRate, subRate);
            System.out.printf("ratio: scraper sub-call rate / node multicall sub-call rate = %.2f%n", subCalls / median / subRate);
        }
    }

    /** Round-one and round-two calls the scraper makes (bitmap words dominate for small tick spacings). */
    private static long estimateSubCalls(Deployment d) {
        long n = 0;
        for (var p : d.pools()) {
            switch (p.protocol()) {
                case UNISWAP_V2 -> n += 1;
                case UNISWAP_V3 -> n += 4 + words(p.tickSpacing());
                case UNISWAP_V4 -> n += 1 + (words(p.tickSpacing()) + 999) / 1000;
            }
        }
        return n;
    }

    private static long words(int spacing) {
        return Math.floorDiv(Math.floorDiv(887272, spacing), 256) - Math.floorDiv(Math.floorDiv(-887272, spacing), 256) + 1;
    }
}
