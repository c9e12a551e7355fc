package io.poolstate.devnet.deploy;

import com.esaulpaugh.headlong.abi.Tuple;
import io.poolstate.devnet.DevnetException;
import io.poolstate.devnet.chain.DevChain;
import io.poolstate.devnet.contract.Abi;
import io.poolstate.devnet.contract.Artifact;
import io.poolstate.devnet.contract.FlashCallee;
import io.poolstate.devnet.contract.UniswapArtifacts;
import io.poolstate.devnet.contract.V4TestHookArtifacts;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.pool.V4PoolKey;
import io.poolstate.eth.Address;
import io.poolstate.eth.Keccak256;
import io.poolstate.eth.multicall.Multicall3;
import io.poolstate.eth.rpc.BlockRef;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys the real Uniswap contracts and a deterministic (seeded) set of tokens, pools and positions on an
 * Anvil devnet. Pools are split evenly over V2/V3/V4; V3 pools use all four fee tiers; the first V4 pools
 * trade native ETH (currency0 = address(0)). Liquidity per pool is sized from reference USD prices. Then v4-periphery's
 * V4Quoter and, with {@link Options#hookedPools()}, one hooked V4 pool per {@link HookKind} ({@link V4HookDeployer}).
 */
public final class DevnetDeployer {
    private static final Logger LOG = LoggerFactory.getLogger(DevnetDeployer.class);

    /**
     * Deployment sizes; {@code seed} makes prices, pairs and positions reproducible. {@code hookedPools} adds one V4
     * pool per {@link HookKind} (v4-core test hooks at flagged addresses) after the {@code pools} plain ones.
     * {@code minTicks}..{@code maxTicks} (both 0: none) gives every plain V3/V4 pool, besides its
     * {@code positionsPerPool} positions, a log-uniformly drawn number of initialised ticks in that range
     * ({@link TickDepthDeployer}), deployed last so the rest of the deployment is the same with or without them.
     */
    public record Options(int pools, int positionsPerPool, long seed, boolean hookedPools, int minTicks, int maxTicks) {
        public Options {
            if (pools < 3) {
                throw new DevnetException("--pools must be at least 3 (one per protocol): pools=" + pools);
            }
            if (positionsPerPool < 1) {
                throw new DevnetException("--positions must be at least 1: positions=" + positionsPerPool);
            }
            if (minTicks < 0 || maxTicks < minTicks || (maxTicks > 0 && minTicks < 2)) {
                throw new DevnetException("--ticks must be MIN-MAX with 2 <= MIN <= MAX: ticks=" + minTicks + "-" + maxTicks);
            }
        }

        /** Plain pools only. */
        public Options(int pools, int positionsPerPool, long seed) {
            this(pools, positionsPerPool, seed, false);
        }

        public Options(int pools, int positionsPerPool, long seed, boolean hookedPools) {
            this(pools, positionsPerPool, seed, hookedPools, 0, 0);
        }

        /** 30 plain pools, 8 positions each, seed 1, no hooked pools. */
        public static Options defaults() {
            return new Options(30, 8, 1);
        }

        public Options withHookedPools(boolean on) {
            return new Options(pools, positionsPerPool, seed, on, minTicks, maxTicks);
        }

        /** Each plain V3/V4 pool gets between {@code min} and {@code max} initialised ticks (0, 0: none). */
        public Options withTicks(int min, int max) {
            return new Options(pools, positionsPerPool, seed, hookedPools, min, max);
        }

        /** A stable text naming every field, for cache keys. */
        public String key() {
            return "pools=" + pools + ",positions=" + positionsPerPool + ",seed=" + seed + ",hooked=" + hookedPools + ",ticks=" + minTicks + "-" + maxTicks;
        }
    }

    static final long DEPLOY_GAS = 15_000_000;
    static final long CALL_GAS = 8_000_000;
    static final int TXS_PER_BLOCK = 250;
    private static final int[][] V3_TIERS = {{100, 1}, {500, 10}, {3000, 60}, {10000, 200}};
    private static final int[][] V4_FEES = {{3000, 60}, {500, 10}, {100, 1}, {10000, 200}, {2500, 50}, {750, 15}, {20000, 400}};
    private static final String[][] NAMED = {{"USDC", "6", "1"}, {"WBTC", "8", "60000"}, {"DAI", "18", "1"}};
    private static final int[] DECIMALS = {18, 6, 8};
    static final BigInteger TRADER_ETH = BigInteger.TEN.pow(30);
    static final BigInteger TRADER_WETH = BigInteger.TEN.pow(27);

    private final DevChain chain;
    private final UniswapArtifacts art;
    private final V4TestHookArtifacts hookArt;
    private final Options options;
    private final SplittableRandom random;
    /** Writes the plain V3/V4 pools' deep ticks before their positions are minted; null without {@link Options#maxTicks()}. */
    private TickDepthDeployer tickDepth;

    private DevnetDeployer(DevChain chain, UniswapArtifacts art, V4TestHookArtifacts hookArt, Options options) {
        this.chain = chain;
        this.art = art;
        this.hookArt = hookArt;
        this.options = options;
        this.random = new SplittableRandom(options.seed());
    }

    /**
     * Deploys everything and returns the deployment (not yet written to disk). {@code hookArt} is needed only with
     * {@link Options#hookedPools()}.
     */
    public static Deployment deploy(DevChain chain, UniswapArtifacts art, V4TestHookArtifacts hookArt, Artifact multicall3, Options options,
                                    String httpUrl, String wsUrl, String ipcUrl) {
        return new DevnetDeployer(chain, art, hookArt, options).run(multicall3, httpUrl, wsUrl, ipcUrl);
    }

    private Deployment run(Artifact multicall3, String httpUrl, String wsUrl, String ipcUrl) {
        long started = System.nanoTime();
        Address me = chain.from();
        chain.setBalance(me, TRADER_ETH);
        Contracts c = deployContracts(multicall3, me);
        int nV2 = options.pools() / 3;
        int nV4 = options.pools() / 3;
        int nV3 = options.pools() - nV2 - nV4;
        List<Token> tokens = new ArrayList<>();
        List<Double> prices = new ArrayList<>();
        deployTokens(c, me, requiredTokens(nV2, nV3), tokens, prices);
        List<int[]> pairs = shuffledPairs(tokens.size());
        if (options.maxTicks() > 0) {
            tickDepth = new TickDepthDeployer(chain, options.seed(), t -> priceOf(tokens, prices, t), options.minTicks(), options.maxTicks());
        }
        List<PoolDescriptor> pools = new ArrayList<>();
        pools.addAll(createV2(c, me, tokens, prices, pairs, nV2));
        pools.addAll(createV3(c, me, tokens, prices, pairs, nV3));
        pools.addAll(createV4(c, me, tokens, prices, pairs, nV4));
        // after every plain pool, so the plain deployment is the same with or without the additions below
        chain.queueDeploy("deploy V4Quoter", withArgs(art.v4Quoter(), Abi.encode("(address)", Abi.addr(c.poolManager()))), DEPLOY_GAS);
        c = c.withV4Quoter(chain.mineAll(TXS_PER_BLOCK).get(0).receipt().contractAddress());
        List<HookedPool> hooked = options.hookedPools() ? createHooked(c, tokens, prices) : List.of();
        hooked.forEach(h -> pools.add(h.pool()));
        if (pools.stream().map(PoolDescriptor::id).distinct().count() != pools.size()) {
            throw new IllegalStateException("devnet pool set has duplicate pools: " + pools.stream().map(PoolDescriptor::id).toList());
        }
        long block = chain.head().number();
        LOG.info("devnet deployed: pools={} (v2={} v3={} v4={} of which hooked={}) tokens={} block={} seconds={}", pools.size(), nV2, nV3,
                nV4 + hooked.size(), hooked.size(), tokens.size(), block, (System.nanoTime() - started) / 1_000_000_000.0);
        return new Deployment(chain.eth().chainId(), httpUrl, wsUrl, ipcUrl, me, c, tokens, prices, pools, block, hooked);
    }

    private Contracts deployContracts(Artifact multicall3, Address me) {
        chain.queueDeploy("deploy Multicall3", multicall3.creationCode(), DEPLOY_GAS);
        chain.queueDeploy("deploy WETH9", art.weth9().creationCode(), DEPLOY_GAS);
        chain.queueDeploy("deploy UniswapV2Factory", withArgs(art.v2Factory(), Abi.encode("(address)", Abi.addr(me))), DEPLOY_GAS);
        chain.queueDeploy("deploy UniswapV3Factory", art.v3Factory().creationCode(), DEPLOY_GAS);
        chain.queueDeploy("deploy PoolManager", withArgs(art.poolManager(), Abi.encode("(address)", Abi.addr(me))), DEPLOY_GAS);
        List<DevChain.Mined> first = chain.mineAll(TXS_PER_BLOCK);
        Address mcTemp = first.get(0).receipt().contractAddress();
        Address weth = first.get(1).receipt().contractAddress();
        Address v2Factory = first.get(2).receipt().contractAddress();
        Address v3Factory = first.get(3).receipt().contractAddress();
        Address manager = first.get(4).receipt().contractAddress();
        chain.setCode(Multicall3.CANONICAL, chain.eth().code(mcTemp, BlockRef.latest()));

        byte[] factoryWeth = Abi.encode("(address,address)", Abi.addr(v2Factory), Abi.addr(weth));
        byte[] v3FactoryWeth = Abi.encode("(address,address)", Abi.addr(v3Factory), Abi.addr(weth));
        chain.queueDeploy("deploy UniswapV2Router02", withArgs(art.v2Router02(), factoryWeth), DEPLOY_GAS);
        chain.queueDeploy("deploy NonfungiblePositionManager", withArgs(art.positionManager(),
                Abi.encode("(address,address,address)", Abi.addr(v3Factory), Abi.addr(weth), Abi.addr(Address.ZERO))), DEPLOY_GAS);
        chain.queueDeploy("deploy SwapRouter", withArgs(art.swapRouter(), v3FactoryWeth), DEPLOY_GAS);
        chain.queueDeploy("deploy QuoterV2", withArgs(art.quoterV2(), v3FactoryWeth), DEPLOY_GAS);
        byte[] managerArg = Abi.encode("(address)", Abi.addr(manager));
        chain.queueDeploy("deploy PoolSwapTest", withArgs(art.poolSwapTest(), managerArg), DEPLOY_GAS);
        chain.queueDeploy("deploy PoolModifyLiquidityTest", withArgs(art.poolModifyLiquidityTest(), managerArg), DEPLOY_GAS);
        chain.queueDeploy("deploy PoolDonateTest", withArgs(art.poolDonateTest(), managerArg), DEPLOY_GAS);
        chain.queue("wrap ETH", weth, Abi.call("deposit()"), TRADER_WETH, CALL_GAS);
        // the 0.01% tier is not enabled by the factory's constructor (v3-core UniswapV3Factory.sol)
        chain.queue("v3 enableFeeAmount(100, 1)", v3Factory, Abi.call("enableFeeAmount(uint24,int24)", 100, 1), null, CALL_GAS);
        List<DevChain.Mined> second = chain.mineAll(TXS_PER_BLOCK);
        Address flash = Address.of("0x00000000000000000000000000000000f1a5f1a5");
        chain.setCode(flash, FlashCallee.runtimeCode());
        var mainnet = io.poolstate.dex.network.NetworkPresets.named("ethereum");
        requireInitCodeHash("UniswapV2Pair", art.v2PairCreationCode(), mainnet.v2PairInitCodeHash().toString().substring(2));
        requireInitCodeHash("UniswapV3Pool", art.v3PoolCreationCode(), mainnet.v3PoolInitCodeHash().toString().substring(2));
        return new Contracts(Multicall3.CANONICAL, weth, v2Factory, second.get(0).receipt().contractAddress(), v3Factory,
                second.get(1).receipt().contractAddress(), second.get(2).receipt().contractAddress(),
                second.get(3).receipt().contractAddress(), manager, second.get(4).receipt().contractAddress(),
                second.get(5).receipt().contractAddress(), second.get(6).receipt().contractAddress(), flash, null);
    }

    /**
     * The periphery hard-codes the pool init code hash (the network table's mainnet values); a different artifact
     * would route to wrong addresses.
     */
    private static void requireInitCodeHash(String name, byte[] creationCode, String expected) {
        String actual = io.poolstate.eth.Hex.encode(Keccak256.hash(creationCode)).substring(2);
        if (!actual.equals(expected)) {
            throw new DevnetException(name + " init code hash " + actual + " differs from the periphery's " + expected
                    + ": the npm artifacts do not match each other");
        }
    }

    private static int requiredTokens(int nV2, int nV3) {
        int pairsNeeded = Math.max(nV2, (nV3 + 3) / 4);
        int t = 4;
        while (t * (t - 1) / 2 < pairsNeeded) {
            t++;
        }
        return Math.max(t, 6);
    }

    private void deployTokens(Contracts c, Address me, int count, List<Token> tokens, List<Double> prices) {
        tokens.add(new Token(c.weth(), 18, "WETH"));
        prices.add(3000.0);
        List<String[]> specs = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            if (i - 1 < NAMED.length) {
                specs.add(NAMED[i - 1]);
            } else {
                double price = Math.exp(Math.log(0.05) + random.nextDouble() * (Math.log(500) - Math.log(0.05)));
                specs.add(new String[] {String.format("TK%02d", i), Integer.toString(DECIMALS[i % 3]), Double.toString(price)});
            }
        }
        for (String[] s : specs) {
            chain.queueDeploy("deploy token " + s[0], withArgs(art.mockErc20(),
                    Abi.encode("(string,string,uint8)", s[0] + " devnet token", s[0], Integer.parseInt(s[1]))), DEPLOY_GAS);
        }
        List<DevChain.Mined> deployed = chain.mineAll(TXS_PER_BLOCK);
        for (int i = 0; i < specs.size(); i++) {
            String[] s = specs.get(i);
            tokens.add(new Token(deployed.get(i).receipt().contractAddress(), Integer.parseInt(s[1]), s[0]));
            prices.add(Double.parseDouble(s[2]));
        }
        Address[] spenders = {c.v2Router(), c.positionManager(), c.swapRouter(), c.poolSwapTest(), c.poolModifyLiquidityTest(), c.poolDonateTest()};
        for (Token t : tokens) {
            BigInteger supply = BigInteger.TEN.pow(t.decimals() + 15);
            if (!t.address().equals(c.weth())) {
                chain.queue("mint " + t.symbol(), t.address(), Abi.call("mint(address,uint256)", Abi.addr(me), supply), null, CALL_GAS);
                chain.queue("fund flash callee " + t.symbol(), t.address(), Abi.call("mint(address,uint256)",
                        Abi.addr(c.flashCallee()), BigInteger.TEN.pow(t.decimals() + 9)), null, CALL_GAS);
            } else {
                chain.queue("fund flash callee WETH", t.address(), Abi.call("transfer(address,uint256)",
                        Abi.addr(c.flashCallee()), BigInteger.TEN.pow(24)), null, CALL_GAS);
            }
            for (Address spender : spenders) {
                chain.queue("approve " + t.symbol(), t.address(), Abi.call("approve(address,uint256)", Abi.addr(spender), Abi.MAX_UINT256),
                        null, CALL_GAS);
            }
        }
        mineInChunks();
    }

    private List<int[]> shuffledPairs(int n) {
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                pairs.add(new int[] {i, j});
            }
        }
        for (int i = pairs.size() - 1; i > 0; i--) {
            int k = random.nextInt(i + 1);
            int[] tmp = pairs.get(i);
            pairs.set(i, pairs.get(k));
            pairs.set(k, tmp);
        }
        return pairs;
    }

    private List<PoolDescriptor> createV2(Contracts c, Address me, List<Token> tokens, List<Double> prices, List<int[]> pairs, int n) {
        io.poolstate.eth.Bytes32 pairHash = io.poolstate.eth.Bytes32.wrap(Keccak256.hash(art.v2PairCreationCode()));
        List<PoolDescriptor> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] p = pairs.get(i);
            Token[] t = sorted(tokens.get(p[0]), tokens.get(p[1]));
            double value = poolValueUsd();
            BigInteger a0 = amount(t[0], value / 2, priceOf(tokens, prices, t[0]));
            BigInteger a1 = amount(t[1], value / 2, priceOf(tokens, prices, t[1]));
            chain.queue("v2 addLiquidity " + t[0].symbol() + "/" + t[1].symbol(), c.v2Router(), Abi.call(
                    "addLiquidity(address,address,uint256,uint256,uint256,uint256,address,uint256)", Abi.addr(t[0].address()),
                    Abi.addr(t[1].address()), a0, a1, BigInteger.ZERO, BigInteger.ZERO, Abi.addr(me), Abi.MAX_UINT256), null, CALL_GAS);
            Address pair = io.poolstate.dex.pool.PoolAddresses.v2Pair(c.v2Factory(), t[0].address(), t[1].address(), pairHash);
            chain.queue("approve LP " + pair, pair, Abi.call("approve(address,uint256)", Abi.addr(c.v2Router()), Abi.MAX_UINT256), null, CALL_GAS);
            out.add(new PoolDescriptor(PoolId.of(pair), Protocol.UNISWAP_V2, t[0], t[1], c.v2Factory(), null, null, null));
        }
        mineInChunks();
        if (!out.isEmpty()) {
            Address onChain = Abi.addr((com.esaulpaugh.headlong.abi.Address) Abi.decode("getPair(address,address)", "(address)",
                    chain.eth().call(c.v2Factory(), Abi.call("getPair(address,address)", Abi.addr(out.get(0).token0().address()),
                            Abi.addr(out.get(0).token1().address())), BlockRef.latest())).get(0));
            if (!onChain.equals(out.get(0).id().address())) {
                throw new DevnetException("V2 pair address mismatch: computed=" + out.get(0).id() + " factory=" + onChain);
            }
        }
        return out;
    }

    private List<PoolDescriptor> createV3(Contracts c, Address me, List<Token> tokens, List<Double> prices, List<int[]> pairs, int n) {
        io.poolstate.eth.Bytes32 poolHash = io.poolstate.eth.Bytes32.wrap(Keccak256.hash(art.v3PoolCreationCode()));
        int pairCount = Math.max(1, Math.min(pairs.size(), (n + 3) / 4));
        List<PoolDescriptor> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] p = pairs.get(i % pairCount);
            int[] tier = V3_TIERS[(i / pairCount) % 4];
            Token[] t = sorted(tokens.get(p[0]), tokens.get(p[1]));
            BigInteger sqrtPrice = sqrtPriceX96(priceOf(tokens, prices, t[0]), t[0].decimals(), priceOf(tokens, prices, t[1]), t[1].decimals());
            chain.queue("v3 createAndInitializePool " + t[0].symbol() + "/" + t[1].symbol() + "/" + tier[0], c.positionManager(),
                    Abi.call("createAndInitializePoolIfNecessary(address,address,uint24,uint160)", Abi.addr(t[0].address()),
                            Abi.addr(t[1].address()), tier[0], sqrtPrice), null, DEPLOY_GAS);
            Address pool = io.poolstate.dex.pool.PoolAddresses.v3Pool(c.v3Factory(), t[0].address(), t[1].address(), tier[0], poolHash);
            out.add(new PoolDescriptor(PoolId.of(pool), Protocol.UNISWAP_V3, t[0], t[1], c.v3Factory(), tier[0], tier[1], null));
        }
        mineInChunks();
        List<Integer> ticks = PoolReader.currentTicks(chain.eth(), out, c.poolManager());
        if (tickDepth != null && !out.isEmpty()) {
            tickDepth.deploy(c, out, ticks, me);
        }
        for (int i = 0; i < out.size(); i++) {
            PoolDescriptor d = out.get(i);
            double value = poolValueUsd() / options.positionsPerPool();
            for (int k = 0; k < options.positionsPerPool(); k++) {
                int[] range = PositionRanges.random(random, ticks.get(i), d.tickSpacing(), k);
                double v = value * (0.2 + random.nextDouble() * 1.8);
                chain.queue("v3 mint " + d.id(), c.positionManager(), Abi.call(
                        "mint((address,address,uint24,int24,int24,uint256,uint256,uint256,uint256,address,uint256))",
                        Tuple.from(Abi.addr(d.token0().address()), Abi.addr(d.token1().address()), d.fee(), range[0], range[1],
                                amount(d.token0(), v, priceOf(tokens, prices, d.token0())), amount(d.token1(), v, priceOf(tokens, prices, d.token1())),
                                BigInteger.ZERO, BigInteger.ZERO, Abi.addr(me), Abi.MAX_UINT256)), null, CALL_GAS);
            }
        }
        mineInChunks();
        return out;
    }

    private List<PoolDescriptor> createV4(Contracts c, Address me, List<Token> tokens, List<Double> prices, List<int[]> pairs, int n) {
        List<PoolDescriptor> out = new ArrayList<>();
        List<V4PoolKey> keys = new ArrayList<>();
        Token eth = new Token(Address.ZERO, 18, "ETH");
        int natives = Math.min(2, n);
        for (int i = 0; i < n; i++) {
            Token[] t;
            int[] fee = V4_FEES[(i / Math.max(1, pairs.size()) + i) % V4_FEES.length];
            if (i < natives) {
                t = new Token[] {eth, tokens.get(1 + i % (tokens.size() - 1))};
                fee = V4_FEES[i];
            } else {
                int[] p = pairs.get((i * 7) % pairs.size());
                t = sorted(tokens.get(p[0]), tokens.get(p[1]));
            }
            int spacing = fee[1];
            V4PoolKey key = new V4PoolKey(t[0].address(), t[1].address(), fee[0], spacing, Address.ZERO);
            while (keys.contains(key)) {
                key = new V4PoolKey(t[0].address(), t[1].address(), fee[0], ++spacing, Address.ZERO);
            }
            keys.add(key);
            BigInteger sqrtPrice = sqrtPriceX96(priceOf(tokens, prices, t[0]), t[0].decimals(), priceOf(tokens, prices, t[1]), t[1].decimals());
            chain.queue("v4 initialize " + t[0].symbol() + "/" + t[1].symbol() + "/" + key.fee(), c.poolManager(),
                    Abi.call("initialize((address,address,uint24,int24,address),uint160)", V4Calls.key(key), sqrtPrice), null, CALL_GAS);
            out.add(new PoolDescriptor(PoolId.of(key.id()), Protocol.UNISWAP_V4, t[0], t[1], c.poolManager(), key.fee(), key.tickSpacing(), Address.ZERO));
        }
        mineInChunks();
        if (tickDepth != null && !out.isEmpty()) {
            tickDepth.deploy(c, out, PoolReader.currentTicks(chain.eth(), out, c.poolManager()), me);
        }
        addV4Positions(c, out, keys, tokens, prices);
        return out;
    }

    /** {@code positionsPerPool} positions of random ranges and sizes in each initialised pool. */
    private void addV4Positions(Contracts c, List<PoolDescriptor> out, List<V4PoolKey> keys, List<Token> tokens, List<Double> prices) {
        List<Integer> ticks = PoolReader.currentTicks(chain.eth(), out, c.poolManager());
        for (int i = 0; i < out.size(); i++) {
            PoolDescriptor d = out.get(i);
            V4PoolKey key = keys.get(i);
            double value = poolValueUsd() / options.positionsPerPool();
            for (int k = 0; k < options.positionsPerPool(); k++) {
                int[] range = PositionRanges.random(random, ticks.get(i), d.tickSpacing(), k);
                BigInteger liquidity = V4Calls.liquidityFor(value * (0.2 + random.nextDouble() * 1.8), d, priceOf(tokens, prices, d.token0()),
                        priceOf(tokens, prices, d.token1()));
                chain.queue("v4 modifyLiquidity " + d.id(), c.poolModifyLiquidityTest(), V4Calls.modifyLiquidity(key, range[0], range[1],
                        liquidity, V4Calls.salt(k)), key.currency0().isZero() ? V4Calls.NATIVE_VALUE : null, CALL_GAS);
            }
        }
        mineInChunks();
    }

    /**
     * One V4 pool per {@link HookKind}, tick spacing 60, priced and stocked with positions like the plain ones. The two
     * whose hooks move no tokens trade native ETH; the others pair minted test tokens. Dynamic-fee hooks start at 0.30% (after initialisation) and 0.50% (set before each swap); the
     * fee-override hook overrides with 0.25% while slot0's LP fee is set to 0.30%. CustomCurveHook trades from its own
     * balances, so it is given a supply of both its tokens.
     */
    private List<HookedPool> createHooked(Contracts c, List<Token> tokens, List<Double> prices) {
        Map<HookKind, Address> hooks = V4HookDeployer.deploy(chain, hookArt, c.poolManager(),
                Map.of(HookKind.DYNAMIC_FEE, 3000, HookKind.DYNAMIC_FEE_BEFORE_SWAP, 5000, HookKind.FEE_OVERRIDE, 2500));
        Token eth = new Token(Address.ZERO, 18, "ETH");
        List<HookedPool> out = new ArrayList<>();
        List<PoolDescriptor> pools = new ArrayList<>();
        List<V4PoolKey> keys = new ArrayList<>();
        int n = tokens.size();
        int i = 0;
        for (HookKind k : HookKind.values()) {
            // hooks that are paid (take, settle) cannot receive ETH: only the ones that move no tokens trade native ETH
            Token[] t = k == HookKind.DYNAMIC_FEE || k == HookKind.NO_SWAP_PERMISSIONS ? new Token[] {eth, tokens.get(1 + i % (n - 1))}
                    : sorted(tokens.get(1 + i % (n - 1)), tokens.get(1 + (i + 2) % (n - 1)));
            Address hook = hooks.get(k);
            V4PoolKey key = new V4PoolKey(t[0].address(), t[1].address(), k.keyFee(), 60, hook);
            BigInteger sqrtPrice = sqrtPriceX96(priceOf(tokens, prices, t[0]), t[0].decimals(), priceOf(tokens, prices, t[1]), t[1].decimals());
            chain.queue("v4 initialize " + k.wireName() + " " + t[0].symbol() + "/" + t[1].symbol(), c.poolManager(),
                    Abi.call("initialize((address,address,uint24,int24,address),uint160)", V4Calls.key(key), sqrtPrice), null, CALL_GAS);
            if (k == HookKind.FEE_OVERRIDE) {
                chain.queue("hook forcePoolFeeUpdate " + k.wireName(), hook, V4Calls.forcePoolFeeUpdate(key, 3000), null, CALL_GAS);
            }
            if (k == HookKind.CUSTOM_CURVE) {
                for (Token x : t) {
                    chain.queue("fund custom curve hook " + x.symbol(), x.address(),
                            Abi.call("mint(address,uint256)", Abi.addr(hook), BigInteger.TEN.pow(x.decimals() + 30)), null, CALL_GAS);
                }
            }
            PoolDescriptor d = new PoolDescriptor(PoolId.of(key.id()), Protocol.UNISWAP_V4, t[0], t[1], c.poolManager(), key.fee(), key.tickSpacing(), hook);
            pools.add(d);
            keys.add(key);
            out.add(new HookedPool(k, hook, d));
            i++;
        }
        mineInChunks();
        addV4Positions(c, pools, keys, tokens, prices);
        return out;
    }

    private double priceOf(List<Token> tokens, List<Double> prices, Token t) {
        if (t.address().isZero()) {
            return prices.get(0);
        }
        return prices.get(tokens.indexOf(t));
    }

    private double poolValueUsd() {
        return Math.exp(Math.log(50_000) + random.nextDouble() * (Math.log(20_000_000) - Math.log(50_000)));
    }

    private void mineInChunks() {
        chain.mineAll(TXS_PER_BLOCK);
    }

    private static Token[] sorted(Token a, Token b) {
        return a.address().compareTo(b.address()) < 0 ? new Token[] {a, b} : new Token[] {b, a};
    }

    /** {@code usd} worth of {@code t} in its smallest unit. */
    static BigInteger amount(Token t, double usd, double usdPrice) {
        return new BigDecimal(usd / usdPrice).multiply(BigDecimal.TEN.pow(t.decimals())).setScale(0, RoundingMode.DOWN).toBigInteger();
    }

    /** sqrt(token1 units per token0 unit) as Q64.96, from reference USD prices. */
    static BigInteger sqrtPriceX96(double usd0, int dec0, double usd1, int dec1) {
        BigDecimal price = new BigDecimal(usd0).divide(new BigDecimal(usd1), MathContext.DECIMAL128)
                .multiply(BigDecimal.TEN.pow(dec1 - dec0, MathContext.DECIMAL128));
        return price.sqrt(new MathContext(60)).multiply(new BigDecimal(BigInteger.ONE.shiftLeft(96))).toBigInteger();
    }

    private static byte[] withArgs(Artifact a, byte[] args) {
        byte[] out = new byte[a.creationCode().length + args.length];
        System.arraycopy(a.creationCode(), 0, out, 0, a.creationCode().length);
        System.arraycopy(args, 0, out, a.creationCode().length, args.length);
        return out;
    }
}
