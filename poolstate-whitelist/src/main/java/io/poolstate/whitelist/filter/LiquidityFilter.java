package io.poolstate.whitelist.filter;

import io.poolstate.dex.math.MathRevert;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.quote.ConcentratedSwap;
import io.poolstate.dex.quote.SwapQuote;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.state.ConcentratedPoolState;
import io.poolstate.dex.state.PoolState;
import io.poolstate.dex.state.V2PoolState;
import io.poolstate.eth.Address;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the pools that matter, in two stages valued in USD through on-chain prices: first the cheap pass (V2
 * reserves; V3/V4 the tokens of the active liquidity at the current price), then, for V3/V4, the depth near the
 * price from the tick data: what it takes to move the price by {@code depthPercent} each way, by simulating the
 * swap with the pool's own math (the smaller side counts), reading only the ticks such a move can reach
 * ({@link PoolScraper#scrapeNear}, {@link #depthTickRadius}). USD prices start from the configured stablecoins
 * (1 USD) and spread through the deepest pool pairing an unpriced token with a priced one. Every pool kept or
 * dropped gets a reason.
 */
public final class LiquidityFilter {
    /** Thresholds: minimum active liquidity (stage 1) and depth (stage 2) in USD, and the price move for depth. */
    public record Thresholds(BigDecimal minActiveUsd, BigDecimal minDepthUsd, double depthPercent) {
    }

    /** The outcome: pools kept and dropped, each with its reason, and the USD prices used. */
    public record Result(Map<PoolId, String> kept, Map<PoolId, String> dropped, Map<Address, BigDecimal> usdPrices) {
    }

    private static final MathContext MC = MathContext.DECIMAL64;
    private final PoolScraper scraper;
    private final Thresholds t;

    public LiquidityFilter(PoolScraper scraper, Thresholds thresholds) {
        this.scraper = scraper;
        this.t = thresholds;
    }

    public Result filter(List<PoolDescriptor> pools, Map<Address, BigDecimal> stables, long block) {
        ScrapeResult light = scraper.scrapeSlots(pools, block);
        Map<Address, BigDecimal> usd = prices(pools, light, stables);
        Map<PoolId, String> kept = new LinkedHashMap<>();
        Map<PoolId, String> dropped = new LinkedHashMap<>();
        List<PoolDescriptor> deep = new java.util.ArrayList<>();
        Map<PoolId, BigDecimal> activeValue = new HashMap<>();
        for (PoolDescriptor p : pools) {
            PoolState s = light.states().get(p.id());
            if (s == null) {
                dropped.put(p.id(), "unreadable: " + light.failures().get(p.id()));
                continue;
            }
            BigDecimal p0 = usd.get(p.token0().address());
            BigDecimal p1 = usd.get(p.token1().address());
            if (p0 == null || p1 == null || p.token0().decimals() == null || p.token1().decimals() == null) {
                dropped.put(p.id(), "no USD price for " + (p0 == null ? p.token0().address() : p.token1().address()));
                continue;
            }
            BigDecimal active = activeUsd(s, p, p0, p1);
            if (active.compareTo(t.minActiveUsd()) < 0) {
                dropped.put(p.id(), "stage 1: active liquidity " + usd(active) + " USD < " + usd(t.minActiveUsd()));
                continue;
            }
            deep.add(p);
            activeValue.put(p.id(), active);
        }
        // stage 2: the survivors with the tick data the depth swaps can reach
        int radius = depthTickRadius(t.depthPercent());
        ScrapeResult full = radius < 0 ? scraper.scrape(deep, block) : scraper.scrapeNear(deep, block, radius);
        for (PoolDescriptor p : deep) {
            PoolState s = full.states().get(p.id());
            if (s == null) {
                dropped.put(p.id(), "unreadable: " + full.failures().get(p.id()));
                continue;
            }
            BigDecimal p0 = usd.get(p.token0().address());
            BigDecimal p1 = usd.get(p.token1().address());
            BigDecimal active = activeValue.get(p.id());
            BigDecimal depth = depthUsd(s, p, p0, p1);
            String depthText = "depth " + trim(t.depthPercent()) + "%: " + usd(depth) + " USD";
            if (depth.compareTo(t.minDepthUsd()) < 0) {
                dropped.put(p.id(), "stage 2: " + depthText + " < " + usd(t.minDepthUsd()));
            } else {
                kept.put(p.id(), "active liquidity " + usd(active) + " USD, " + depthText + " >= " + usd(t.minDepthUsd()));
            }
        }
        return new Result(kept, dropped, usd);
    }

    /**
     * How many ticks the depth swaps can move the price at most: a price factor f is log(f) / log(1.0001) ticks
     * (v3-core {@code TickMath}), the larger of the two directions, plus 2 ticks for the rounding of the limit price;
     * -1 (every tick) for a move of 100 % or more down.
     */
    static int depthTickRadius(double depthPercent) {
        if (depthPercent >= 100) {
            return -1;
        }
        double ticks = Math.max(Math.log1p(depthPercent / 100), -Math.log1p(-depthPercent / 100)) / Math.log(1.0001);
        return (int) Math.ceil(ticks) + 2;
    }

    /** USD value of the tokens held by the active liquidity (V2: the reserves). */
    static BigDecimal activeUsd(PoolState s, PoolDescriptor p, BigDecimal p0, BigDecimal p1) {
        BigInteger[] amounts = switch (s) {
            case V2PoolState v -> new BigInteger[] {v.reserve0(), v.reserve1()};
            case ConcentratedPoolState c -> c.liquidity().signum() == 0 ? new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO}
                    : new BigInteger[] {c.liquidity().shiftLeft(96).divide(c.sqrtPriceX96()), c.liquidity().multiply(c.sqrtPriceX96()).shiftRight(96)};
        };
        return value(amounts[0], p.token0(), p0).add(value(amounts[1], p.token1(), p1));
    }

    /** USD needed to move the price by the depth percentage, the smaller of the two directions. */
    BigDecimal depthUsd(PoolState s, PoolDescriptor p, BigDecimal p0, BigDecimal p1) {
        double up = Math.sqrt(1 + t.depthPercent() / 100);
        double down = Math.sqrt(1 - t.depthPercent() / 100);
        return switch (s) {
            case V2PoolState v -> {
                // x * y = k: moving sqrt(price) by a factor f takes (f - 1) * reserve of the input side
                BigDecimal in0 = new BigDecimal(v.reserve0()).multiply(BigDecimal.valueOf(1 / down - 1), MC);
                BigDecimal in1 = new BigDecimal(v.reserve1()).multiply(BigDecimal.valueOf(up - 1), MC);
                yield value(in0.toBigInteger(), p.token0(), p0).min(value(in1.toBigInteger(), p.token1(), p1));
            }
            case ConcentratedPoolState c -> {
                BigInteger huge = BigInteger.ONE.shiftLeft(126);
                BigDecimal zeroForOne = swapIn(c, true, limit(c.sqrtPriceX96(), down), huge, p.token0(), p0);
                BigDecimal oneForZero = swapIn(c, false, limit(c.sqrtPriceX96(), up), huge, p.token1(), p1);
                yield zeroForOne.min(oneForZero);
            }
        };
    }

    private static BigInteger limit(BigInteger sqrtPrice, double factor) {
        return new BigDecimal(sqrtPrice).multiply(BigDecimal.valueOf(factor), MC).toBigInteger();
    }

    private static BigDecimal swapIn(ConcentratedPoolState c, boolean zeroForOne, BigInteger limit, BigInteger amount, Token in, BigDecimal price) {
        try {
            SwapQuote q = ConcentratedSwap.quote(c, zeroForOne, true, amount, limit);
            return value(q.amountIn(), in, price);
        } catch (MathRevert e) {
            return BigDecimal.ZERO; // no liquidity to move the price at all
        }
    }

    private static BigDecimal value(BigInteger raw, Token t, BigDecimal usdPrice) {
        return new BigDecimal(raw).movePointLeft(t.decimals()).multiply(usdPrice, MC);
    }

    /** Prices from the stables outwards, through the pool with the most priced-side value for each token. */
    static Map<Address, BigDecimal> prices(List<PoolDescriptor> pools, ScrapeResult state, Map<Address, BigDecimal> stables) {
        Map<Address, BigDecimal> usd = new HashMap<>(stables);
        for (int hop = 0; hop < 3; hop++) {
            Map<Address, BigDecimal[]> best = new HashMap<>(); // token -> {price, depth}
            for (PoolDescriptor p : pools) {
                PoolState s = state.states().get(p.id());
                if (s == null || p.token0().decimals() == null || p.token1().decimals() == null) {
                    continue;
                }
                BigDecimal spot = spot(s, p); // token1 per token0, whole units
                if (spot == null || spot.signum() == 0) {
                    continue;
                }
                BigDecimal u0 = usd.get(p.token0().address());
                BigDecimal u1 = usd.get(p.token1().address());
                if (u0 != null && u1 == null) {
                    consider(best, p.token1().address(), u0.divide(spot, MC), activeUsd(s, p, u0, u0.divide(spot, MC)));
                } else if (u1 != null && u0 == null) {
                    consider(best, p.token0().address(), u1.multiply(spot, MC), activeUsd(s, p, u1.multiply(spot, MC), u1));
                }
            }
            best.forEach((a, v) -> usd.put(a, v[0]));
        }
        return usd;
    }

    private static void consider(Map<Address, BigDecimal[]> best, Address token, BigDecimal price, BigDecimal depth) {
        BigDecimal[] cur = best.get(token);
        if (cur == null || depth.compareTo(cur[1]) > 0) {
            best.put(token, new BigDecimal[] {price, depth});
        }
    }

    /** Price of token0 in token1, whole units. */
    static BigDecimal spot(PoolState s, PoolDescriptor p) {
        BigDecimal raw = switch (s) {
            case V2PoolState v -> v.reserve0().signum() == 0 ? null : new BigDecimal(v.reserve1()).divide(new BigDecimal(v.reserve0()), MC);
            case ConcentratedPoolState c -> {
                BigDecimal sp = new BigDecimal(c.sqrtPriceX96()).divide(new BigDecimal(BigInteger.ONE.shiftLeft(96)), MC);
                yield sp.multiply(sp, MC);
            }
        };
        return raw == null ? null : raw.movePointLeft(p.token1().decimals() - p.token0().decimals());
    }

    private static String usd(BigDecimal v) {
        return new DecimalFormat("#,##0").format(v.setScale(0, RoundingMode.HALF_UP));
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
