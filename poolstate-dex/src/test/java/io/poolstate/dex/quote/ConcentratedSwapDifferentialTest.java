package io.poolstate.dex.quote;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.dex.math.MathRevert;
import io.poolstate.dex.math.TickMath;
import io.poolstate.dex.math.Uint256;
import io.poolstate.dex.oracle.BigConcentratedSwap;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.state.ConcentratedPoolState;
import io.poolstate.dex.state.ConcentratedView;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The fixed-width swap loop equals the BigInteger one (the oracle) on seeded random V3 and V4 pools — tick spacings
 * from 1 to thousands, positions from dust to 2^127 liquidity, prices across the whole range, V4 protocol fees — and
 * random swaps: both directions, exact input and output, amounts from 1 to 2^255 - 1, with and without price
 * limits. The same quote, or a revert on both sides; the quote is also taken from a snapshot and from the live state.
 */
class ConcentratedSwapDifferentialTest {
    private static final int COUNT = Integer.getInteger("poolstate.differential.count", 100_000) / 5;
    private static final Token T0 = new Token(Address.of("0x0000000000000000000000000000000000000a00"), 18, "A");
    private static final Token T1 = new Token(Address.of("0x0000000000000000000000000000000000000b00"), 6, "B");
    private static final BigInteger MAX_INT256 = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.ONE);

    @Test
    void quotesEqualTheOracle() {
        String fixed = System.getProperty("poolstate.seed");
        long seed = fixed != null ? Long.parseLong(fixed) : new SplittableRandom().nextLong();
        System.out.println("ConcentratedSwap: " + COUNT + " quotes, seed=" + seed + " (rerun with -Dpoolstate.seed=" + seed + ")");
        SplittableRandom r = new SplittableRandom(seed);
        List<String> mismatches = new ArrayList<>();
        int quotes = 0;
        int crossedSome = 0;
        int reverted = 0;
        while (quotes < COUNT) {
            ConcentratedPoolState pool = pool(r);
            PoolSnapshot.Concentrated snapshot = pool.snapshot();
            for (int q = 0; q < 25; q++, quotes++) {
                boolean zeroForOne = r.nextBoolean();
                boolean exactInput = r.nextBoolean();
                BigInteger amount = amount(r);
                BigInteger limit = limit(r, pool.sqrtPriceX96(), zeroForOne);
                String expected = outcome(() -> BigConcentratedSwap.quote(pool, zeroForOne, exactInput, amount, limit));
                ConcentratedView view = r.nextBoolean() ? snapshot : pool;
                String actual = outcome(() -> ConcentratedSwap.quote(view, zeroForOne, exactInput, amount, limit));
                if (!expected.equals(actual) && mismatches.size() < 10) {
                    mismatches.add("pool=" + describe(pool) + " zeroForOne=" + zeroForOne + " exactInput=" + exactInput + " amount=" + amount
                            + " limit=" + limit + ": oracle=" + expected + " fixed=" + actual);
                }
                crossedSome += expected.contains("ticksCrossed=0") || expected.equals("revert") ? 0 : 1;
                reverted += expected.equals("revert") ? 1 : 0;
            }
        }
        assertThat(mismatches).as("seed=%d (rerun with -Dpoolstate.seed=%d)", seed, seed).isEmpty();
        assertThat(crossedSome).as("quotes crossing initialised ticks").isGreaterThan(COUNT / 20);
        assertThat(reverted).as("reverting quotes").isPositive().isLessThan(COUNT / 2);
    }

    @Test
    void amountsBeyondInt256Revert() {
        ConcentratedPoolState pool = pool(new SplittableRandom(1));
        Uint256 tooLarge = new Uint256().setWords(Long.MIN_VALUE, 0, 0, 0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConcentratedSwap().simulate(pool, true, true, tooLarge, null))
                .isInstanceOf(MathRevert.class).hasMessageContaining("int256");
    }

    private static String outcome(java.util.function.Supplier<SwapQuote> s) {
        try {
            return s.get().toString();
        } catch (ArithmeticException e) {
            return "revert";
        }
    }

    private static BigInteger amount(SplittableRandom r) {
        return switch (r.nextInt(10)) {
            case 0 -> BigInteger.valueOf(r.nextInt(1, 4));
            case 1 -> MAX_INT256.subtract(BigInteger.valueOf(r.nextInt(0, 3)));
            case 2 -> BigInteger.ONE.shiftLeft(r.nextInt(100, 255)).add(BigInteger.valueOf(r.nextInt(-1, 2)));
            default -> new BigInteger(r.nextInt(1, 130), new java.util.Random(r.nextLong())).add(BigInteger.ONE);
        };
    }

    private static BigInteger limit(SplittableRandom r, BigInteger price, boolean zeroForOne) {
        return switch (r.nextInt(6)) {
            case 0, 1, 2 -> null;
            case 3 -> zeroForOne ? TickMath.MIN_SQRT_RATIO.add(BigInteger.ONE) : TickMath.MAX_SQRT_RATIO.subtract(BigInteger.ONE);
            case 4 -> price.add(BigInteger.valueOf(zeroForOne ? -1 : 1));
            default -> {
                double move = Math.exp(Math.log(1e-6) + r.nextDouble() * (Math.log(0.5) - Math.log(1e-6)));
                java.math.BigDecimal f = java.math.BigDecimal.valueOf(zeroForOne ? 1 - move : 1 + move);
                yield new java.math.BigDecimal(price).multiply(f).toBigInteger().max(TickMath.MIN_SQRT_RATIO).min(TickMath.MAX_SQRT_RATIO);
            }
        };
    }

    /** A random pool with consistent state: positions summed into ticks, the active liquidity of the current tick. */
    static ConcentratedPoolState pool(SplittableRandom r) {
        boolean v4 = r.nextBoolean();
        int spacing = switch (r.nextInt(6)) {
            case 0 -> 1;
            case 1 -> 10;
            case 2 -> 60;
            case 3 -> 200;
            case 4 -> r.nextInt(1, 300);
            default -> r.nextInt(1, 16_384);
        };
        int fee = switch (r.nextInt(4)) {
            case 0 -> new int[] {100, 500, 3000, 10000}[r.nextInt(4)];
            case 1 -> r.nextBoolean() ? 0 : 999_999;
            default -> r.nextInt(0, 1_000_000);
        };
        int protocolFee = v4 && r.nextBoolean() ? r.nextInt(0, 1001) | (r.nextInt(0, 1001) << 12) : 0;
        int minUsable = TickMath.MIN_TICK / spacing * spacing;
        int maxUsable = TickMath.MAX_TICK / spacing * spacing;
        int centre = switch (r.nextInt(5)) {
            case 0 -> TickMath.MIN_TICK + r.nextInt(0, 2000);
            case 1 -> TickMath.MAX_TICK - r.nextInt(1, 2000);
            default -> r.nextInt(-300_000, 300_000);
        };
        BigInteger price = TickMath.getSqrtRatioAtTick(centre).add(BigInteger.valueOf(r.nextInt(0, 1000)))
                .min(TickMath.MAX_SQRT_RATIO.subtract(BigInteger.ONE));
        if (r.nextInt(8) == 0) {
            price = TickMath.getSqrtRatioAtTick(centre); // exactly on a tick
        }
        int tick = TickMath.getTickAtSqrtRatio(price);
        TreeMap<Integer, TickInfo> ticks = new TreeMap<>();
        BigInteger active = BigInteger.ZERO;
        int positions = r.nextInt(0, 12);
        for (int i = 0; i < positions; i++) {
            int width = switch (r.nextInt(4)) {
                case 0 -> spacing;
                case 1 -> spacing * r.nextInt(1, 20);
                case 2 -> spacing * r.nextInt(1, 2000);
                default -> maxUsable - minUsable;
            };
            int lower = Math.floorDiv(tick + r.nextInt(-3 * width - spacing, width + spacing), spacing) * spacing;
            lower = Math.max(minUsable, Math.min(maxUsable - spacing, lower));
            int upper = Math.min(maxUsable, lower + Math.max(spacing, width / spacing * spacing));
            BigInteger l = switch (r.nextInt(5)) {
                case 0 -> BigInteger.valueOf(r.nextInt(1, 1000));
                case 1 -> BigInteger.ONE.shiftLeft(r.nextInt(100, 121));
                default -> new BigInteger(r.nextInt(40, 90), new java.util.Random(r.nextLong())).add(BigInteger.ONE);
            };
            add(ticks, lower, l, l);
            add(ticks, upper, l, l.negate());
            if (tick >= lower && tick < upper) {
                active = active.add(l);
            }
        }
        Protocol protocol = v4 ? Protocol.UNISWAP_V4 : Protocol.UNISWAP_V3;
        PoolId id = v4 ? PoolId.of(Bytes32.ZERO) : PoolId.of(Address.of(BigInteger.valueOf(0x30000 + r.nextInt(1000))));
        PoolDescriptor d = new PoolDescriptor(id, protocol, T0, T1, v4 ? Address.ZERO : Address.of(BigInteger.ONE), fee, spacing, v4 ? Address.ZERO : null);
        return new ConcentratedPoolState(d, price, tick, active, fee, protocolFee, ticks);
    }

    private static void add(TreeMap<Integer, TickInfo> ticks, int tick, BigInteger gross, BigInteger net) {
        ticks.merge(tick, new TickInfo(gross, net), (a, b) -> new TickInfo(a.liquidityGross().add(b.liquidityGross()),
                a.liquidityNet().add(b.liquidityNet())));
    }

    private static String describe(ConcentratedPoolState p) {
        return p.descriptor().protocol().wireName() + " spacing=" + p.tickSpacing() + " fee=" + p.fee() + " protocolFee=" + p.protocolFee()
                + " price=" + p.sqrtPriceX96() + " tick=" + p.tick() + " liquidity=" + p.liquidity() + " ticks=" + p.ticks();
    }
}
