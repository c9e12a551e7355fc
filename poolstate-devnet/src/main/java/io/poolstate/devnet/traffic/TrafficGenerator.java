package io.poolstate.devnet.traffic;

import com.esaulpaugh.headlong.abi.Tuple;
import io.poolstate.devnet.DevnetException;
import io.poolstate.devnet.chain.DevChain;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.devnet.deploy.Deployment;
import io.poolstate.devnet.deploy.HookedPool;
import io.poolstate.devnet.deploy.PoolReader;
import io.poolstate.devnet.deploy.PoolReader.PoolView;
import io.poolstate.devnet.deploy.PositionRanges;
import io.poolstate.devnet.deploy.V4Calls;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.pool.V4PoolKey;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.rpc.BlockRef;
import io.poolstate.eth.rpc.Log;
import io.poolstate.eth.rpc.TransactionReceipt;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deterministic random traffic on a devnet: every block holds several transactions across V2, V3 and V4
 * pools, and every few blocks the chain is reorganised through {@code anvil_rollback} followed by different
 * replacement blocks. Covered: swaps both ways, exact input and exact output, some large enough to cross
 * many ticks or to push the price to the end of liquidity; V3 mints, partial and full burns (ticks become
 * uninitialised), zero-liquidity burns (collect) and flash loans; V2 swaps, mints, burns, a direct transfer
 * followed by {@code sync()} or {@code skim()}; V4 liquidity adds, removes and zero-delta pokes, swaps and
 * donations. Hooked V4 pools get the same traffic plus, through their hooks, LP fee changes on dynamic-fee pools
 * ({@code forcePoolFeeUpdate}: the hook calls {@code PoolManager.updateDynamicLPFee}, no event) and new fees for the
 * hooks that apply theirs in {@code beforeSwap} ({@code setFee}). Transactions may revert (e.g. an exact output beyond
 * liquidity); that is counted, not fatal.
 *
 * <p>Single-threaded: the caller's thread drives the chain.
 */
public final class TrafficGenerator {
    private static final Logger LOG = LoggerFactory.getLogger(TrafficGenerator.class);
    private static final long GAS = 12_000_000;
    private static final Bytes32 INCREASE_LIQUIDITY = Bytes32.of("0x3067048beee31b25b2f1681f88dac838c8bba36af25bfb2b7cf7473a5847e35f");
    private static final BigInteger UINT128_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    /** What to generate. {@code reorgEvery} 0 means no reorgs. */
    public record Options(int blocks, long seed, int txsPerBlock, int reorgEvery, int maxReorgDepth) {
        public Options {
            if (blocks < 0 || txsPerBlock < 1 || reorgEvery < 0 || maxReorgDepth < 1) {
                throw new DevnetException("invalid traffic options: blocks=" + blocks + " txs-per-block=" + txsPerBlock
                        + " reorg-every=" + reorgEvery + " max-reorg-depth=" + maxReorgDepth);
            }
        }
    }

    /** What was generated. */
    public record Report(int blocks, int transactions, int reverted, int reorgs, int deepestReorg, Map<String, Integer> actions,
                         Map<String, Integer> revertReasons) {
    }

    /** Told about each mined block and each reorg (for live displays). */
    public interface Listener {
        void onBlock(long number, List<DevChain.Mined> txs);

        default void onReorg(int depth, long newHead) {
        }
    }

    private record Planned(String action, Address to, byte[] data, BigInteger value, Consumer<TransactionReceipt> onSuccess) {
    }

    private final DevChain chain;
    private final Deployment d;
    private final Options o;
    private final SplittableRandom random;
    /** Draws for hook actions only, so a devnet without hooked pools sees exactly the traffic it always did. */
    private final SplittableRandom hookRandom;
    private final Map<PoolId, HookedPool> hooked = new java.util.HashMap<>();
    private final Map<String, Integer> actions = new TreeMap<>();
    private final Map<String, Integer> revertReasons = new TreeMap<>();
    private volatile boolean stopped;
    private PositionBook book;
    private int blocks;
    private int txs;
    private int reverted;
    private int reorgs;
    private int deepest;

