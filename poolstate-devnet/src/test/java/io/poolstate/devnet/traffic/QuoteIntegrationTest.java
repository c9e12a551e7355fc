package io.poolstate.devnet.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import com.esaulpaugh.headlong.abi.Tuple;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.IntegrationTests;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.deploy.V4Calls;
import io.poolstate.dex.math.MathRevert;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.quote.ConcentratedSwap;
import io.poolstate.dex.quote.SwapQuote;
import io.poolstate.dex.quote.V2Swap;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.state.ConcentratedPoolState;
import io.poolstate.dex.state.V2PoolState;
import io.poolstate.eth.Hex;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.JsonRpcClient;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quotes from in-memory state equal, to the wei, the chain's own answer at the same block: QuoterV2 for V3,
 * a swap simulated with eth_call through PoolSwapTest for V4, and the pair's swap through the router for V2.
 * Random pools, both directions, exact input and output, amounts from dust to far beyond the liquidity.
 */
class QuoteIntegrationTest {
    private static final int QUOTES = 1300;

    private record Case(PoolDescriptor pool, boolean zeroForOne, boolean exactInput, BigInteger amount, BigInteger limit, SwapQuote ours,
                        String oursError) {
        String describe() {
            return pool.protocol().wireName() + " " + pool.id() + " zeroForOne=" + zeroForOne + " exactInput=" + exactInput + " amount=" + amount
                    + " limit=" + limit;
        }
    }

