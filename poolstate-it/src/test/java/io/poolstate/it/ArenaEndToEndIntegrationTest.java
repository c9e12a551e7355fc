package io.poolstate.it;

import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.PoolCatalog;
import static org.assertj.core.api.Assertions.assertThat;

import com.esaulpaugh.headlong.abi.Tuple;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolstate.arena.http.ArenaHttpServer;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.scrape.StorageReads;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.testkit.RpcCall;
import io.poolstate.testkit.RpcFault;
import io.poolstate.testkit.RpcFaultProxy;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The arena starts while traffic runs (the scrape spans several blocks), then for 300 blocks with reorgs every
 * pool the API serves equals the chain at the API's block, and its quotes equal QuoterV2 there.
 */
class ArenaEndToEndIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void apiEqualsTheChainAfterEveryBlock(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        long seed = Long.getLong("poolstate.seed", 33L);
        System.out.println("arena seed=" + seed);
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), DevnetDeployer.Options.defaults());
             ArenaFixture f = new ArenaFixture(devnet, dir.resolve("feed.sock"), seed, 25);
             RpcFaultProxy slowLens = RpcFaultProxy.start(devnet.deployment().httpUrl(), seed);
             EthClient arenaNode = EthClient.open(slowLens.url())) {
            // the storage lens reads 30 pools in a few tens of milliseconds; delayed, the start-up read spans several blocks
            slowLens.add(new SlowLensCalls(Duration.ofMillis(200)));
            ArenaMetrics metrics = new ArenaMetrics();
            try (ArenaAgent arena = new ArenaAgent(arenaNode, Multicall3.CANONICAL, f.socket, PoolCatalog.of(f.d.pools()), ArenaAgent.Settings.DEFAULT, metrics).start();
                 io.poolstate.arena.ChainWatch watch = new io.poolstate.arena.ChainWatch(devnet.eth(), io.poolstate.arena.ChainWatch.Settings.DEFAULT).start();
                 ArenaHttpServer api = new ArenaHttpServer("127.0.0.1", 0, arena::view, v -> watch.freshness(v.blockNumber(), arena.lastAdvanceNanos()), metrics).start()) {
                String base = "http://127.0.0.1:" + api.address().getPort();
                waitFor(() -> arena.view().mode() == ArenaMode.LIVE, "arena live");
                long liveAt = arena.view().blockNumber();
                long pinned = arena.view().scrapedAt().values().iterator().next();
                System.out.println("arena: scraped at block " + pinned + ", live at block " + liveAt);
                assertThat(liveAt - pinned).as("blocks that arrived while scraping and were replayed").isGreaterThanOrEqualTo(2);
                f.stepwise();

                PoolScraper scraper = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT.withStorageReads(StorageReads.CALLS));
                SplittableRandom r = new SplittableRandom(seed);
                int quotes = 0;
                int agreements = 0;
                for (int i = 0; i < 300; i++) {
                    f.step();
                    BlockHeader head = devnet.eth().latestHeader();
                    waitFor(() -> arena.view().blockHash().equals(head.hash()), "arena at block " + head.number());
                    JsonNode status = get(base + "/v1/status");
                    assertThat(status.path("block_number").asLong()).isEqualTo(head.number());
                    ScrapeResult chain = scraper.scrape(f.d.pools(), BlockRef.hash(head.hash()), head.number());
                    assertThat(chain.failures()).isEmpty();
                    for (PoolDescriptor p : f.d.pools()) {
                        JsonNode served = get(base + "/v1/pools/" + p.id().toString().toUpperCase().replace("0X", "0x"));
                        assertThat(served.path("block_number").asLong()).isEqualTo(head.number());
                        assertThat(render(served)).as("pool %s at block %d", p.id(), head.number())
                                .isEqualTo(render(chain.states().get(p.id()).snapshot()));
                    }
                    for (int k = 0; k < 3; k++) {
                        quotes += quote(base, devnet, f, r, head) ? 1 : 0;
                        agreements++;
                    }
                }
                System.out.println("arena: 300 blocks compared, " + agreements + " quotes agree with QuoterV2 (" + quotes + " equal amounts, the rest"
                        + " refused by both), reverted blocks=" + metrics.blocksReverted.count()
                        + ", rescrapes=" + metrics.rescrapes.count());
                assertThat(metrics.blocksReverted.count()).as("reorgs went through the journal").isPositive();
                assertThat(agreements).isEqualTo(900);
                assertThat(quotes).as("quotes with amounts").isGreaterThanOrEqualTo(450);
            }
        }
    }

    /** A random V3 quote from the API against QuoterV2 at the same block; false when both refuse it. */
    private boolean quote(String base, Devnet devnet, ArenaFixture f, SplittableRandom r, BlockHeader head) throws Exception {
        List<PoolDescriptor> v3 = f.d.pools(Protocol.UNISWAP_V3);
        PoolDescriptor p = v3.get(r.nextInt(v3.size()));
        boolean zeroForOne = r.nextBoolean();
        boolean exactIn = r.nextBoolean();
        BigInteger amount = BigInteger.TEN.pow(3 + r.nextInt(22));
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/pools/" + p.id() + "/quote?zero_for_one=" + zeroForOne
                + (exactIn ? "&amount_in=" : "&amount_out=") + amount)).build(), HttpResponse.BodyHandlers.ofString());
        var in = zeroForOne ? p.token0() : p.token1();
        var out = zeroForOne ? p.token1() : p.token0();
        String fn = exactIn ? "quoteExactInputSingle((address,address,uint256,uint24,uint160))" : "quoteExactOutputSingle((address,address,uint256,uint24,uint160))";
        List<Multicall3.Result> chain = new Multicall3(devnet.eth()).aggregate(List.of(new Multicall3.Call(f.d.contracts().quoterV2(),
                Abi.call(fn, Tuple.from(Abi.addr(in.address()), Abi.addr(out.address()), amount, p.fee(), BigInteger.ZERO)))), BlockRef.hash(head.hash()));
        JsonNode q = JSON.readTree(res.body());
        boolean apiQuoted = res.statusCode() == 200 && (exactIn || q.path("complete").asBoolean());
        assertThat(apiQuoted).as("API %s and QuoterV2 %s agree on whether %s can be quoted: %s", res.statusCode(), chain.get(0).success(),
                p.id(), res.body()).isEqualTo(chain.get(0).success());
        if (!apiQuoted) {
            return false;
        }
        Tuple t = Abi.decode("q()", "(uint256,uint160,uint32,uint256)", chain.get(0).returnData());
        String expected = ((BigInteger) t.get(0)).toString();
        assertThat(exactIn ? q.path("amount_out").asText() : q.path("amount_in").asText()).as("quote %s", res.body()).isEqualTo(expected);
        assertThat(q.path("sqrt_price_x96_after").asText()).isEqualTo(t.get(1).toString());
        assertThat(q.path("block_number").asLong()).isEqualTo(head.number());
        return true;
    }

    private static String render(JsonNode n) {
        StringBuilder sb = new StringBuilder();
        for (String field : List.of("reserve0", "reserve1", "sqrt_price_x96", "tick", "liquidity", "lp_fee", "protocol_fee")) {
            if (n.has(field)) {
                sb.append(field).append('=').append(n.get(field).asText()).append(' ');
            }
        }
        n.path("ticks").forEach(t -> sb.append(t.path("tick").asInt()).append(':').append(t.path("liquidity_gross").asText()).append('/')
                .append(t.path("liquidity_net").asText()).append(' '));
        return sb.toString();
    }

    private static String render(PoolSnapshot s) {
        StringBuilder sb = new StringBuilder();
        switch (s) {
            case PoolSnapshot.V2 v -> sb.append("reserve0=").append(v.reserve0()).append(" reserve1=").append(v.reserve1()).append(' ');
            case PoolSnapshot.Concentrated c -> {
                sb.append("sqrt_price_x96=").append(c.sqrtPriceX96()).append(" tick=").append(c.tick()).append(" liquidity=").append(c.liquidity()).append(' ');
                if (c.isV4()) {
                    sb.append("lp_fee=").append(c.fee()).append(" protocol_fee=").append(c.protocolFee()).append(' ');
                }
                c.ticks().forEach((t, i) -> sb.append(t).append(':').append(i.liquidityGross()).append('/').append(i.liquidityNet()).append(' '));
            }
        }
        return sb.toString();
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as("GET %s: %s", url, res.body()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    static void waitFor(java.util.function.BooleanSupplier cond, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code eth_call}s that carry a state override (the storage lens) forwarded after {@code delay}. */
    private record SlowLensCalls(Duration delay) implements RpcFault {
        @Override
        public String name() {
            return "lens eth_call delayed";
        }

        @Override
        public boolean targets(RpcCall call) {
            return call.isCallWithStateOverride();
        }

        @Override
        public Before before(RpcCall call, java.util.Random random) {
            return new Before.Delay(delay);
        }
    }
}