    public TrafficGenerator(DevChain chain, Deployment deployment, Options options) {
        this.chain = chain;
        this.d = deployment;
        this.o = options;
        this.random = new SplittableRandom(options.seed());
        this.hookRandom = new SplittableRandom(options.seed() ^ 0x400c5L);
        deployment.hookedPools().forEach(h -> hooked.put(h.pool().id(), h));
    }

    /** Mines {@code blocks} blocks of traffic (replacement blocks of a reorg count) and reports. */
    public Report run(Listener listener) {
        book = PositionBook.load(chain.eth(), d);
        int sinceReorg = 0;
        while (blocks < o.blocks() && !stopped) {
            if (o.reorgEvery() > 0 && sinceReorg >= o.reorgEvery() && o.blocks() - blocks > 1
                    && chain.head().number() > d.deployBlock() + o.maxReorgDepth()) {
                reorg(listener);
                sinceReorg = 0;
            }
            block(listener);
            sinceReorg++;
        }
        return report();
    }

    /** Asks {@link #run} to return after the block in progress; safe from any thread. */
    public void stop() {
        stopped = true;
    }

    public Report report() {
        return new Report(blocks, txs, reverted, reorgs, deepest, new TreeMap<>(actions), new TreeMap<>(revertReasons));
    }

    private void reorg(Listener listener) {
        int depth = 1 + random.nextInt(o.maxReorgDepth());
        chain.rollback(depth);
        book = PositionBook.load(chain.eth(), d);
        reorgs++;
        deepest = Math.max(deepest, depth);
        long head = chain.head().number();
        LOG.info("reorg: depth={} rolled_back_to={}", depth, head);
        listener.onReorg(depth, head);
        // the replacement chain is one block longer than the orphaned one, so it becomes canonical
        for (int i = 0; i < depth && blocks < o.blocks() - 1; i++) {
            block(listener);
        }
    }

    private void block(Listener listener) {
        List<PoolDescriptor> chosen = new ArrayList<>();
        for (int i = 0; i < o.txsPerBlock(); i++) {
            chosen.add(d.pools().get(random.nextInt(d.pools().size())));
        }
        List<PoolView> views = PoolReader.read(chain.eth(), chosen, d.contracts().poolManager(), BlockRef.latest());
        Set<Object> touched = new HashSet<>();
        List<Planned> planned = new ArrayList<>();
        for (PoolView v : views) {
            switch (v.pool().protocol()) {
                case UNISWAP_V2 -> planV2(v, planned);
                case UNISWAP_V3 -> planV3(v, planned, touched);
                case UNISWAP_V4 -> planV4(v, planned, touched);
            }
        }
        for (Planned p : planned) {
            chain.queue(p.action(), p.to(), p.data(), p.value(), GAS);
        }
        List<DevChain.Mined> mined = chain.mine();
        for (int i = 0; i < mined.size(); i++) {
            DevChain.Mined m = mined.get(i);
            Planned p = planned.get(i);
            actions.merge(p.action(), 1, Integer::sum);
            if (m.success()) {
                if (p.onSuccess() != null) {
                    p.onSuccess().accept(m.receipt());
                }
            } else {
                reverted++;
                actions.merge(p.action() + " (reverted)", 1, Integer::sum);
                if (revertReasons.size() < 50) {
                    revertReasons.merge(p.action() + ": " + chain.revertReason(m), 1, Integer::sum);
                }
            }
        }
        txs += mined.size();
        blocks++;
        listener.onBlock(mined.isEmpty() ? chain.head().number() : mined.get(0).receipt().blockNumber(), mined);
    }

    // ---- V2 -------------------------------------------------------------------------------------------

