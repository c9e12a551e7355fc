package io.poolstate.bench;

import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ArenaView;
import io.poolstate.arena.ChainWatch;
import io.poolstate.arena.http.ArenaHttpServer;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.traffic.TrafficGenerator;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.route.RouteAnswer;
import io.poolstate.dex.route.RouteSearch;
import io.poolstate.dex.route.TokenGraph;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.eth.Address;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.BlockRef;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Route search latency over a 1,000-pool devnet: the pools (after traffic) read at one block, the token graph built
 * once, then random 3-hop searches between random tokens — exact input and exact output, single and split — timed one
 * by one on this thread (the library call), and the same requests through {@code GET /v1/route} on an arena API
 * serving that state (search plus JSON plus loopback HTTP). Usage:
 * {@code java -cp benchmarks.jar io.poolstate.bench.RouteHarness [pools] [searches]}.
 */
public final class RouteHarness {
    private RouteHarness() {
    }

    private record Ask(Address in, Address out, boolean exactInput, BigInteger amount, boolean split) {
    }

    public static void main(String[] args) throws Exception {
        int pools = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int searches = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Path dir = Files.createTempDirectory("route-bench");
        try (Devnet devnet = Devnet.start(28547, dir, new DevnetDeployer.Options(pools, 6, 1))) {
            Deployment d = devnet.deployment();
            new TrafficGenerator(devnet.chain(), d, new TrafficGenerator.Options(20, 1, 20, 0, 1)).run((n, txs) -> { });
            devnet.chain().mineEmpty();
            BlockHeader head = devnet.eth().latestHeader();
            ScrapeResult read = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT).scrape(d.pools(),
                    BlockRef.hash(head.hash()), head.number());
            Map<PoolId, PoolSnapshot> snapshots = new HashMap<>();
            read.states().forEach((id, s) -> snapshots.put(id, s.snapshot()));
            ArenaView view = new ArenaView(d.chainId(), ArenaMode.LIVE, head.number(), head.hash(), Map.copyOf(snapshots), Map.of(), Map.of(),
                    snapshots.size(), 0, 0, 0);

            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            List<Long> build = new ArrayList<>();
            List<Long> buildCpu = new ArrayList<>();
            TokenGraph g = null;
            for (int i = 0; i < 400; i++) {
                long c0 = cpu.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                g = TokenGraph.of(view.pools().values());
                if (i >= 200) {
                    build.add(System.nanoTime() - t0);
                    buildCpu.add(cpu.getCurrentThreadCpuTime() - c0);
                }
            }
            System.out.printf("pools=%d read=%d failed=%d tokens=%d routable pools=%d block=%d; token graph built once per view: median %s wall, %s CPU%n",
                    d.pools().size(), snapshots.size(), read.failures().size(), g.tokenCount(), g.poolCount(), head.number(), fmt(pct(build, 0.5)),
                    fmt(pct(buildCpu, 0.5)));

            List<Token> tokens = new ArrayList<>(d.tokens());
            tokens.add(new Token(Address.ZERO, 18, "ETH"));
            SplittableRandom r = new SplittableRandom(5);
            List<Ask> asks = new ArrayList<>();
            for (int i = 0; i < searches; i++) {
                Token a = tokens.get(r.nextInt(tokens.size()));
                Token z;
                do {
                    z = tokens.get(r.nextInt(tokens.size()));
                } while (z.equals(a));
                boolean exactIn = r.nextBoolean();
                int dec = (exactIn ? a : z).decimals();
                asks.add(new Ask(a.address(), z.address(), exactIn, BigInteger.TEN.pow(Math.max(0, dec - 3 + r.nextInt(5))).multiply(BigInteger.valueOf(1 + r.nextInt(9))),
                        false));
            }
            RouteSearch search = new RouteSearch();
            for (boolean split : new boolean[] {false, true}) {
                List<Ask> some = split ? asks.subList(0, Math.min(asks.size(), 400)) : asks;
                for (int warm = 0; warm < 2; warm++) {
                    for (Ask q : some) {
                        search.best(g, q.in(), q.out(), q.exactInput(), q.amount(), split, RouteSearch.Settings.DEFAULT);
                    }
                }
                for (boolean exactIn : new boolean[] {true, false}) {
                    List<Long> nanos = new ArrayList<>();
                    List<Long> cpuNanos = new ArrayList<>();
                    long quotes = 0;
                    int found = 0;
                    int[] hops = new int[4];
                    for (Ask q : some) {
                        if (q.exactInput() != exactIn) {
                            continue;
                        }
                        long c0 = cpu.getCurrentThreadCpuTime();
                        long t0 = System.nanoTime();
                        RouteAnswer a = search.best(g, q.in(), q.out(), q.exactInput(), q.amount(), split, RouteSearch.Settings.DEFAULT);
                        nanos.add(System.nanoTime() - t0);
                        cpuNanos.add(cpu.getCurrentThreadCpuTime() - c0);
                        quotes += a.quotes();
                        if (a.found()) {
                            found++;
                            hops[a.routes().getFirst().legs().size()]++;
                        }
                    }
                    System.out.printf("library, 3 hops, %s, %s: %d searches; CPU median %s, p99 %s; wall median %s, p99 %s; %d pool quotes per"
                            + " search on average; found %d (first route 1/2/3 hops: %d/%d/%d)%n", exactIn ? "exact input" : "exact output",
                            split ? "split=2" : "single route", nanos.size(), fmt(pct(cpuNanos, 0.5)), fmt(pct(cpuNanos, 0.99)), fmt(pct(nanos, 0.5)),
                            fmt(pct(nanos, 0.99)), quotes / Math.max(1, nanos.size()), found, hops[1], hops[2], hops[3]);
                }
            }

            try (ArenaHttpServer api = new ArenaHttpServer("127.0.0.1", 0, () -> view, v -> new ChainWatch.Freshness(false, null, v.blockNumber(),
                    v.blockNumber(), 0), new ArenaMetrics()).start()) {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String base = "http://127.0.0.1:" + api.address().getPort() + "/v1/route?";
                for (int pass = 0; pass < 3; pass++) {
                    List<Long> nanos = new ArrayList<>();
                    for (Ask q : asks) {
                        URI uri = URI.create(base + "token_in=" + q.in() + "&token_out=" + q.out() + (q.exactInput() ? "&amount_in=" : "&amount_out=")
                                + q.amount());
                        long t0 = System.nanoTime();
                        HttpResponse<String> res = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                        nanos.add(System.nanoTime() - t0);
                        if (res.statusCode() != 200 && res.statusCode() != 422) {
                            throw new IllegalStateException("route answered " + res.statusCode() + ": " + res.body());
                        }
                    }
                    if (pass == 2) {
                        System.out.printf("HTTP GET /v1/route (3 hops, exact input and output mixed, single route), one client on loopback: %d requests,"
                                + " median %s, p99 %s%n", nanos.size(), fmt(pct(nanos, 0.5)), fmt(pct(nanos, 0.99)));
                    }
                }
            }
        }
    }

    private static long pct(List<Long> v, double p) {
        List<Long> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(p * s.size()) - 1));
    }

    private static String fmt(long nanos) {
        return nanos >= 1_000_000 ? String.format("%.2f ms", nanos / 1e6) : String.format("%.0f µs", nanos / 1e3);
    }
}
