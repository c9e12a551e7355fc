package io.poolstate.bench;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.DevnetStateCache;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.npm.NpmPackages;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.state.ConcentratedPoolState;
import io.poolstate.eth.multicall.Multicall3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The saved large devnet ({@link DevnetStateCache}): deploys it when the cache has no entry for these options (and
 * says how long that took), then starts it from the saved state and reports that time, the state file's size, and
 * the initialised ticks per V3/V4 pool from a full scrape. Usage:
 * {@code java -cp benchmarks.jar io.poolstate.bench.DevnetHarness [pools] [minTicks] [maxTicks]} (defaults 10000 50 500).
 */
public final class DevnetHarness {
    private DevnetHarness() {
    }

    public static void main(String[] args) throws Exception {
        int pools = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int minTicks = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int maxTicks = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        DevnetDeployer.Options options = BigDevnet.options(pools, minTicks, maxTicks);
        DevnetStateCache cache = DevnetStateCache.userDefault();
        Path entry = cache.entry(options, NpmPackages.locate());
        boolean saved = DevnetStateCache.complete(entry);
        Path dir = Files.createTempDirectory("devnet-bench");
        long t0 = System.nanoTime();
        try (Devnet devnet = Devnet.start(30545, dir, options, cache)) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            Deployment d = devnet.deployment();
            System.out.printf("devnet %s: %s in %.1f s; state file %s = %,d bytes; block %d%n", options.key(),
                    saved ? "restored from the saved state" : "deployed, saved and restored", seconds, entry.resolve(DevnetStateCache.STATE),
                    Files.size(entry.resolve(DevnetStateCache.STATE)), devnet.eth().blockNumber());
            t0 = System.nanoTime();
            Devnet.start(30546, dir.resolve("again"), options, cache).close();
            System.out.printf("restore again from the saved state: %.1f s%n", (System.nanoTime() - t0) / 1e9);
            devnet.chain().mineEmpty();
            long block = devnet.eth().blockNumber() - 1;
            t0 = System.nanoTime();
            ScrapeResult r = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT).scrape(d.pools(), block);
            double scrape = (System.nanoTime() - t0) / 1e9;
            int[] ticks = r.states().values().stream().filter(s -> s instanceof ConcentratedPoolState)
                    .mapToInt(s -> ((ConcentratedPoolState) s).ticks().size()).sorted().toArray();
            System.out.printf("pools=%d (v2=%d v3=%d v4=%d) scraped=%d failed=%d in %.1f s (%d requests)%n", d.pools().size(),
                    d.pools(Protocol.UNISWAP_V2).size(), d.pools(Protocol.UNISWAP_V3).size(), d.pools(Protocol.UNISWAP_V4).size(),
                    r.states().size(), r.failures().size(), scrape, r.rpcRequests());
            System.out.printf("initialised ticks per V3/V4 pool: min %d, median %d, p90 %d, max %d, total %,d%n", ticks[0], ticks[ticks.length / 2],
                    ticks[ticks.length * 9 / 10], ticks[ticks.length - 1], Arrays.stream(ticks).asLongStream().sum());
        }
    }
}