    private void planV2(PoolView v, List<Planned> out) {
        PoolDescriptor p = v.pool();
        Address pair = p.id().address();
        boolean zeroForOne = random.nextBoolean();
        Token in = zeroForOne ? p.token0() : p.token1();
        Token outToken = zeroForOne ? p.token1() : p.token0();
        Object[] path = {new com.esaulpaugh.headlong.abi.Address[] {Abi.addr(in.address()), Abi.addr(outToken.address())}};
        int roll = random.nextInt(100);
        if (roll < 30) {
            BigInteger amountIn = fraction(v.balanceIn(zeroForOne), 1e-4, 0.5).max(BigInteger.ONE);
            out.add(new Planned("v2 swap exact-in", d.contracts().v2Router(), Abi.call(
                    "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)", amountIn, BigInteger.ZERO, path[0],
                    Abi.addr(d.trader()), Abi.MAX_UINT256), null, null));
        } else if (roll < 50) {
            BigInteger amountOut = fraction(v.balanceOut(zeroForOne), 1e-4, 0.5).max(BigInteger.ONE);
            out.add(new Planned("v2 swap exact-out", d.contracts().v2Router(), Abi.call(
                    "swapTokensForExactTokens(uint256,uint256,address[],address,uint256)", amountOut, Abi.MAX_UINT256, path[0],
                    Abi.addr(d.trader()), Abi.MAX_UINT256), null, null));
        } else if (roll < 62) {
            double f = 0.01 + random.nextDouble() * 0.3;
            out.add(new Planned("v2 mint", d.contracts().v2Router(), Abi.call(
                    "addLiquidity(address,address,uint256,uint256,uint256,uint256,address,uint256)", Abi.addr(p.token0().address()),
                    Abi.addr(p.token1().address()), scale(v.balance0(), f).max(BigInteger.TEN), scale(v.balance1(), f).max(BigInteger.TEN),
                    BigInteger.ZERO, BigInteger.ZERO, Abi.addr(d.trader()), Abi.MAX_UINT256), null, null));
        } else if (roll < 74) {
            BigInteger liquidity = scale(v.lpSupply().subtract(BigInteger.valueOf(1000)), 0.01 + random.nextDouble() * 0.3);
            out.add(new Planned("v2 burn", d.contracts().v2Router(), Abi.call(
                    "removeLiquidity(address,address,uint256,uint256,uint256,address,uint256)", Abi.addr(p.token0().address()),
                    Abi.addr(p.token1().address()), liquidity.max(BigInteger.ONE), BigInteger.ZERO, BigInteger.ZERO, Abi.addr(d.trader()),
                    Abi.MAX_UINT256), null, null));
        } else {
            boolean sync = roll < 87;
            BigInteger amount = scale(v.balanceIn(zeroForOne), 0.0001 + random.nextDouble() * 0.01).max(BigInteger.ONE);
            out.add(new Planned(sync ? "v2 transfer for sync" : "v2 transfer for skim", in.address(),
                    Abi.call("transfer(address,uint256)", Abi.addr(pair), amount), null, null));
            out.add(new Planned(sync ? "v2 sync" : "v2 skim", pair, sync ? Abi.call("sync()")
                    : Abi.call("skim(address)", Abi.addr(d.trader())), null, null));
        }
    }

    // ---- V3 -------------------------------------------------------------------------------------------