    @Test
    void quotesEqualTheChain(@TempDir Path dir) throws Exception {
        IntegrationTests.assumeEnabled();
        long seed = Long.getLong("poolstate.seed", 5L);
        System.out.println("quote seed=" + seed + " (rerun with -Dpoolstate.seed=" + seed + ")");
        try (Devnet devnet = Devnet.start(IntegrationTests.port(getClass()), dir, DevnetDeployer.Options.defaults())) {
            Deployment d = devnet.deployment();
            new TrafficGenerator(devnet.chain(), d, new TrafficGenerator.Options(60, seed, 8, 20, 2)).run((n, txs) -> { });
            long block = devnet.eth().blockNumber();
            devnet.chain().mineEmpty(); // the block we read at has a successor
            ScrapeResult s = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT).scrape(d.pools(), block);
            assertThat(s.failures()).isEmpty();
            SplittableRandom r = new SplittableRandom(seed);
            Map<String, Integer> outcomes = new LinkedHashMap<>();
            for (Protocol protocol : Protocol.values()) {
                List<Case> cases = cases(r, d, s, protocol);
                List<String> mismatches = switch (protocol) {
                    case UNISWAP_V2 -> checkV2(devnet, d, cases, block, outcomes);
                    case UNISWAP_V3 -> checkV3(devnet, d, cases, block, outcomes);
                    case UNISWAP_V4 -> checkV4(devnet, d, cases, block, outcomes);
                };
                assertThat(mismatches).as("%s quotes that differ from the chain (seed=%d)", protocol, seed).isEmpty();
            }
            System.out.println("quote outcomes: " + outcomes);
            for (Protocol p : Protocol.values()) {
                assertThat(outcomes.getOrDefault(p.wireName() + " equal", 0)).as(p.wireName()).isGreaterThanOrEqualTo(1000);
            }
            assertThat(outcomes.getOrDefault("uniswap_v3 partial", 0)).as("V3 quotes beyond liquidity").isPositive();
            assertThat(outcomes.getOrDefault("uniswap_v4 partial", 0)).as("V4 quotes beyond liquidity").isPositive();
            assertThat(outcomes.getOrDefault("uniswap_v3 limited", 0)).as("V3 quotes with a price limit").isPositive();
            assertThat(outcomes.getOrDefault("uniswap_v4 limited", 0)).as("V4 quotes with a price limit").isPositive();
            assertThat(outcomes.getOrDefault("uniswap_v3 max ticks crossed", 0)).as("V3 quotes crossing many ticks").isGreaterThanOrEqualTo(5);
        }
    }

    private static List<Case> cases(SplittableRandom r, Deployment d, ScrapeResult s, Protocol protocol) {
        List<PoolDescriptor> pools = d.pools(protocol);
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < QUOTES; i++) {
            PoolDescriptor p = pools.get(r.nextInt(pools.size()));
            boolean zeroForOne = r.nextBoolean();
            boolean exactInput = r.nextBoolean();
            var state = s.states().get(p.id());
            BigInteger base = switch (state) {
                case V2PoolState v -> exactInput ? (zeroForOne ? v.reserve0() : v.reserve1()) : (zeroForOne ? v.reserve1() : v.reserve0());
                case ConcentratedPoolState c -> virtualReserve(c, exactInput == zeroForOne);
            };
            base = base.max(BigInteger.TEN.pow(p.token0().decimals() == null ? 6 : Math.min(p.token0().decimals(), p.token1().decimals())));
            double f = i % 10 == 0 ? 5 + r.nextDouble() * 1000 : Math.exp(Math.log(1e-7) + r.nextDouble() * (Math.log(2.0) - Math.log(1e-7)));
            BigInteger amount = new BigDecimal(base).multiply(BigDecimal.valueOf(f)).setScale(0, RoundingMode.DOWN).toBigInteger().max(BigInteger.ONE);
            BigInteger limit = null;
            if (state instanceof ConcentratedPoolState c && i % 4 == 1) {
                // a price limit a little way from the current price: the swap may stop there with amount left over
                double move = Math.exp(Math.log(1e-5) + r.nextDouble() * (Math.log(0.2) - Math.log(1e-5)));
                limit = new BigDecimal(c.sqrtPriceX96()).multiply(BigDecimal.valueOf(zeroForOne ? 1 - move : 1 + move))
                        .setScale(0, RoundingMode.DOWN).toBigInteger();
            }
            SwapQuote q = null;
            String err = null;
            try {
                q = state instanceof V2PoolState v ? V2Swap.UNISWAP.quote(v.reserve0(), v.reserve1(), zeroForOne, exactInput, amount)
                        : ConcentratedSwap.quote((ConcentratedPoolState) state, zeroForOne, exactInput, amount, limit);
            } catch (MathRevert e) {
                err = e.getMessage();
            }
            out.add(new Case(p, zeroForOne, exactInput, amount, limit, q, err));
        }
        return out;
    }

    /** Token0 (or token1) of the active liquidity at the current price, in token units. */
    private static BigInteger virtualReserve(ConcentratedPoolState c, boolean token0) {
        if (c.liquidity().signum() == 0) {
            return BigInteger.TEN.pow(18);
        }
        return token0 ? c.liquidity().shiftLeft(96).divide(c.sqrtPriceX96()) : c.liquidity().multiply(c.sqrtPriceX96()).shiftRight(96);
    }

    private static List<String> checkV3(Devnet devnet, Deployment d, List<Case> cases, long block, Map<String, Integer> outcomes) {
        List<Multicall3.Call> calls = new ArrayList<>();
        for (Case c : cases) {
            var in = c.zeroForOne() ? c.pool().token0() : c.pool().token1();
            var out = c.zeroForOne() ? c.pool().token1() : c.pool().token0();
            String fn = c.exactInput() ? "quoteExactInputSingle((address,address,uint256,uint24,uint160))" : "quoteExactOutputSingle((address,address,uint256,uint24,uint160))";
            calls.add(new Multicall3.Call(d.contracts().quoterV2(), Abi.call(fn, Tuple.from(Abi.addr(in.address()), Abi.addr(out.address()),
                    c.amount(), c.pool().fee(), c.limit() == null ? BigInteger.ZERO : c.limit()))));
        }
        List<Multicall3.Result> results = new Multicall3(devnet.eth(), Multicall3.CANONICAL, 100, 4).aggregate(calls, BlockRef.number(block));
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Multicall3.Result res = results.get(i);
            if (c.ours() == null || !c.ours().complete() && !c.exactInput() && c.limit() == null) {
                // our simulation says the swap reverts, or cannot deliver the exact output without a limit: QuoterV2 reverts then
                count(outcomes, "uniswap_v3 " + (c.ours() == null ? "revert" : "partial"));
                if (res.success()) {
                    bad.add(c.describe() + ": chain quoted, ours " + (c.ours() == null ? "reverted: " + c.oursError() : "is partial " + c.ours()));
                } else {
                    count(outcomes, "uniswap_v3 equal");
                }
                continue;
            }
            if (!res.success()) {
                bad.add(c.describe() + ": chain reverted, ours " + c.ours());
                continue;
            }
            Tuple t = Abi.decode("q()", "(uint256,uint160,uint32,uint256)", res.returnData());
            BigInteger chainAmount = t.get(0);
            BigInteger chainPrice = t.get(1);
            BigInteger ours = c.exactInput() ? c.ours().amountOut() : c.ours().amountIn();
            if (!ours.equals(chainAmount) || !c.ours().sqrtPriceX96After().equals(chainPrice)) {
                bad.add(c.describe() + ": chain amount=" + chainAmount + " price=" + chainPrice + ", ours " + c.ours());
            } else {
                count(outcomes, "uniswap_v3 equal");
                if (c.limit() != null) {
                    count(outcomes, "uniswap_v3 limited");
                }
                if (!c.ours().complete()) {
                    count(outcomes, "uniswap_v3 partial");
                }
                if (c.ours().ticksCrossed() >= 5) {
                    count(outcomes, "uniswap_v3 max ticks crossed");
                }
            }
        }
        return bad;
    }

    private static List<String> checkV4(Devnet devnet, Deployment d, List<Case> cases, long block, Map<String, Integer> outcomes) {
        List<JsonRpcClient.Call> calls = new ArrayList<>();
        for (Case c : cases) {
            BigInteger specified = c.exactInput() ? c.amount().negate() : c.amount();
            Map<String, Object> tx = new LinkedHashMap<>();
            tx.put("from", d.trader().toString());
            tx.put("to", d.contracts().poolSwapTest().toString());
            tx.put("data", Hex.encode(c.limit() == null ? V4Calls.swap(V4Calls.keyOf(c.pool()), c.zeroForOne(), specified)
                    : V4Calls.swap(V4Calls.keyOf(c.pool()), c.zeroForOne(), specified, c.limit())));
            if (c.pool().token0().address().isZero()) {
                tx.put("value", Hex.quantity(V4Calls.NATIVE_VALUE));
            }
            calls.add(new JsonRpcClient.Call("eth_call", List.of(tx, Hex.quantity(block))));
        }
        List<String> bad = new ArrayList<>();
        Map<io.poolstate.eth.Address, BigInteger> budgets = budgets(devnet, d, block);
        for (int from = 0; from < cases.size(); from += 100) {
            List<JsonRpcClient.Outcome> res = devnet.eth().rpc().batch(calls.subList(from, Math.min(cases.size(), from + 100)));
            for (int j = 0; j < res.size(); j++) {
                Case c = cases.get(from + j);
                var payToken = (c.zeroForOne() ? c.pool().token0() : c.pool().token1()).address();
                boolean unpayable = c.ours() != null && c.ours().amountIn().compareTo(budgets.get(payToken)) > 0;
                if (res.get(j) instanceof JsonRpcClient.Failure f) {
                    if (unpayable) {
                        count(outcomes, "uniswap_v4 unpayable (the trader cannot pay what the pool asks)");
                    } else if (c.ours() != null) {
                        bad.add(c.describe() + ": chain reverted (" + f.error().nodeMessage() + "), ours " + c.ours());
                    } else {
                        count(outcomes, "uniswap_v4 revert");
                        count(outcomes, "uniswap_v4 equal");
                    }
                    continue;
                }
                if (c.ours() == null || unpayable) {
                    bad.add(c.describe() + ": chain swapped, ours " + (unpayable ? "asks more than the trader holds: " + c.ours()
                            : "reverted: " + c.oursError()));
                    continue;
                }
                BigInteger delta = new BigInteger(Hex.decode(((JsonRpcClient.Success) res.get(j)).result().asText()));
                BigInteger amount0 = delta.shiftRight(128);
                BigInteger amount1 = new BigInteger(1, delta.toByteArray()).and(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE));
                amount1 = amount1.testBit(127) ? amount1.subtract(BigInteger.ONE.shiftLeft(128)) : amount1;
                BigInteger paid = (c.zeroForOne() ? amount0 : amount1).negate();
                BigInteger received = c.zeroForOne() ? amount1 : amount0;
                if (!paid.equals(c.ours().amountIn()) || !received.equals(c.ours().amountOut())) {
                    bad.add(c.describe() + ": chain paid=" + paid + " received=" + received + ", ours " + c.ours());
                } else {
                    count(outcomes, "uniswap_v4 equal");
                    if (c.limit() != null) {
                        count(outcomes, "uniswap_v4 limited");
                    }
                    if (!c.ours().complete()) {
                        count(outcomes, "uniswap_v4 partial");
                    }
                }
            }
        }
        return bad;
    }

    /** What the trader can pay at {@code block}: its token balances, and the ETH sent with native swaps. */
    private static Map<io.poolstate.eth.Address, BigInteger> budgets(Devnet devnet, Deployment d, long block) {
        Map<io.poolstate.eth.Address, BigInteger> m = new java.util.HashMap<>();
        m.put(io.poolstate.eth.Address.ZERO, V4Calls.NATIVE_VALUE);
        for (var t : d.tokens()) {
            m.put(t.address(), Abi.decode("balanceOf(address)", "(uint256)", devnet.eth().call(t.address(),
                    Abi.call("balanceOf(address)", Abi.addr(d.trader())), BlockRef.number(block))).get(0));
        }
        return m;
    }

    private static List<String> checkV2(Devnet devnet, Deployment d, List<Case> cases, long block, Map<String, Integer> outcomes) {
        List<JsonRpcClient.Call> calls = new ArrayList<>();
        for (Case c : cases) {
            var in = c.zeroForOne() ? c.pool().token0() : c.pool().token1();
            var out = c.zeroForOne() ? c.pool().token1() : c.pool().token0();
            Object path = new com.esaulpaugh.headlong.abi.Address[] {Abi.addr(in.address()), Abi.addr(out.address())};
            byte[] data = c.exactInput()
                    ? Abi.call("swapExactTokensForTokens(uint256,uint256,address[],address,uint256)", c.amount(), BigInteger.ZERO, path,
                            Abi.addr(d.trader()), Abi.MAX_UINT256)
                    : Abi.call("swapTokensForExactTokens(uint256,uint256,address[],address,uint256)", c.amount(), Abi.MAX_UINT256, path,
                            Abi.addr(d.trader()), Abi.MAX_UINT256);
            calls.add(new JsonRpcClient.Call("eth_call", List.of(Map.of("from", d.trader().toString(), "to", d.contracts().v2Router().toString(),
                    "data", Hex.encode(data)), Hex.quantity(block))));
        }
        List<String> bad = new ArrayList<>();
        for (int from = 0; from < cases.size(); from += 100) {
            List<JsonRpcClient.Outcome> res = devnet.eth().rpc().batch(calls.subList(from, Math.min(cases.size(), from + 100)));
            for (int j = 0; j < res.size(); j++) {
                Case c = cases.get(from + j);
                if (res.get(j) instanceof JsonRpcClient.Failure f) {
                    if (c.ours() != null) {
                        bad.add(c.describe() + ": chain reverted (" + f.error().nodeMessage() + "), ours " + c.ours());
                    } else {
                        count(outcomes, "uniswap_v2 revert");
                        count(outcomes, "uniswap_v2 equal");
                    }
                    continue;
                }
                if (c.ours() == null) {
                    bad.add(c.describe() + ": chain swapped, ours reverted: " + c.oursError());
                    continue;
                }
                BigInteger[] amounts = Abi.decode("s()", "(uint256[])", Hex.decode(((JsonRpcClient.Success) res.get(j)).result().asText())).get(0);
                if (!amounts[0].equals(c.ours().amountIn()) || !amounts[1].equals(c.ours().amountOut())) {
                    bad.add(c.describe() + ": chain in=" + amounts[0] + " out=" + amounts[1] + ", ours " + c.ours());
                } else {
                    count(outcomes, "uniswap_v2 equal");
                }
            }
        }
        return bad;
    }

    private static void count(Map<String, Integer> m, String key) {
        m.merge(key, 1, Integer::sum);
    }
}
