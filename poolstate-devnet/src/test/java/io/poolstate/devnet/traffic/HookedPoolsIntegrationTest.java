package io.poolstate.devnet.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.IntegrationTests;
import io.poolstate.devnet.chain.DevChain;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.devnet.deploy.HookKind;
import io.poolstate.devnet.deploy.HookedPool;
import io.poolstate.dex.event.DecodedLog;
import io.poolstate.dex.event.LogDecoder;
import io.poolstate.dex.math.MathRevert;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.quote.ConcentratedSwap;
import io.poolstate.dex.quote.QuoteSupport;
import io.poolstate.dex.quote.SwapQuote;
import io.poolstate.dex.scrape.PoolScraper;
import io.poolstate.dex.scrape.ScrapeResult;
import io.poolstate.dex.scrape.ScrapeSettings;
import io.poolstate.dex.scrape.V4LpFeeReader;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.PoolStateBook;
import io.poolstate.dex.v4.LpFee;
import io.poolstate.dex.v4.V4NodeQuote;
import io.poolstate.dex.v4.V4QuoterClient;
import io.poolstate.dex.v4.V4StateLayout;
import io.poolstate.eth.Address;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.Log;
import io.poolstate.eth.rpc.LogFilter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hooked V4 pools of every kind on the devnet, 210 blocks of traffic with reorgs (swaps through the hooks, LP fees
 * changed through them without events, liquidity moved). After every block the engine — a {@link PoolStateBook} fed
 * the block's decoded logs, then the dynamic-fee pools' LP fees re-read with {@link V4LpFeeReader} at the block's
 * hash — equals a fresh scrape of every pool, and each re-read LP fee equals the PoolManager's storage read with
 * {@code eth_getStorageAt}. Every block, random quotes on each hooked pool (and the plain V4 pools) go to V4Quoter at
 * the previous block, which then has a successor: for the pools {@link QuoteSupport} calls exact, {@link ConcentratedSwap}
 * equals V4Quoter to the wei (amounts, and where the pool cannot fill the amount); for the refused ones V4Quoter
 * differs from the plain V4 math, for each kind, which is why they are refused.
 */
class HookedPoolsIntegrationTest {
    private static final int BLOCKS = 210;
    private static final int QUOTES_PER_POOL_PER_BLOCK = 2;

    /** A quote taken from the book at a block, to be checked once the block has a successor. */
    private record Case(PoolDescriptor pool, HookKind kind, boolean zeroForOne, boolean exactInput, BigInteger amount, SwapQuote ours,
                        String oursError) {
        String describe() {
            return (kind == null ? "plain" : kind.wireName()) + " " + pool.id() + " zeroForOne=" + zeroForOne + " exactInput=" + exactInput
                    + " amount=" + amount;
        }
    }

    private record Pending(PoolStateBook.BlockId block, List<Case> cases) {
    }