    private void planV3(PoolView v, List<Planned> out, Set<Object> touched) {
        PoolDescriptor p = v.pool();
        boolean zeroForOne = random.nextBoolean();
        Token in = zeroForOne ? p.token0() : p.token1();
        Token outToken = zeroForOne ? p.token1() : p.token0();
        List<PositionBook.V3Position> positions = book.v3(p.id()).stream().filter(x -> !touched.contains(x.tokenId())).toList();
        int roll = random.nextInt(100);
        if (roll < 27 || (roll >= 70 && positions.isEmpty())) {
            BigInteger amountIn = fraction(orUnit(v.balanceIn(zeroForOne), in), 1e-5, 1.0).max(BigInteger.ONE);
            out.add(new Planned("v3 swap exact-in", d.contracts().swapRouter(), exactInputSingle(in, outToken, p.fee(), amountIn), null, null));
        } else if (roll < 47) {
            BigInteger amountOut = fraction(orUnit(v.balanceOut(zeroForOne), outToken), 1e-5, 0.6).max(BigInteger.ONE);
            out.add(new Planned("v3 swap exact-out", d.contracts().swapRouter(), Abi.call(
                    "exactOutputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160))", Tuple.from(
                            Abi.addr(in.address()), Abi.addr(outToken.address()), p.fee(), Abi.addr(d.trader()), Abi.MAX_UINT256, amountOut,
                            Abi.MAX_UINT256, BigInteger.ZERO)), null, null));
        } else if (roll < 50) {
            BigInteger amountIn = orUnit(v.balanceIn(zeroForOne), in).multiply(BigInteger.valueOf(100));
            out.add(new Planned("v3 swap to end of liquidity", d.contracts().swapRouter(), exactInputSingle(in, outToken, p.fee(), amountIn), null, null));
        } else if (roll < 65) {
            int[] range = PositionRanges.random(random, v.tick(), p.tickSpacing(), random.nextInt(6));
            double f = 0.01 + random.nextDouble() * 0.3;
            out.add(new Planned("v3 mint", d.contracts().positionManager(), Abi.call(
                    "mint((address,address,uint24,int24,int24,uint256,uint256,uint256,uint256,address,uint256))", Tuple.from(
                            Abi.addr(p.token0().address()), Abi.addr(p.token1().address()), p.fee(), range[0], range[1],
                            scale(orUnit(v.balance0(), p.token0()), f), scale(orUnit(v.balance1(), p.token1()), f), BigInteger.ZERO,
                            BigInteger.ZERO, Abi.addr(d.trader()), Abi.MAX_UINT256)), null,
                    r -> minted(r, p, range)));
        } else if (roll < 70) {
            BigInteger a0 = scale(v.balance0(), random.nextDouble() * 0.5);
            BigInteger a1 = scale(v.balance1(), random.nextDouble() * 0.5);
            Address callee = d.contracts().flashCallee();
            byte[] flash = Abi.call("flash(address,uint256,uint256,bytes)", Abi.addr(callee), a0, a1,
                    Abi.encode("(address,address,uint256,uint256)", Abi.addr(p.token0().address()), Abi.addr(p.token1().address()), a0, a1));
            byte[] forward = new byte[32 + flash.length];
            p.id().address().copyTo(forward, 12);
            System.arraycopy(flash, 0, forward, 32, flash.length);
            out.add(new Planned("v3 flash", callee, forward, null, null));
        } else if (!positions.isEmpty()) {
            PositionBook.V3Position pos = positions.get(random.nextInt(positions.size()));
            touched.add(pos.tokenId());
            Address npm = d.contracts().positionManager();
            byte[] collect = Abi.call("collect((uint256,address,uint128,uint128))", Tuple.from(pos.tokenId(), Abi.addr(d.trader()), UINT128_MAX, UINT128_MAX));
            if (roll < 82) {
                BigInteger part = scale(pos.liquidity(), 0.1 + random.nextDouble() * 0.8).max(BigInteger.ONE).min(pos.liquidity());
                out.add(new Planned("v3 burn partial", npm, multicall(decrease(pos.tokenId(), part), collect), null,
                        r -> book.putV3(new PositionBook.V3Position(pos.tokenId(), p, pos.lower(), pos.upper(), pos.liquidity().subtract(part)))));
            } else if (roll < 90) {
                out.add(new Planned("v3 collect (zero burn)", npm, collect, null, null));
            } else {
                out.add(new Planned("v3 burn whole position", npm, multicall(decrease(pos.tokenId(), pos.liquidity()), collect,
                        Abi.call("burn(uint256)", pos.tokenId())), null, r -> book.burnV3(pos.tokenId())));
            }
        }
    }

