package io.poolstate.devnet.deploy;

import com.esaulpaugh.headlong.abi.Tuple;
import io.poolstate.devnet.chain.DevChain;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.v4.V4StateLayout;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Keccak256;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives freshly initialised V3/V4 pools (no positions yet) a realistic number of initialised ticks, drawn
 * log-uniformly from a range such as 50–500, by writing into their storage what that many positions would have
 * left there ({@code anvil_setStorageAt}, thousands per JSON-RPC batch): for each tick {@code liquidityGross} and
 * {@code liquidityNet} (and V3's {@code initialized} flag), the tick bitmap words, and the active {@code liquidity}
 * (the ranges that hold the current tick, {@code lower <= tick < upper}); then funds the pools (V3) and the
 * PoolManager (V4) with tokens so that swaps across those ticks can pay out. The positions themselves have no
 * owner: they can be crossed and quoted, not burnt. Later mints, burns and swaps go through the contracts and
 * read-modify-write the same storage, so the pools stay consistent. Minting hundreds of thousands of positions
 * through the contracts instead takes over an hour at 10,000 pools. Owned by the deploying thread.
 *
 * <p>Storage layouts: v3-core {@code UniswapV3Pool.sol} ({@code liquidity} slot 4, {@code ticks} slot 5,
 * {@code tickBitmap} slot 6; {@code Tick.Info}: gross | net &lt;&lt; 128, two fee growth slots, then
 * {@code initialized} at bit 248 of the fourth slot); v4-core {@code Pool.State} ({@link V4StateLayout}; its
 * {@code Tick.Info} is gross | net &lt;&lt; 128 and two fee growth slots).
 */
final class TickDepthDeployer {
    private static final Logger LOG = LoggerFactory.getLogger(TickDepthDeployer.class);
    private static final BigInteger V3_LIQUIDITY_SLOT = BigInteger.valueOf(4);
    private static final BigInteger V3_TICKS_SLOT = BigInteger.valueOf(5);
    private static final BigInteger V3_BITMAP_SLOT = BigInteger.valueOf(6);
    private static final BigInteger MASK128 = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    private static final BigInteger WORD = BigInteger.ONE.shiftLeft(256);
    private static final Bytes32 INITIALIZED = Bytes32.of(BigInteger.ONE.shiftLeft(248));

    private final DevChain chain;
    private final SplittableRandom random;
    private final ToDoubleFunction<Token> usdPrice;
    private final int minTicks;
    private final int maxTicks;
    private long ticksWritten;
    private long slotsWritten;

    TickDepthDeployer(DevChain chain, long seed, ToDoubleFunction<Token> usdPrice, int minTicks, int maxTicks) {
        this.chain = chain;
        this.random = new SplittableRandom(seed ^ 0x71c4d3e9L);
        this.usdPrice = usdPrice;
        this.minTicks = minTicks;
        this.maxTicks = maxTicks;
    }

    /**
     * Writes the ticks of {@code pools} (V3 or V4, without hooks, initialised at {@code currentTicks}, no liquidity
     * yet) and funds them. Mines one block.
     */
    void deploy(Contracts c, List<PoolDescriptor> pools, List<Integer> currentTicks, Address trader) {
        long started = System.nanoTime();
        List<DevChain.StorageWrite> writes = new ArrayList<>();
        for (int i = 0; i < pools.size(); i++) {
            PoolDescriptor d = pools.get(i);
            if (d.protocol() == Protocol.UNISWAP_V2 || (d.hooks() != null && !d.hooks().isZero())) {
                throw new IllegalArgumentException("tick depth is for plain V3/V4 pools: " + d.id());
            }
            writePool(c, d, currentTicks.get(i), writes);
            if (writes.size() >= 20_000) {
                chain.setStorage(writes);
                writes.clear();
            }
        }
        chain.setStorage(writes);
        fund(c, pools, trader);
        LOG.info("devnet tick depth: pools={} ticks={} storage_slots={} ticks_per_pool={}-{} seconds={}", pools.size(), ticksWritten, slotsWritten,
                minTicks, maxTicks, (System.nanoTime() - started) / 1_000_000_000.0);
    }

    private void writePool(Contracts c, PoolDescriptor d, int tick, List<DevChain.StorageWrite> writes) {
        int target = (int) Math.round(Math.exp(Math.log(minTicks) + random.nextDouble() * (Math.log(maxTicks) - Math.log(minTicks))));
        List<int[]> ranges = ranges(tick, d.tickSpacing(), target);
        double value = poolValueUsd() / ranges.size();
        double usd0 = usdPrice.applyAsDouble(d.token0());
        double usd1 = usdPrice.applyAsDouble(d.token1());
        TreeMap<Integer, BigInteger[]> ticks = new TreeMap<>();
        BigInteger active = BigInteger.ZERO;
        for (int[] r : ranges) {
            BigInteger l = V4Calls.liquidityFor(value * (0.2 + random.nextDouble() * 1.8), d, usd0, usd1);
            add(ticks, r[0], l, l);
            add(ticks, r[1], l, l.negate());
            if (r[0] <= tick && tick < r[1]) {
                active = active.add(l);
            }
        }
        Map<Integer, BigInteger> words = new TreeMap<>();
        for (int t : ticks.keySet()) {
            int compressed = t / d.tickSpacing();
            words.merge(compressed >> 8, BigInteger.ONE.shiftLeft(compressed & 0xff), BigInteger::or);
        }
        boolean v3 = d.protocol() == Protocol.UNISWAP_V3;
        Address at = v3 ? d.id().address() : c.poolManager();
        Bytes32 state = v3 ? null : V4StateLayout.stateSlot(d.id().v4Id());
        for (Map.Entry<Integer, BigInteger[]> e : ticks.entrySet()) {
            BigInteger[] gn = e.getValue();
            Bytes32 info = Bytes32.of(gn[0].or(gn[1].and(MASK128).shiftLeft(128)));
            if (v3) {
                Bytes32 slot = mappingSlot(e.getKey(), V3_TICKS_SLOT);
                writes.add(new DevChain.StorageWrite(at, slot, info));
                writes.add(new DevChain.StorageWrite(at, Bytes32.of(slot.toBigInteger().add(BigInteger.valueOf(3)).mod(WORD)), INITIALIZED));
            } else {
                writes.add(new DevChain.StorageWrite(at, V4StateLayout.tickSlot(state, e.getKey()), info));
            }
        }
        for (Map.Entry<Integer, BigInteger> w : words.entrySet()) {
            Bytes32 slot = v3 ? mappingSlot(w.getKey(), V3_BITMAP_SLOT) : V4StateLayout.bitmapSlot(state, w.getKey());
            writes.add(new DevChain.StorageWrite(at, slot, Bytes32.of(w.getValue())));
        }
        writes.add(new DevChain.StorageWrite(at, v3 ? Bytes32.of(V3_LIQUIDITY_SLOT) : V4StateLayout.offset(state, V4StateLayout.LIQUIDITY_OFFSET),
                Bytes32.of(active)));
        ticksWritten += ticks.size();
        slotsWritten += (v3 ? 2L : 1L) * ticks.size() + words.size() + 1;
    }

    private static void add(TreeMap<Integer, BigInteger[]> ticks, int tick, BigInteger gross, BigInteger net) {
        BigInteger[] gn = ticks.computeIfAbsent(tick, t -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO});
        gn[0] = gn[0].add(gross);
        gn[1] = gn[1].add(net);
    }

    /** Tokens for the V3 pools (each its own) and the PoolManager (all V4 pools), through Multicall3 40 mints at a time. */
    private void fund(Contracts c, List<PoolDescriptor> pools, Address trader) {
        List<Tuple> calls = new ArrayList<>();
        java.util.Set<Address> managerTokens = new java.util.LinkedHashSet<>();
        for (PoolDescriptor d : pools) {
            for (Token t : new Token[] {d.token0(), d.token1()}) {
                if (d.protocol() == Protocol.UNISWAP_V4) {
                    managerTokens.add(t.address());
                } else {
                    fundCall(c, t.address(), d.id().address(), BigInteger.TEN.pow(22), calls, trader);
                }
            }
        }
        for (Address t : managerTokens) {
            fundCall(c, t, c.poolManager(), BigInteger.TEN.pow(24), calls, trader);
        }
        for (int i = 0; i < calls.size(); i += 40) {
            chain.queue("fund deep pools", c.multicall3(), Abi.call("aggregate3((address,bool,bytes)[])",
                    (Object) calls.subList(i, Math.min(calls.size(), i + 40)).toArray(Tuple[]::new)), null, 4_000_000);
        }
        chain.mineAll(DevnetDeployer.TXS_PER_BLOCK);
    }

    private void fundCall(Contracts c, Address token, Address to, BigInteger wethAmount, List<Tuple> calls, Address trader) {
        if (token.isZero()) {
            chain.setBalance(to, BigInteger.TEN.pow(30));
        } else if (token.equals(c.weth())) {
            chain.queue("fund deep pool WETH", token, Abi.call("transfer(address,uint256)", Abi.addr(to), wethAmount), null, DevnetDeployer.CALL_GAS);
        } else {
            calls.add(Tuple.from(Abi.addr(token), false, Abi.call("mint(address,uint256)", Abi.addr(to), BigInteger.TEN.pow(40))));
        }
    }

    /** {@code keccak256(abi.encode(int256(key), slot))}: a Solidity mapping entry keyed by a signed integer. */
    private static Bytes32 mappingSlot(int key, BigInteger slot) {
        byte[] enc = new byte[64];
        BigInteger k = BigInteger.valueOf(key);
        Bytes32.of(k.signum() < 0 ? k.add(WORD) : k).copyTo(enc, 0);
        Bytes32.of(slot).copyTo(enc, 32);
        return Bytes32.wrap(Keccak256.hash(enc));
    }

    /**
     * Position ranges around {@code tick} with {@code target} distinct boundaries: nested and one-sided ranges of the
     * shapes {@link PositionRanges} draws (no full range: those would all share the same two ticks).
     */
    private List<int[]> ranges(int tick, int spacing, int target) {
        TreeSet<Integer> boundaries = new TreeSet<>();
        List<int[]> out = new ArrayList<>();
        int attempts = 0;
        while (boundaries.size() < target && attempts++ < target * 20) {
            int[] r = PositionRanges.random(random, tick, spacing, 1 + random.nextInt(5));
            boolean newLower = !boundaries.contains(r[0]);
            boolean newUpper = !boundaries.contains(r[1]);
            if (!newLower && !newUpper) {
                continue;
            }
            if (newLower && newUpper && boundaries.size() + 2 > target) {
                // one boundary left to place: pair the new lower end with an existing boundary above it
                Integer above = boundaries.higher(r[0]);
                if (above == null) {
                    continue;
                }
                r[1] = above;
            }
            boundaries.add(r[0]);
            boundaries.add(r[1]);
            out.add(r);
        }
        return out;
    }

    private double poolValueUsd() {
        return Math.exp(Math.log(50_000) + random.nextDouble() * (Math.log(20_000_000) - Math.log(50_000)));
    }
}
