package io.poolstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.esaulpaugh.headlong.abi.Tuple;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ChainWatch;
import io.poolstate.arena.PoolCatalog;
import io.poolstate.arena.http.ArenaHttpServer;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.quote.QuoteSupport;
import io.poolstate.dex.v4.V4NodeQuote;
import io.poolstate.dex.v4.V4QuoterClient;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.BlockRef;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routes held to the real periphery: while traffic with reorgs runs over the devnet (hooked V4 pools included), every
 * route the API answers — random pairs and amounts, exact input and output, one to three hops, splits — is checked at
 * the block it names (pinned by hash, the chain standing still): every leg through the V2 router
 * ({@code getAmountsOut/In}), QuoterV2 (single-pool) or V4Quoter, whole V2-only and V3-only routes through the router
 * and QuoterV2's multi-hop paths, so the chain computes each swap of the route on the state of that block. The legs of
 * a route (and the two routes of a split) use distinct pools, so each leg sees exactly that state when the route is
 * executed in sequence. Batch answers equal the single answers at the same block.
 */
class RouteIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    /** One leg as answered, and what the chain must say to it. */
    private record LegCheck(PoolDescriptor pool, Address in, Address out, boolean exactInput, BigInteger amountIn, BigInteger amountOut, String what) {
    }

    @Test
    void routeLegsEqualThePeripheryAtTheServedBlock(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        long seed = Long.getLong("poolstate.seed", 13L);
        System.out.println("route seed=" + seed);
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), DevnetDeployer.Options.defaults().withHookedPools(true));
             ArenaFixture f = new ArenaFixture(devnet, dir.resolve("feed.sock"), seed, 9)) {
            ArenaMetrics metrics = new ArenaMetrics();
            try (ArenaAgent arena = new ArenaAgent(devnet.eth(), Multicall3.CANONICAL, f.socket, PoolCatalog.of(f.d.pools()), ArenaAgent.Settings.DEFAULT,
                    metrics).start();
                 ChainWatch watch = new ChainWatch(devnet.eth(), ChainWatch.Settings.DEFAULT).start();
                 ArenaHttpServer api = new ArenaHttpServer("127.0.0.1", 0, arena::view, v -> watch.freshness(v.blockNumber(), arena.lastAdvanceNanos()),
                         metrics).start()) {
                String base = "http://127.0.0.1:" + api.address().getPort();
                ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().mode() == ArenaMode.LIVE, "arena live");
                f.stepwise();
                Deployment d = f.d;
                Map<PoolId, PoolDescriptor> byId = d.pools().stream().collect(Collectors.toMap(PoolDescriptor::id, p -> p));
                List<Token> tokens = new ArrayList<>(d.tokens());
                tokens.add(new Token(Address.ZERO, 18, "ETH"));
                SplittableRandom r = new SplittableRandom(seed);
                V4QuoterClient v4 = new V4QuoterClient(devnet.eth(), d.contracts().v4Quoter());
                int[] byHops = new int[4];
                int routes = 0;
                int none = 0;
                int exactOutput = 0;
                int splits = 0;
                int legs = 0;
                int wholeRoutes = 0;
                int batched = 0;
                for (int block = 0; block < 40; block++) {
                    f.step();
                    BlockHeader head = devnet.eth().latestHeader();
                    ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().blockHash().equals(head.hash()), "arena at block " + head.number());
                    List<LegCheck> checks = new ArrayList<>();
                    List<Multicall3.Call> whole = new ArrayList<>();
                    List<BigInteger[]> wholeExpect = new ArrayList<>();
                    List<String> queries = new ArrayList<>();
                    List<JsonNode> answers = new ArrayList<>();
                    for (int k = 0; k < 14; k++) {
                        String query = request(r, tokens, d, k % 3);
                        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/route?" + query)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        String what = "seed=" + seed + " block=" + head.number() + " route?" + query + " -> " + res.body();
                        JsonNode n = JSON.readTree(res.body());
                        assertThat(res.statusCode()).as(what).isIn(200, 422);
                        assertThat(n.path("block_hash").asText()).as(what).isEqualTo(head.hash().toString());
                        queries.add(query);
                        answers.add(n);
                        if (res.statusCode() == 422) {
                            none++;
                            continue;
                        }
                        boolean exactIn = n.path("exact").asText().equals("input");
                        BigInteger asked = new BigInteger(query.replaceAll(".*amount_(in|out)=(\\d+).*", "$2"));
                        routes++;
                        exactOutput += exactIn ? 0 : 1;
                        splits += n.path("routes").size() == 2 ? 1 : 0;
                        BigInteger sumIn = BigInteger.ZERO;
                        BigInteger sumOut = BigInteger.ZERO;
                        Set<String> poolsUsed = new LinkedHashSet<>();
                        for (JsonNode route : n.path("routes")) {
                            JsonNode ls = route.path("legs");
                            byHops[ls.size()]++;
                            assertThat(ls.get(0).path("token_in").asText()).as(what).isEqualTo(n.path("token_in").asText());
                            assertThat(ls.get(ls.size() - 1).path("token_out").asText()).as(what).isEqualTo(n.path("token_out").asText());
                            List<PoolDescriptor> path = new ArrayList<>();
                            List<BigInteger> amounts = new ArrayList<>();
                            for (int i = 0; i < ls.size(); i++) {
                                JsonNode l = ls.get(i);
                                PoolDescriptor p = byId.get(PoolId.parse(l.path("pool").asText()));
                                assertThat(p).as(what).isNotNull();
                                assertThat(QuoteSupport.of(p)).as("only exactly quoted pools: " + what).isInstanceOf(QuoteSupport.Exact.class);
                                assertThat(poolsUsed.add(p.id().toString())).as("pools distinct across the answer: " + what).isTrue();
                                if (i > 0) {
                                    assertThat(l.path("amount_in").asText()).as(what).isEqualTo(ls.get(i - 1).path("amount_out").asText());
                                    assertThat(l.path("token_in").asText()).as(what).isEqualTo(ls.get(i - 1).path("token_out").asText());
                                }
                                Address in = Address.of(l.path("token_in").asText());
                                Address out = Address.of(l.path("token_out").asText());
                                assertThat(l.path("zero_for_one").asBoolean()).as(what).isEqualTo(p.token0().address().equals(in));
                                checks.add(new LegCheck(p, in, out, exactIn, new BigInteger(l.path("amount_in").asText()),
                                        new BigInteger(l.path("amount_out").asText()), what));
                                path.add(p);
                                amounts.add(new BigInteger(l.path("amount_in").asText()));
                            }
                            amounts.add(new BigInteger(ls.get(ls.size() - 1).path("amount_out").asText()));
                            if (ls.size() > 1 && wholeRoute(d, path, tokensOf(ls), exactIn, amounts, whole, wholeExpect)) {
                                wholeRoutes++;
                            }
                            sumIn = sumIn.add(new BigInteger(route.path("amount_in").asText()));
                            sumOut = sumOut.add(new BigInteger(route.path("amount_out").asText()));
                        }
                        assertThat(sumIn.toString()).as(what).isEqualTo(n.path("amount_in").asText());
                        assertThat(sumOut.toString()).as(what).isEqualTo(n.path("amount_out").asText());
                        assertThat(exactIn ? sumIn : sumOut).as(what).isEqualTo(asked);
                    }
                    legs += verify(devnet, d, v4, head.hash(), checks, whole, wholeExpect);
                    batched += batch(base, queries, answers, head);
                }
                System.out.println("routes: " + routes + " answered at 40 blocks (" + none + " with no route), legs checked against the periphery " + legs
                        + ", routes by hops 1/2/3 = " + byHops[1] + "/" + byHops[2] + "/" + byHops[3] + ", exact output " + exactOutput + ", splits " + splits
                        + ", whole multi-hop routes through the router or QuoterV2 " + wholeRoutes + ", batch answers equal " + batched
                        + ", reverted blocks " + metrics.blocksReverted.count());
                assertThat(routes).isGreaterThanOrEqualTo(300);
                assertThat(byHops[2]).isGreaterThanOrEqualTo(40);
                assertThat(byHops[3]).isGreaterThanOrEqualTo(40);
                assertThat(exactOutput).isGreaterThanOrEqualTo(100);
                assertThat(splits).isGreaterThanOrEqualTo(5);
                assertThat(wholeRoutes).isGreaterThanOrEqualTo(5);
                assertThat(metrics.blocksReverted.count()).as("reorgs went through").isPositive();
            }
        }
    }

    /**
     * A random route request: {@code shape} 0 any pair; 1 a pair with its direct pools excluded (two hops or more);
     * 2 a chain a–b–c–d whose every shortcut is excluded (three hops).
     */
    private static String request(SplittableRandom r, List<Token> tokens, Deployment d, int shape) {
        List<PoolDescriptor> pools = d.pools();
        Token a;
        Token z;
        Set<PoolId> exclude = new LinkedHashSet<>();
        if (shape == 2) {
            List<Token[]> chains = new ArrayList<>();
            for (Token x : tokens) {
                for (Token y : tokens) {
                    for (Token w : tokens) {
                        for (Token v : tokens) {
                            if (new java.util.HashSet<>(List.of(x, y, w, v)).size() == 4 && connected(pools, x, y) && connected(pools, y, w) && connected(pools, w, v)) {
                                chains.add(new Token[] {x, y, w, v});
                            }
                        }
                    }
                }
            }
            Token[] c = chains.get(r.nextInt(chains.size()));
            a = c[0];
            z = c[3];
            for (PoolDescriptor p : pools) {
                boolean touchesA = touches(p, a);
                boolean touchesZ = touches(p, z);
                if (touchesA && !touches(p, c[1]) || touchesZ && !touches(p, c[2]) || touches(p, c[1]) && touchesZ) {
                    exclude.add(p.id());
                }
            }
        } else {
            a = tokens.get(r.nextInt(tokens.size()));
            do {
                z = tokens.get(r.nextInt(tokens.size()));
            } while (z.equals(a));
            if (shape == 1) {
                for (PoolDescriptor p : pools) {
                    if (touches(p, a) && touches(p, z)) {
                        exclude.add(p.id());
                    }
                }
            }
        }
        boolean exactIn = r.nextInt(3) != 0;
        Token sized = exactIn ? a : z;
        int decimals = sized.decimals() == null ? 18 : sized.decimals();
        BigInteger amount = BigInteger.TEN.pow(Math.max(0, decimals - 4 + r.nextInt(6))).multiply(BigInteger.valueOf(1 + r.nextInt(9)));
        StringBuilder q = new StringBuilder("token_in=" + a.address() + "&token_out=" + z.address() + (exactIn ? "&amount_in=" : "&amount_out=") + amount);
        if (r.nextInt(4) == 0) {
            q.append("&split=2");
        }
        if (!exclude.isEmpty()) {
            q.append("&exclude_pools=").append(exclude.stream().map(PoolId::toString).collect(Collectors.joining(",")));
        }
        return q.toString();
    }

    private static boolean touches(PoolDescriptor p, Token t) {
        return p.token0().address().equals(t.address()) || p.token1().address().equals(t.address());
    }

    private static boolean connected(List<PoolDescriptor> pools, Token x, Token y) {
        return pools.stream().anyMatch(p -> touches(p, x) && touches(p, y) && QuoteSupport.of(p) instanceof QuoteSupport.Exact);
    }

    private static List<Address> tokensOf(JsonNode legs) {
        List<Address> out = new ArrayList<>();
        out.add(Address.of(legs.get(0).path("token_in").asText()));
        legs.forEach(l -> out.add(Address.of(l.path("token_out").asText())));
        return out;
    }

    /**
     * A multi-hop route through one protocol as the periphery runs it: V2 through the router's {@code getAmountsOut/In}
     * (its pair for each hop is the factory's, the devnet's only V2 pool of the pair), V3 through QuoterV2's
     * {@code quoteExactInput/Output} with the path's fees. Adds the call and the amounts expected; false for mixed routes.
     */
    private static boolean wholeRoute(Deployment d, List<PoolDescriptor> path, List<Address> tokens, boolean exactIn, List<BigInteger> amounts,
                                      List<Multicall3.Call> calls, List<BigInteger[]> expect) {
        if (path.stream().allMatch(p -> p.protocol() == Protocol.UNISWAP_V2)) {
            var addrs = tokens.stream().map(Abi::addr).toArray(com.esaulpaugh.headlong.abi.Address[]::new);
            calls.add(new Multicall3.Call(d.contracts().v2Router(), exactIn ? Abi.call("getAmountsOut(uint256,address[])", amounts.getFirst(), addrs)
                    : Abi.call("getAmountsIn(uint256,address[])", amounts.getLast(), addrs)));
            expect.add(amounts.toArray(BigInteger[]::new));
            return true;
        }
        if (path.stream().allMatch(p -> p.protocol() == Protocol.UNISWAP_V3)) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int i = 0; i < path.size(); i++) {
                int hop = exactIn ? i : path.size() - 1 - i;
                if (i == 0) {
                    b.writeBytes((exactIn ? tokens.get(0) : tokens.getLast()).toBytes());
                }
                int fee = path.get(hop).fee();
                b.writeBytes(new byte[] {(byte) (fee >> 16), (byte) (fee >> 8), (byte) fee});
                b.writeBytes((exactIn ? tokens.get(hop + 1) : tokens.get(hop)).toBytes());
            }
            calls.add(new Multicall3.Call(d.contracts().quoterV2(), exactIn ? Abi.call("quoteExactInput(bytes,uint256)", b.toByteArray(), amounts.getFirst())
                    : Abi.call("quoteExactOutput(bytes,uint256)", b.toByteArray(), amounts.getLast())));
            expect.add(new BigInteger[] {exactIn ? amounts.getLast() : amounts.getFirst()});
            return true;
        }
        return false;
    }

    /** Every leg (and whole route) against the periphery at {@code hash}; returns the legs checked. */
    private static int verify(Devnet devnet, Deployment d, V4QuoterClient v4, Bytes32 hash, List<LegCheck> checks, List<Multicall3.Call> whole,
                              List<BigInteger[]> wholeExpect) {
        List<Multicall3.Call> calls = new ArrayList<>();
        List<LegCheck> callChecks = new ArrayList<>();
        List<V4QuoterClient.Request> v4Requests = new ArrayList<>();
        List<LegCheck> v4Checks = new ArrayList<>();
        for (LegCheck c : checks) {
            BigInteger amount = c.exactInput() ? c.amountIn() : c.amountOut();
            switch (c.pool().protocol()) {
                case UNISWAP_V2 -> {
                    var path = new com.esaulpaugh.headlong.abi.Address[] {Abi.addr(c.in()), Abi.addr(c.out())};
                    calls.add(new Multicall3.Call(d.contracts().v2Router(), Abi.call(c.exactInput() ? "getAmountsOut(uint256,address[])"
                            : "getAmountsIn(uint256,address[])", amount, path)));
                    callChecks.add(c);
                }
                case UNISWAP_V3 -> {
                    String fn = c.exactInput() ? "quoteExactInputSingle((address,address,uint256,uint24,uint160))"
                            : "quoteExactOutputSingle((address,address,uint256,uint24,uint160))";
                    calls.add(new Multicall3.Call(d.contracts().quoterV2(), Abi.call(fn, Tuple.from(Abi.addr(c.in()), Abi.addr(c.out()), amount,
                            c.pool().fee(), BigInteger.ZERO))));
                    callChecks.add(c);
                }
                case UNISWAP_V4 -> {
                    v4Requests.add(new V4QuoterClient.Request(c.pool(), c.pool().token0().address().equals(c.in()), c.exactInput(), amount));
                    v4Checks.add(c);
                }
            }
        }
        List<Multicall3.Call> all = new ArrayList<>(calls);
        all.addAll(whole);
        List<Multicall3.Result> results = all.isEmpty() ? List.of() : new Multicall3(devnet.eth()).aggregate(all, BlockRef.hash(hash));
        for (int i = 0; i < calls.size(); i++) {
            LegCheck c = callChecks.get(i);
            Multicall3.Result res = results.get(i);
            assertThat(res.success()).as("the periphery takes leg %s %s->%s: %s", c.pool().id(), c.in(), c.out(), c.what()).isTrue();
            BigInteger chain;
            if (c.pool().protocol() == Protocol.UNISWAP_V2) {
                BigInteger[] amounts = Abi.decode("q()", "(uint256[])", res.returnData()).get(0);
                chain = c.exactInput() ? amounts[1] : amounts[0];
            } else {
                chain = Abi.decode("q()", "(uint256,uint160,uint32,uint256)", res.returnData()).get(0);
            }
            assertThat(chain).as("leg %s %s->%s: %s", c.pool().id(), c.in(), c.out(), c.what()).isEqualTo(c.exactInput() ? c.amountOut() : c.amountIn());
        }
        for (int i = 0; i < whole.size(); i++) {
            Multicall3.Result res = results.get(calls.size() + i);
            assertThat(res.success()).as("whole route %d", i).isTrue();
            BigInteger[] want = wholeExpect.get(i);
            if (want.length == 1) {
                BigInteger got = Abi.decode("q()", "(uint256,uint160[],uint32[],uint256)", res.returnData()).get(0);
                assertThat(got).as("QuoterV2 multi-hop route %d", i).isEqualTo(want[0]);
            } else {
                BigInteger[] got = Abi.decode("q()", "(uint256[])", res.returnData()).get(0);
                assertThat(got).as("router route %d", i).containsExactly(want);
            }
        }
        List<V4NodeQuote> v4Results = v4Requests.isEmpty() ? List.of() : v4.quoteAll(v4Requests, BlockRef.hash(hash));
        for (int i = 0; i < v4Results.size(); i++) {
            LegCheck c = v4Checks.get(i);
            assertThat(v4Results.get(i)).as("V4Quoter takes leg %s: %s", c.pool().id(), c.what()).isInstanceOf(V4NodeQuote.Quoted.class);
            V4NodeQuote.Quoted q = (V4NodeQuote.Quoted) v4Results.get(i);
            assertThat(q.amountIn()).as("leg %s in: %s", c.pool().id(), c.what()).isEqualTo(c.amountIn());
            assertThat(q.amountOut()).as("leg %s out: %s", c.pool().id(), c.what()).isEqualTo(c.amountOut());
        }
        return checks.size();
    }

    /** The block's route requests again, in one POST /v1/quotes: every result equals the single answer. */
    private int batch(String base, List<String> queries, List<JsonNode> answers, BlockHeader head) throws Exception {
        ArrayNode items = JSON.createArrayNode();
        for (String q : queries) {
            ObjectNode item = items.addObject();
            for (String kv : q.split("&")) {
                int eq = kv.indexOf('=');
                item.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/quotes"))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().set("quotes", items).toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode n = JSON.readTree(res.body());
        assertThat(n.path("block_hash").asText()).isEqualTo(head.hash().toString());
        for (int i = 0; i < answers.size(); i++) {
            ObjectNode got = (ObjectNode) n.path("results").get(i).deepCopy();
            got.remove("status");
            ObjectNode want = answers.get(i).deepCopy();
            ((ObjectNode) got.path("search")).remove("quotes");
            ((ObjectNode) want.path("search")).remove("quotes");
            assertThat(got).as("batch item %d", i).isEqualTo(want);
        }
        return answers.size();
    }
}