    private byte[] exactInputSingle(Token in, Token out, int fee, BigInteger amountIn) {
        return Abi.call("exactInputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160))", Tuple.from(
                Abi.addr(in.address()), Abi.addr(out.address()), fee, Abi.addr(d.trader()), Abi.MAX_UINT256, amountIn, BigInteger.ZERO,
                BigInteger.ZERO));
    }

    private static byte[] decrease(BigInteger tokenId, BigInteger liquidity) {
        return Abi.call("decreaseLiquidity((uint256,uint128,uint256,uint256,uint256))", Tuple.from(tokenId, liquidity, BigInteger.ZERO,
                BigInteger.ZERO, Abi.MAX_UINT256));
    }

    private static byte[] multicall(byte[]... calls) {
        return Abi.call("multicall(bytes[])", (Object) calls);
    }

    private void minted(TransactionReceipt r, PoolDescriptor p, int[] range) {
        for (Log l : r.logs()) {
            if (l.address().equals(d.contracts().positionManager()) && INCREASE_LIQUIDITY.equals(l.topic0())) {
                BigInteger tokenId = l.topics().get(1).toBigInteger();
                BigInteger liquidity = new BigInteger(1, java.util.Arrays.copyOfRange(l.data(), 0, 32));
                book.putV3(new PositionBook.V3Position(tokenId, p, range[0], range[1], liquidity));
            }
        }
    }

    // ---- V4 -------------------------------------------------------------------------------------------

    private void planV4(PoolView v, List<Planned> out, Set<Object> touched) {
        PoolDescriptor p = v.pool();
        V4PoolKey key = V4Calls.keyOf(p);
        Address swapper = d.contracts().poolSwapTest();
        Address lp = d.contracts().poolModifyLiquidityTest();
        BigInteger value = key.currency0().isZero() ? V4Calls.NATIVE_VALUE : null;
        boolean zeroForOne = random.nextBoolean();
        Token in = zeroForOne ? p.token0() : p.token1();
        Token outToken = zeroForOne ? p.token1() : p.token0();
        List<PositionBook.V4Position> positions = book.v4(p.id()).stream().filter(x -> !touched.contains(x.key())).toList();
        HookedPool h = hooked.get(p.id());
        if (h != null && hookRandom.nextInt(100) < 30 && planHookFee(h, key, out)) {
            return;
        }
        int roll = random.nextInt(100);
        if (roll < 27 || (roll >= 70 && positions.isEmpty())) {
            BigInteger amountIn = fraction(orUnit(v.balanceIn(zeroForOne), in), 1e-5, 1.0).max(BigInteger.ONE);
            out.add(new Planned("v4 swap exact-in", swapper, V4Calls.swap(key, zeroForOne, amountIn.negate()), value, null));
        } else if (roll < 45) {
            BigInteger amountOut = fraction(orUnit(v.balanceOut(zeroForOne), outToken), 1e-5, 0.6).max(BigInteger.ONE);
            out.add(new Planned("v4 swap exact-out", swapper, V4Calls.swap(key, zeroForOne, amountOut), value, null));
        } else if (roll < 48) {
            BigInteger amountIn = orUnit(v.balanceIn(zeroForOne), in).multiply(BigInteger.valueOf(100));
            out.add(new Planned("v4 swap to end of liquidity", swapper, V4Calls.swap(key, zeroForOne, amountIn.negate()),
                    zeroForOne ? value : null, null));
        } else if (roll < 62) {
            int[] range = PositionRanges.random(random, v.tick(), p.tickSpacing(), random.nextInt(6));
            BigInteger l = v.liquidity().signum() > 0 ? scale(v.liquidity(), 0.01 + random.nextDouble() * 0.5).max(BigInteger.valueOf(1000))
                    : BigInteger.TEN.pow(18);
            Bytes32 salt = Bytes32.wrap(V4Calls.salt(random.nextLong()));
            out.add(new Planned("v4 add liquidity", lp, V4Calls.modifyLiquidity(key, range[0], range[1], l, salt.toBytes()), value,
                    r -> book.addV4(p, range[0], range[1], salt, l)));
        } else if (roll < 70) {
            BigInteger a0 = scale(orUnit(v.balance0(), p.token0()), 1e-4);
            BigInteger a1 = scale(orUnit(v.balance1(), p.token1()), 1e-4);
            out.add(new Planned("v4 donate", d.contracts().poolDonateTest(), V4Calls.donate(key, a0, a1), value, null));
        } else {
            PositionBook.V4Position pos = positions.get(random.nextInt(positions.size()));
            touched.add(pos.key());
            BigInteger delta;
            String action;
            if (roll < 78) {
                delta = scale(pos.liquidity(), 0.1 + random.nextDouble() * 0.5).max(BigInteger.ONE).min(pos.liquidity()).negate();
                action = "v4 remove liquidity partial";
            } else if (roll < 86) {
                delta = pos.liquidity().negate();
                action = "v4 remove whole position";
            } else if (roll < 93) {
                delta = BigInteger.ZERO;
                action = "v4 modify liquidity zero delta";
            } else {
                delta = scale(pos.liquidity(), 0.1 + random.nextDouble());
                action = "v4 add to position";
            }
            BigInteger dl = delta;
            out.add(new Planned(action, lp, V4Calls.modifyLiquidity(key, pos.lower(), pos.upper(), dl, pos.salt().toBytes()), value,
                    r -> book.addV4(p, pos.lower(), pos.upper(), pos.salt(), dl)));
        }
    }

