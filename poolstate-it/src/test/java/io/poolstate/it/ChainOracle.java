package io.poolstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.esaulpaugh.headlong.abi.Tuple;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.scrape.StorageReads;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The chain as the judge of what an arena's API serves: every pool against a fresh read pinned at the served
 * block, and quotes against the periphery (QuoterV2 for V3, the V2 router for V2) called at that block.
 */
final class ChainOracle {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final EthClient eth;
    private final Deployment d;
    private final PoolScraper scraper;

    ChainOracle(EthClient eth, Deployment d) {
        this.eth = eth;
        this.d = d;
        this.scraper = new PoolScraper(eth, Multicall3.CANONICAL, ScrapeSettings.DEFAULT.withStorageReads(StorageReads.CALLS));
    }

    /** What the API at {@code base} serves, each pool compared with a read at the block it names; the differences. */
    List<String> differences(String base, List<PoolDescriptor> pools, long block, Bytes32 hash) throws Exception {
        ScrapeResult chain = scraper.scrape(pools, BlockRef.hash(hash), block);
        assertThat(chain.failures()).as("the oracle's own read at block %d", block).isEmpty();
        List<String> diffs = new ArrayList<>();
        for (PoolDescriptor p : pools) {
            JsonNode served = get(base + "/v1/pools/" + p.id());
            if (served == null) {
                diffs.add(p.id() + " not served");
                continue;
            }
            if (served.path("block_number").asLong() != block || !served.path("block_hash").asText().equals(hash.toString())) {
                diffs.add(p.id() + " served at block " + served.path("block_number").asLong() + " not " + block);
                continue;
            }
            String want = render(chain.states().get(p.id()).snapshot());
            String got = render(served);
            if (!want.equals(got)) {
                diffs.add(p.id() + " at block " + block + ": served " + got + " chain " + want);
            }
        }
        return diffs;
    }

    /**
     * {@code n} random quotes from the API (V2 and V3 pools among {@code pools}) against the periphery at the
     * served block; returns how many had amounts (the rest were refused by both). Fails on any disagreement.
     */
    int quotes(String base, List<PoolDescriptor> pools, long block, Bytes32 hash, int n, SplittableRandom r) throws Exception {
        return quotes(base, pools, block, hash, n, r, false);
    }

    /** As {@link #quotes}, asking the API for its answer at {@code block} ({@code ?block=N}) when {@code pinned}. */
    int quotes(String base, List<PoolDescriptor> pools, long block, Bytes32 hash, int n, SplittableRandom r, boolean pinned) throws Exception {
        List<PoolDescriptor> quotable = pools.stream().filter(p -> p.protocol() != Protocol.UNISWAP_V4).toList();
        int amounts = 0;
        for (int i = 0; i < n && !quotable.isEmpty(); i++) {
            amounts += quote(base, quotable.get(r.nextInt(quotable.size())), block, hash, r, pinned) ? 1 : 0;
        }
        return amounts;
    }

    /** What the API at {@code base} served at {@code block} ({@code ?block=N}), each pool compared with a read pinned there. */
    List<String> differencesAt(String base, List<PoolDescriptor> pools, long block, Bytes32 hash) throws Exception {
        ScrapeResult chain = scraper.scrape(pools, BlockRef.hash(hash), block);
        assertThat(chain.failures()).as("the oracle's own read at block %d", block).isEmpty();
        List<String> diffs = new ArrayList<>();
        for (PoolDescriptor p : pools) {
            JsonNode served = get(base + "/v1/pools/" + p.id() + "?block=" + block);
            if (served == null) {
                diffs.add(p.id() + " not served at block " + block);
            } else if (served.path("block_number").asLong() != block || !served.path("block_hash").asText().equals(hash.toString())) {
                diffs.add(p.id() + " answered for block " + served.path("block_number").asLong() + " " + served.path("block_hash").asText() + " not " + block
                        + " " + hash);
            } else if (!render(chain.states().get(p.id()).snapshot()).equals(render(served))) {
                diffs.add(p.id() + " at block " + block + ": served " + render(served) + " chain " + render(chain.states().get(p.id()).snapshot()));
            }
        }
        return diffs;
    }

    private boolean quote(String base, PoolDescriptor p, long block, Bytes32 hash, SplittableRandom r, boolean pinned) throws Exception {
        boolean zeroForOne = r.nextBoolean();
        boolean exactIn = r.nextBoolean();
        BigInteger amount = BigInteger.TEN.pow(3 + r.nextInt(20));
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/pools/" + p.id() + "/quote?zero_for_one=" + zeroForOne
                + (exactIn ? "&amount_in=" : "&amount_out=") + amount + (pinned ? "&block=" + block : ""))).build(), HttpResponse.BodyHandlers.ofString());
        var in = zeroForOne ? p.token0() : p.token1();
        var out = zeroForOne ? p.token1() : p.token0();
        Multicall3.Call call;
        if (p.protocol() == Protocol.UNISWAP_V3) {
            String fn = exactIn ? "quoteExactInputSingle((address,address,uint256,uint24,uint160))" : "quoteExactOutputSingle((address,address,uint256,uint24,uint160))";
            call = new Multicall3.Call(d.contracts().quoterV2(), Abi.call(fn, Tuple.from(Abi.addr(in.address()), Abi.addr(out.address()), amount, p.fee(),
                    BigInteger.ZERO)));
        } else {
            String fn = exactIn ? "getAmountsOut(uint256,address[])" : "getAmountsIn(uint256,address[])";
            call = new Multicall3.Call(d.contracts().v2Router(), Abi.call(fn, amount, new com.esaulpaugh.headlong.abi.Address[] {Abi.addr(in.address()),
                Abi.addr(out.address())}));
        }
        Multicall3.Result chain = new Multicall3(eth).aggregate(List.of(call), BlockRef.hash(hash)).get(0);
        JsonNode q = JSON.readTree(res.body());
        boolean apiQuoted = res.statusCode() == 200 && (exactIn || q.path("complete").asBoolean(true));
        assertThat(apiQuoted).as("API %s and chain %s agree on whether %s can be quoted: %s", res.statusCode(), chain.success(), p.id(), res.body())
                .isEqualTo(chain.success());
        if (!apiQuoted) {
            return false;
        }
        assertThat(q.path("block_number").asLong()).isEqualTo(block);
        String expected;
        if (p.protocol() == Protocol.UNISWAP_V3) {
            Tuple t = Abi.decode("q()", "(uint256,uint160,uint32,uint256)", chain.returnData());
            expected = t.get(0).toString();
            assertThat(q.path("sqrt_price_x96_after").asText()).isEqualTo(t.get(1).toString());
        } else {
            BigInteger[] amounts = Abi.decode("q()", "(uint256[])", chain.returnData()).get(0);
            expected = (exactIn ? amounts[1] : amounts[0]).toString();
        }
        assertThat(exactIn ? q.path("amount_out").asText() : q.path("amount_in").asText()).as("quote %s of %s", res.body(), p.id()).isEqualTo(expected);
        return true;
    }

    /** The API's JSON, or null when the pool is not served (404/503). */
    JsonNode get(String url) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() == 404 || res.statusCode() == 503) {
            return null;
        }
        assertThat(res.statusCode()).as("GET %s: %s", url, res.body()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    static String render(JsonNode n) {
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

    static String render(PoolSnapshot s) {
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
}