    @Test
    void hookedPoolsStayExactAndQuotesAreExactOrProvablyNot(@TempDir Path dir) throws Exception {
        IntegrationTests.assumeEnabled();
        long seed = Long.getLong("poolstate.seed", 21L);
        System.out.println("hooked pools seed=" + seed + " (rerun with -Dpoolstate.seed=" + seed + ")");
        try (Devnet devnet = Devnet.start(IntegrationTests.port(getClass()), dir, new DevnetDeployer.Options(12, 6, 1, true))) {
            Deployment d = devnet.deployment();
            assertThat(d.hookedPools()).extracting(HookedPool::kind).containsExactly(HookKind.values());
            Map<HookKind, String> supportByKind = new EnumMap<>(HookKind.class);
            d.hookedPools().forEach(h -> supportByKind.put(h.kind(), QuoteSupport.of(h.pool()).wireName()));
            assertThat(supportByKind).containsEntry(HookKind.NO_SWAP_PERMISSIONS, "exact").containsEntry(HookKind.LP_FEE_TAKING, "exact")
                    .containsEntry(HookKind.DYNAMIC_FEE, "exact").containsEntry(HookKind.DYNAMIC_FEE_BEFORE_SWAP, "refused")
                    .containsEntry(HookKind.FEE_OVERRIDE, "refused").containsEntry(HookKind.FEE_TAKING, "refused")
                    .containsEntry(HookKind.CUSTOM_CURVE, "refused");

            PoolScraper scraper = new PoolScraper(devnet.eth(), Multicall3.CANONICAL, ScrapeSettings.DEFAULT);
            V4LpFeeReader lpFees = new V4LpFeeReader(devnet.eth(), ScrapeSettings.DEFAULT.slotsPerExtsload());
            V4QuoterClient quoter = new V4QuoterClient(devnet.eth(), d.contracts().v4Quoter());
            List<PoolDescriptor> dynamic = d.pools().stream().filter(p -> p.protocol() == Protocol.UNISWAP_V4 && LpFee.isDynamic(p.fee())).toList();
            assertThat(dynamic).hasSize(3);
            List<PoolDescriptor> quoted = d.pools(Protocol.UNISWAP_V4);

            BlockHeader r = devnet.eth().latestHeader();
            ScrapeResult initial = scraper.scrape(d.pools(), r.number());
            assertThat(initial.failures()).isEmpty();
            PoolStateBook book = new PoolStateBook(64);
            initial.states().values().forEach(book::put);

            List<Address> emitters = new ArrayList<>();
            d.pools().stream().filter(p -> p.protocol() != Protocol.UNISWAP_V4).forEach(p -> emitters.add(p.id().address()));
            emitters.add(d.contracts().poolManager());
            List<PoolStateBook.BlockId> applied = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(seed);
            Map<String, Integer> outcomes = new TreeMap<>();
            List<String> mismatches = new ArrayList<>();
            Map<PoolId, Integer> feeChanges = new HashMap<>();
            int[] compared = {0};
            Pending[] pending = {null};

            TrafficGenerator.Report report = new TrafficGenerator(devnet.chain(), d, new TrafficGenerator.Options(BLOCKS, seed, 8, 25, 3))
                    .run(new TrafficGenerator.Listener() {
                        @Override
                        public void onBlock(long number, List<DevChain.Mined> txs) {
                            BlockHeader h = devnet.eth().header(number);
                            if (pending[0] != null && pending[0].block().number() == number - 1 && h.parentHash().equals(pending[0].block().hash())) {
                                check(quoter, pending[0], d, outcomes, mismatches);
                            }
                            PoolStateBook.BlockId id = new PoolStateBook.BlockId(h.number(), h.hash());
                            try {
                                book.applyBlock(id, decode(devnet.eth().logs(LogFilter.block(h.hash(), emitters))));
                                Map<PoolId, Integer> fees = lpFees.lpFees(dynamic, BlockRef.hash(h.hash()));
                                requireStorageAgrees(devnet, d, fees, number);
                                for (PoolDescriptor p : dynamic) {
                                    if (((PoolSnapshot.Concentrated) book.get(p.id()).snapshot()).fee() != fees.get(p.id())) {
                                        feeChanges.merge(p.id(), 1, Integer::sum);
                                    }
                                }
                                book.applyLpFees(id, fees);
                            } catch (Exception e) {
                                throw new AssertionError(e);
                            }
                            applied.add(id);
                            compare(scraper, book, d, number);
                            compared[0]++;
                            pending[0] = new Pending(id, cases(random, book, d, quoted));
                        }

                        @Override
                        public void onReorg(int depth, long newHead) {
                            for (int i = 0; i < depth; i++) {
                                try {
                                    book.revertBlock(applied.remove(applied.size() - 1));
                                } catch (Exception e) {
                                    throw new AssertionError(e);
                                }
                            }
                            pending[0] = null;
                            compare(scraper, book, d, newHead);
                        }
                    });
            System.out.println("hooked pools: " + report.blocks() + " blocks, " + report.transactions() + " txs (" + report.reverted()
                    + " reverted), " + report.reorgs() + " reorgs, compared=" + compared[0] + ", LP fee changes per dynamic pool=" + feeChanges.values());
            System.out.println("hooked pool actions: " + report.actions());
            System.out.println("quote outcomes: " + outcomes);
            assertThat(mismatches).as("exact-quotable pools whose quote differs from V4Quoter (seed=%d)", seed).isEmpty();
            assertThat(compared[0]).isGreaterThanOrEqualTo(BLOCKS);
            assertThat(report.reorgs()).isGreaterThanOrEqualTo(3);
            for (PoolDescriptor p : dynamic) {
                assertThat(feeChanges.getOrDefault(p.id(), 0)).as("LP fee changes seen on dynamic-fee pool %s", p.id()).isGreaterThanOrEqualTo(3);
            }
            for (HookKind k : HookKind.values()) {
                String support = supportByKind.get(k);
                if (support.equals("exact")) {
                    assertThat(outcomes.getOrDefault(k.wireName() + " equal", 0)).as(k.wireName() + " quotes equal to V4Quoter").isGreaterThanOrEqualTo(100);
                    assertThat(outcomes.getOrDefault(k.wireName() + " equal: not enough liquidity", 0)).as(k.wireName() + " beyond liquidity").isPositive();
                } else {
                    assertThat(outcomes.getOrDefault(k.wireName() + " differs from the plain V4 math", 0))
                            .as(k.wireName() + ": V4Quoter differs from the plain V4 math at least sometimes").isPositive();
                }
            }
            assertThat(outcomes.getOrDefault("plain equal", 0)).as("hookless V4 quotes equal to V4Quoter").isGreaterThanOrEqualTo(100);
        }
    }