    /** A fee change through the pool's hook, for the hooks that have one; false for the others. */
    private boolean planHookFee(HookedPool h, V4PoolKey key, List<Planned> out) {
        int fee = hookRandom.nextInt(20) == 0 ? 0 : 100 + hookRandom.nextInt(50_000);
        switch (h.kind()) {
            case DYNAMIC_FEE -> out.add(new Planned("v4 hook updateDynamicLPFee", h.hooks(), V4Calls.forcePoolFeeUpdate(key, fee), null, null));
            case DYNAMIC_FEE_BEFORE_SWAP -> out.add(new Planned("v4 hook setFee (applied in beforeSwap)", h.hooks(), V4Calls.setHookFee(fee), null, null));
            case FEE_OVERRIDE -> {
                if (hookRandom.nextBoolean()) {
                    out.add(new Planned("v4 hook setFee (override)", h.hooks(), V4Calls.setHookFee(fee), null, null));
                } else {
                    out.add(new Planned("v4 hook updateDynamicLPFee", h.hooks(), V4Calls.forcePoolFeeUpdate(key, fee), null, null));
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    // ---- sizing ---------------------------------------------------------------------------------------

    /** A log-uniform fraction of {@code base} between {@code min} and {@code max}. */
    private BigInteger fraction(BigInteger base, double min, double max) {
        double f = Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min)));
        return scale(base, f);
    }

    private static BigInteger scale(BigInteger base, double f) {
        return new BigDecimal(base).multiply(BigDecimal.valueOf(f)).setScale(0, RoundingMode.DOWN).toBigInteger();
    }

    /** The balance, or about 1,000 USD of the token when the pool holds none (price pushed out of range). */
    private BigInteger orUnit(BigInteger balance, Token t) {
        BigInteger unit = new BigDecimal(1000 / d.usdPrice(t.address())).multiply(BigDecimal.TEN.pow(t.decimals()))
                .setScale(0, RoundingMode.DOWN).toBigInteger().max(BigInteger.ONE);
        return balance.compareTo(unit) < 0 ? unit : balance;
    }

    /** Pools by id, for callers that map events back. */
    public static Map<PoolId, PoolDescriptor> byId(Deployment d) {
        Map<PoolId, PoolDescriptor> m = new java.util.HashMap<>();
        d.pools().forEach(p -> m.put(p.id(), p));
        return m;
    }
}
