package io.poolstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.ArenaMetrics;
import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ChainWatch;
import io.poolstate.arena.PoolCatalog;
import io.poolstate.arena.http.ArenaHttpServer;
import io.poolstate.arena.http.QuoteSimulation;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.deploy.HookedPool;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.quote.QuoteSupport;
import io.poolstate.dex.v4.HookFlags;
import io.poolstate.dex.v4.HookPermission;
import io.poolstate.dex.v4.LpFee;
import io.poolstate.dex.v4.V4NodeQuote;
import io.poolstate.dex.v4.V4QuoterClient;
import io.poolstate.eth.Hex;
import io.poolstate.eth.Keccak256;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.testkit.RpcCall;
import io.poolstate.testkit.RpcFault;
import io.poolstate.testkit.RpcFaultProxy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The arena on a devnet with hooked V4 pools of every kind, following the feed while traffic with reorgs swaps
 * through the hooks, changes their LP fees (without events) and moves liquidity. After every block every pool the API
 * serves — {@code lp_fee} included — equals a fresh read pinned at the served block, and every quote is exact or
 * refused: on the pools the math covers the native 200 answer equals V4Quoter at that block to the wei (an incomplete
 * swap where V4Quoter reports {@code NotEnoughLiquidity}); the pools whose hook can change a swap answer 422 naming the
 * hook and permissions, and with {@code simulate=node} (or the setting) exactly what V4Quoter answers. Then the node
 * fails the LP fee re-read for a few blocks: the dynamic-fee pools are not served (503 with the reason) rather than
 * served with an old fee, and join again, exact, once the node answers.
 */
class HookedPoolsArenaIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BLOCKS = 150;
    private static final String EXTSLOAD = Hex.encode(Arrays.copyOf(Keccak256.hash("extsload(bytes32[])".getBytes(StandardCharsets.UTF_8)), 4));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code eth_call}s whose calldata starts with {@code selector} fail as on a node that lost the state (final error). */
    private record StateUnavailable(String selector) implements RpcFault {
        @Override
        public String name() {
            return "eth_call " + selector + " state unavailable";
        }

        @Override
        public boolean targets(RpcCall call) {
            return call.method().equals("eth_call") && call.param(0).path("data").asText().startsWith(selector);
        }

        @Override
        public Before before(RpcCall call, Random random) {
            return Before.error(-32603, "state unavailable (injected fault)");
        }
    }

    /** A quote asked of the API, to be held against V4Quoter at the same block. */
    private record Asked(PoolDescriptor pool, String label, boolean zeroForOne, boolean exactInput, BigInteger amount, String mode, int status,
                         JsonNode body) {
        String describe() {
            return label + " " + pool.id() + " " + mode + " zeroForOne=" + zeroForOne + " exactInput=" + exactInput + " amount=" + amount + " -> "
                    + status + " " + body;
        }
    }

    @Test
    void hookedPoolsAreServedExactlyAndQuotedExactlyOrRefused(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("poolstate.it.skip"));
        long seed = Long.getLong("poolstate.seed", 11L);
        System.out.println("hooked pools arena seed=" + seed + " (rerun with -Dpoolstate.seed=" + seed + ")");
        int port = 20000 + Math.floorMod(getClass().getName().hashCode(), 20000);
        try (Devnet devnet = Devnet.start(port, dir.resolve("devnet"), new DevnetDeployer.Options(12, 6, 1, true));
             ArenaFixture f = new ArenaFixture(devnet, dir.resolve("feed.sock"), seed, 9);
             RpcFaultProxy proxy = RpcFaultProxy.start(f.d.httpUrl(), seed);
             EthClient arenaNode = EthClient.open(proxy.url())) {
            List<HookedPool> hooked = f.d.hookedPools();
            assertThat(hooked).hasSize(7);
            List<PoolDescriptor> v4 = f.d.pools(Protocol.UNISWAP_V4);
            List<PoolDescriptor> dynamic = v4.stream().filter(p -> LpFee.isDynamic(p.fee())).toList();
            assertThat(dynamic).hasSize(3);
            V4QuoterClient quoter = new V4QuoterClient(devnet.eth(), f.d.contracts().v4Quoter());
            ArenaMetrics metrics = new ArenaMetrics();
            try (ArenaAgent arena = new ArenaAgent(arenaNode, Multicall3.CANONICAL, f.socket, PoolCatalog.of(f.d.pools()), ArenaAgent.Settings.DEFAULT,
                    metrics).start();
                 ChainWatch watch = new ChainWatch(devnet.eth(), ChainWatch.Settings.DEFAULT).start();
                 ArenaHttpServer api = new ArenaHttpServer("127.0.0.1", 0, arena::view, v -> watch.freshness(v.blockNumber(), arena.lastAdvanceNanos()),
                         metrics, QuoteSimulation.verified(arenaNode, f.d.contracts().v4Quoter(), false)).start();
                 ArenaHttpServer apiNode = new ArenaHttpServer("127.0.0.1", 0, arena::view, v -> watch.freshness(v.blockNumber(),
                         arena.lastAdvanceNanos()), new ArenaMetrics(), QuoteSimulation.verified(arenaNode, f.d.contracts().v4Quoter(), true)).start()) {
                String base = "http://127.0.0.1:" + api.address().getPort();
                String baseNode = "http://127.0.0.1:" + apiNode.address().getPort();
                ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().mode() == ArenaMode.LIVE, "arena live");
                f.stepwise();
                checkClassification(base, hooked);
                checkBadRequests(base, f);

                ChainOracle oracle = new ChainOracle(devnet.eth(), f.d);
                SplittableRandom r = new SplittableRandom(seed);
                Map<String, Integer> outcomes = new TreeMap<>();
                Map<PoolId, Integer> feeChanges = new HashMap<>();
                Map<PoolId, String> lastFee = new HashMap<>();
                int compared = 0;
                for (int i = 0; i < BLOCKS; i++) {
                    BlockHeader head = stepAndWait(f, devnet, arena);
                    assertThat(arena.view().notServed()).as("block %d: every pool served", head.number()).isEmpty();
                    assertThat(oracle.differences(base, f.d.pools(), head.number(), head.hash())).as("block %d (seed=%d)", head.number(), seed).isEmpty();
                    compared++;
                    for (PoolDescriptor p : dynamic) {
                        String fee = oracle.get(base + "/v1/pools/" + p.id()).path("lp_fee").asText();
                        String before = lastFee.put(p.id(), fee);
                        if (before != null && !before.equals(fee)) {
                            feeChanges.merge(p.id(), 1, Integer::sum);
                        }
                    }
                    List<Asked> asked = new ArrayList<>();
                    for (HookedPool h : hooked) {
                        asked.add(ask(base, h.pool(), h.kind().wireName(), "default", r));
                        if (QuoteSupport.of(h.pool()) instanceof QuoteSupport.Refused) {
                            boolean setting = r.nextBoolean(); // the server with --quote-simulate-node, or simulate=node on either
                            asked.add(ask(setting || r.nextBoolean() ? baseNode : base, h.pool(), h.kind().wireName(), setting ? "setting" : "simulate=node", r));
                        }
                    }
                    List<PoolDescriptor> plain = v4.stream().filter(p -> p.hooks().isZero()).toList();
                    PoolDescriptor p = plain.get(r.nextInt(plain.size()));
                    asked.add(ask(base, p, "plain", r.nextInt(4) == 0 ? "simulate=node" : "default", r));
                    check(quoter, asked, head, outcomes);
                }
                System.out.println("hooked pools arena: " + compared + " blocks compared, reverted blocks=" + metrics.blocksReverted.count()
                        + ", LP fee re-reads=" + metrics.lpFeeReads.count() + " changes=" + metrics.lpFeeChanges.count() + ", served lp_fee changes per"
                        + " dynamic pool=" + feeChanges.values());
                System.out.println("quote outcomes: " + outcomes);
                assertThat(metrics.blocksReverted.count()).as("reorgs went through the journal").isGreaterThanOrEqualTo(5);
                assertThat(metrics.rescrapes.count()).as("no full rescrape").isZero();
                for (PoolDescriptor p : dynamic) {
                    assertThat(feeChanges.getOrDefault(p.id(), 0)).as("served lp_fee changes of dynamic-fee pool %s", p.id()).isGreaterThanOrEqualTo(3);
                }
                for (HookedPool h : hooked) {
                    String k = h.kind().wireName();
                    if (QuoteSupport.of(h.pool()) instanceof QuoteSupport.Exact) {
                        assertThat(outcomes.getOrDefault(k + " native equal", 0)).as(k + " native quotes equal to V4Quoter").isGreaterThanOrEqualTo(60);
                    } else {
                        assertThat(outcomes.getOrDefault(k + " refused 422", 0)).as(k + " refused").isGreaterThanOrEqualTo(100);
                        assertThat(outcomes.getOrDefault(k + " node equal", 0)).as(k + " node quotes equal to V4Quoter").isGreaterThanOrEqualTo(60);
                    }
                }
                assertThat(outcomes.keySet().stream().filter(k -> k.endsWith("beyond liquidity")).count()).as("quotes beyond the liquidity").isPositive();

                lpFeeReadFails(f, devnet, arena, oracle, proxy, base, dynamic, seed);
            }
        }
    }

    /** The node fails every extsload for a few blocks: the dynamic-fee pools leave (503, reason) and come back exact. */
    private void lpFeeReadFails(ArenaFixture f, Devnet devnet, ArenaAgent arena, ChainOracle oracle, RpcFaultProxy proxy, String base,
                                List<PoolDescriptor> dynamic, long seed) throws Exception {
        List<PoolDescriptor> others = f.d.pools().stream().filter(p -> !dynamic.contains(p)).toList();
        RpcFault stateLost = new StateUnavailable(EXTSLOAD);
        proxy.add(stateLost);
        for (int i = 0; i < 4; i++) {
            BlockHeader head = stepAndWait(f, devnet, arena);
            for (PoolDescriptor p : dynamic) {
                HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/pools/" + p.id())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(res.statusCode()).as("dynamic-fee pool %s at block %d while its LP fee cannot be read: %s", p.id(), head.number(), res.body())
                        .isEqualTo(503);
                if (i == 0) {
                    assertThat(JSON.readTree(res.body()).path("error").asText()).contains("LP fee re-read at block " + head.number());
                }
            }
            assertThat(oracle.differences(base, others, head.number(), head.hash())).as("block %d, the other pools (seed=%d)", head.number(), seed).isEmpty();
        }
        long refused = proxy.applied(stateLost);
        assertThat(refused).isPositive();
        proxy.remove(stateLost);
        ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().notServed().isEmpty(), "dynamic-fee pools served again");
        for (int i = 0; i < 5; i++) {
            BlockHeader head = stepAndWait(f, devnet, arena);
            assertThat(arena.view().notServed()).isEmpty();
            assertThat(oracle.differences(base, f.d.pools(), head.number(), head.hash())).as("block %d after the fault (seed=%d)", head.number(), seed)
                    .isEmpty();
        }
        System.out.println("hooked pools arena: LP fee re-read failed for 4 blocks (" + refused + " calls refused): the dynamic-fee pools answered"
                + " 503 and joined again equal to the chain");
    }

    private static BlockHeader stepAndWait(ArenaFixture f, Devnet devnet, ArenaAgent arena) throws InterruptedException {
        f.step();
        BlockHeader head = devnet.eth().latestHeader();
        ArenaEndToEndIntegrationTest.waitFor(() -> arena.view().blockHash().equals(head.hash()), "arena at block " + head.number());
        return head;
    }

    /** Each hooked pool's entry names its hook, the permissions from the address and the quote support, in both listings. */
    private void checkClassification(String base, List<HookedPool> hooked) throws Exception {
        JsonNode list = get(base + "/v1/pools").path("pools");
        Map<String, JsonNode> summary = new HashMap<>();
        list.forEach(n -> summary.put(n.path("id").asText(), n));
        for (HookedPool h : hooked) {
            QuoteSupport support = QuoteSupport.of(h.pool());
            for (JsonNode n : List.of(get(base + "/v1/pools/" + h.pool().id()), summary.get(h.pool().id().toString()))) {
                assertThat(n.path("hooks").asText()).isEqualTo(h.hooks().toString());
                List<String> permissions = new ArrayList<>();
                n.path("hook_permissions").forEach(x -> permissions.add(x.asText()));
                assertThat(permissions).as(h.kind().wireName()).isEqualTo(h.kind().flags().names());
                assertThat(n.path("quote_support").asText()).as(h.kind().wireName()).isEqualTo(support.wireName());
                assertThat(n.path("quote_support_reason").asText()).isEqualTo(support.reason());
                assertThat(n.path("dynamic_fee").asBoolean()).isEqualTo(LpFee.isDynamic(h.pool().fee()));
            }
        }
        JsonNode v3 = summary.values().stream().filter(n -> n.path("protocol").asText().equals(Protocol.UNISWAP_V3.wireName())).findFirst().orElseThrow();
        assertThat(v3.path("quote_support").asText()).isEqualTo("exact");
        assertThat(v3.has("hooks")).isFalse();
    }

    /** simulate=node takes no price limit and quotes V4 pools only; simulate has two values. */
    private void checkBadRequests(String base, ArenaFixture f) throws Exception {
        PoolDescriptor refused = f.d.hookedPools().stream().map(HookedPool::pool).filter(p -> QuoteSupport.of(p) instanceof QuoteSupport.Refused)
                .findFirst().orElseThrow();
        HttpResponse<String> limit = send(base + "/v1/pools/" + refused.id() + "/quote?zero_for_one=true&amount_in=1000&simulate=node&sqrt_price_limit_x96=4295128740");
        assertThat(limit.statusCode()).isEqualTo(400);
        assertThat(limit.body()).contains("sqrt_price_limit_x96").contains("V4Quoter");
        PoolDescriptor v3 = f.d.pools(Protocol.UNISWAP_V3).get(0);
        assertThat(send(base + "/v1/pools/" + v3.id() + "/quote?zero_for_one=true&amount_in=1000&simulate=node").statusCode()).isEqualTo(400);
        assertThat(send(base + "/v1/pools/" + v3.id() + "/quote?zero_for_one=true&amount_in=1000&simulate=chain").statusCode()).isEqualTo(400);
        HttpResponse<String> v3Native = send(base + "/v1/pools/" + v3.id() + "/quote?zero_for_one=true&amount_in=1000");
        assertThat(JSON.readTree(v3Native.body()).path("source").asText()).isEqualTo("native");
    }

    /** Asks the API for a random quote on {@code p}, sized from its served state. */
    private Asked ask(String base, PoolDescriptor p, String label, String mode, SplittableRandom r) throws Exception {
        JsonNode s = get(base + "/v1/pools/" + p.id());
        boolean zeroForOne = r.nextBoolean();
        boolean exactInput = r.nextBoolean();
        BigInteger liquidity = new BigInteger(s.path("liquidity").asText());
        BigInteger price = new BigInteger(s.path("sqrt_price_x96").asText());
        BigInteger reserve = liquidity.signum() == 0 ? BigInteger.TEN.pow(18)
                : exactInput == zeroForOne ? liquidity.shiftLeft(96).divide(price) : liquidity.multiply(price).shiftRight(96);
        double scale = r.nextInt(10) == 0 ? 5 + r.nextDouble() * 1000 : Math.exp(Math.log(1e-7) + r.nextDouble() * (Math.log(2.0) - Math.log(1e-7)));
        BigInteger amount = new BigDecimal(reserve.max(BigInteger.TEN.pow(6))).multiply(BigDecimal.valueOf(scale)).setScale(0, RoundingMode.DOWN)
                .toBigInteger().max(BigInteger.ONE).min(BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE));
        String url = base + "/v1/pools/" + p.id() + "/quote?zero_for_one=" + zeroForOne + (exactInput ? "&amount_in=" : "&amount_out=") + amount
                + (mode.equals("simulate=node") ? "&simulate=node" : "");
        HttpResponse<String> res = send(url);
        return new Asked(p, label, zeroForOne, exactInput, amount, mode, res.statusCode(), JSON.readTree(res.body()));
    }

    /** Holds every answer against V4Quoter at the served block (asked in one batch). */
    private static void check(V4QuoterClient quoter, List<Asked> asked, BlockHeader head, Map<String, Integer> outcomes) {
        List<V4NodeQuote> chain = quoter.quoteAll(asked.stream().map(a -> new V4QuoterClient.Request(a.pool(), a.zeroForOne(), a.exactInput(),
                a.amount())).toList(), BlockRef.hash(head.hash()));
        for (int i = 0; i < asked.size(); i++) {
            Asked a = asked.get(i);
            V4NodeQuote node = chain.get(i);
            JsonNode b = a.body();
            String what = a.describe() + " at block " + head.number() + "; V4Quoter " + node;
            if (a.status() == 200 || a.status() == 422 && b.has("source")) {
                assertThat(b.path("block_number").asLong()).as(what).isEqualTo(head.number());
                assertThat(b.path("block_hash").asText()).as(what).isEqualTo(head.hash().toString());
            }
            boolean refused = QuoteSupport.of(a.pool()) instanceof QuoteSupport.Refused;
            boolean wantsNode = a.mode().equals("simulate=node") || a.mode().equals("setting") && refused;
            if (!wantsNode && refused) {
                assertThat(a.status()).as(what).isEqualTo(422);
                QuoteSupport.Refused support = (QuoteSupport.Refused) QuoteSupport.of(a.pool());
                assertThat(b.path("hooks").asText()).as(what).isEqualTo(a.pool().hooks().toString());
                assertThat(b.path("error").asText()).as(what).contains(a.pool().hooks().toString());
                List<String> named = new ArrayList<>();
                b.path("refused_permissions").forEach(x -> named.add(x.asText()));
                assertThat(named).as(what).isEqualTo(support.permissions().stream().map(HookPermission::solidityName).toList()).isNotEmpty();
                named.forEach(n -> assertThat(b.path("error").asText()).as(what).contains(n));
                assertThat(named).as(what).isSubsetOf(HookFlags.of(a.pool().hooks()).names());
                count(outcomes, a.label() + " refused 422");
                continue;
            }
            String source = wantsNode ? "node" : "native";
            assertThat(b.path("source").asText()).as(what).isEqualTo(source);
            switch (node) {
                case V4NodeQuote.Quoted q -> {
                    assertThat(a.status()).as(what).isEqualTo(200);
                    assertThat(b.path("complete").asBoolean()).as(what).isTrue();
                    assertThat(b.path("amount_in").asText()).as(what).isEqualTo(q.amountIn().toString());
                    assertThat(b.path("amount_out").asText()).as(what).isEqualTo(q.amountOut().toString());
                    count(outcomes, a.label() + " " + source + " equal");
                }
                case V4NodeQuote.Reverted rev -> {
                    if (source.equals("native") && a.status() == 200) {
                        assertThat(b.path("complete").asBoolean()).as("a native quote V4Quoter reverts is incomplete: %s", what).isFalse();
                        assertThat(rev.notEnoughLiquidity()).as(what).isTrue();
                        count(outcomes, a.label() + " native equal: beyond liquidity");
                    } else {
                        assertThat(a.status()).as(what).isEqualTo(422);
                        if (source.equals("node")) {
                            assertThat(b.path("revert").asText()).as(what).isEqualTo(rev.error());
                        }
                        count(outcomes, a.label() + " " + source + " both revert" + (rev.notEnoughLiquidity() ? ": beyond liquidity" : ""));
                    }
                }
            }
        }
    }

    private static void count(Map<String, Integer> m, String key) {
        m.merge(key, 1, Integer::sum);
    }

    private HttpResponse<String> send(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> res = send(url);
        assertThat(res.statusCode()).as("GET %s: %s", url, res.body()).isEqualTo(200);
        return JSON.readTree(res.body());
    }
}