    private static List<DecodedLog> decode(List<Log> logs) {
        List<DecodedLog> events = new ArrayList<>();
        for (Log l : logs) {
            try {
                DecodedLog e = LogDecoder.decode(l);
                if (e != null) {
                    events.add(e);
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return events;
    }

    /** The re-read LP fees against the PoolManager's raw storage (slot0 of each pool) at the same block. */
    private static void requireStorageAgrees(Devnet devnet, Deployment d, Map<PoolId, Integer> fees, long block) {
        fees.forEach((id, fee) -> {
            var word = devnet.eth().storageAt(d.contracts().poolManager(), V4StateLayout.stateSlot(id.v4Id()), BlockRef.number(block));
            assertThat(V4StateLayout.Slot0.unpack(word).lpFee()).as("LP fee of %s at block %d", id, block).isEqualTo(fee);
        });
    }

    private static void compare(PoolScraper scraper, PoolStateBook book, Deployment d, long block) {
        ScrapeResult fresh = scraper.scrape(d.pools(), block);
        assertThat(fresh.failures()).as("scrape failures at block %d", block).isEmpty();
        List<String> diffs = new ArrayList<>();
        for (PoolDescriptor p : d.pools()) {
            PoolSnapshot mine = book.get(p.id()).snapshot();
            PoolSnapshot chain = fresh.states().get(p.id()).snapshot();
            HookedPool h = d.hooked(p.id());
            mine.differences(chain).forEach(x -> diffs.add((h == null ? p.protocol().wireName() : h.kind().wireName()) + " " + p.id() + " " + x));
        }
        assertThat(diffs).as("differences from the chain at block %d", block).isEmpty();
    }

    /** Random quotes on every V4 pool from the book's state at the block just applied. */
    private static List<Case> cases(SplittableRandom r, PoolStateBook book, Deployment d, List<PoolDescriptor> pools) {
        List<Case> out = new ArrayList<>();
        for (PoolDescriptor p : pools) {
            HookedPool h = d.hooked(p.id());
            PoolSnapshot.Concentrated s = (PoolSnapshot.Concentrated) book.get(p.id()).snapshot();
            for (int i = 0; i < QUOTES_PER_POOL_PER_BLOCK; i++) {
                boolean zeroForOne = r.nextBoolean();
                boolean exactInput = r.nextBoolean();
                BigInteger base = virtualReserve(s, exactInput == zeroForOne).max(BigInteger.TEN.pow(6));
                double f = r.nextInt(10) == 0 ? 5 + r.nextDouble() * 1000 : Math.exp(Math.log(1e-7) + r.nextDouble() * (Math.log(2.0) - Math.log(1e-7)));
                BigInteger amount = new BigDecimal(base).multiply(BigDecimal.valueOf(f)).setScale(0, RoundingMode.DOWN).toBigInteger()
                        .max(BigInteger.ONE).min(BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE));
                SwapQuote q = null;
                String err = null;
                try {
                    q = ConcentratedSwap.quote(s, zeroForOne, exactInput, amount, null);
                } catch (MathRevert e) {
                    err = e.getMessage();
                }
                out.add(new Case(p, h == null ? null : h.kind(), zeroForOne, exactInput, amount, q, err));
            }
        }
        return out;
    }

    private static BigInteger virtualReserve(PoolSnapshot.Concentrated c, boolean token0) {
        if (c.liquidity().signum() == 0) {
            return BigInteger.TEN.pow(18);
        }
        return token0 ? c.liquidity().shiftLeft(96).divide(c.sqrtPriceX96()) : c.liquidity().multiply(c.sqrtPriceX96()).shiftRight(96);
    }

    /** Asks V4Quoter at the pending block (which now has a successor) and sorts each answer. */
    private static void check(V4QuoterClient quoter, Pending p, Deployment d, Map<String, Integer> outcomes, List<String> mismatches) {
        List<V4NodeQuote> answers = quoter.quoteAll(p.cases().stream()
                .map(c -> new V4QuoterClient.Request(c.pool(), c.zeroForOne(), c.exactInput(), c.amount())).toList(), BlockRef.hash(p.block().hash()));
        for (int i = 0; i < answers.size(); i++) {
            Case c = p.cases().get(i);
            V4NodeQuote node = answers.get(i);
            String label = c.kind() == null ? "plain" : c.kind().wireName();
            boolean exact = QuoteSupport.of(c.pool()) instanceof QuoteSupport.Exact;
            String verdict = agree(c, node);
            if (verdict != null) {
                count(outcomes, label + " equal" + (verdict.isEmpty() ? "" : ": " + verdict));
                if (!verdict.isEmpty()) {
                    count(outcomes, label + " equal");
                }
            } else if (exact) {
                mismatches.add(c.describe() + " at block " + p.block().number() + ": V4Quoter " + node + ", ours "
                        + (c.ours() == null ? "reverted: " + c.oursError() : c.ours()));
            } else {
                count(outcomes, label + " differs from the plain V4 math");
            }
        }
    }

    /**
     * "" when ours and the node's give the same amounts, a note when they agree the swap cannot be done (why), null
     * when they differ.
     */
    private static String agree(Case c, V4NodeQuote node) {
        SwapQuote ours = c.ours();
        return switch (node) {
            case V4NodeQuote.Quoted q -> ours != null && ours.complete() && q.amountIn().equals(ours.amountIn())
                    && q.amountOut().equals(ours.amountOut()) ? "" : null;
            case V4NodeQuote.Reverted rev -> {
                if (ours != null && !ours.complete() && rev.notEnoughLiquidity()) {
                    yield "not enough liquidity";
                }
                yield ours == null ? "both revert (" + rev.error() + ")" : null;
            }
        };
    }

    private static void count(Map<String, Integer> m, String key) {
        m.merge(key, 1, Integer::sum);
    }
}
