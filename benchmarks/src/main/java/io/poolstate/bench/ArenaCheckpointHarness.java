package io.poolstate.bench;

import io.poolstate.arena.ArenaAgent;
import io.poolstate.arena.checkpoint.CheckpointCodec;
import io.poolstate.arena.checkpoint.CheckpointStore;
import io.poolstate.devnet.Devnet;
import io.poolstate.devnet.deploy.DevnetDeployer;
import io.poolstate.dex.math.TickMath;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.state.ConcentratedPoolState;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.PoolState;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.dex.state.V2PoolState;
import io.poolstate.eth.Bytes32;
import io.poolstate.feed.chain.FeedAgent;
import io.poolstate.feed.metrics.FeedMetrics;
import io.poolstate.feed.socket.FrameServer;
import io.poolstate.feed.whitelist.WhitelistTracker;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import io.poolstate.testkit.SyntheticPools;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The arena at 10,000 pools with deep ticks, without deploying them: mainnet-shaped pools ({@link SyntheticPools}) with
 * consistent synthetic states (V3/V4: 50–500 initialised ticks each, drawn log-uniformly, liquidity that sums up) are
 * written as a checkpoint ({@link CheckpointCodec}: write and read time, size), then an arena resumes from it on a
 * harness-driven feed socket (a 3-pool devnet only answers its chain id): heap after a full GC, block apply for blocks
 * of 200 events, API throughput. The feed's heap with the same 10,000-pool whitelist, following that devnet, is
 * measured first. Usage: {@code java -Xmx3g -cp benchmarks.jar io.poolstate.bench.ArenaCheckpointHarness [pools] [minTicks] [maxTicks]}.
 */
public final class ArenaCheckpointHarness {
    private ArenaCheckpointHarness() {
    }

    public static void main(String[] args) throws Exception {
        int poolCount = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int minTicks = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int maxTicks = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        Path dir = Files.createTempDirectory("arena-checkpoint");
        List<PoolDescriptor> pools = SyntheticPools.list(poolCount, 16);
        try (Devnet devnet = Devnet.start(32545, dir.resolve("devnet"), new DevnetDeployer.Options(3, 1, 1))) {
            long chainId = devnet.eth().chainId();
            feedHeap(devnet, pools, dir);
            List<PoolSnapshot> states = states(pools, minTicks, maxTicks, new SplittableRandom(16));
            long ticks = states.stream().mapToLong(p -> p instanceof PoolSnapshot.Concentrated c ? c.tickTable().size() : 0).sum();
            long block = devnet.eth().blockNumber();
            Bytes32 hash = devnet.eth().latestHeader().hash();
            Path checkpoint = dir.resolve("arena.checkpoint");
            double[] write = new double[3];
            for (int i = 0; i < write.length; i++) {
                long t0 = System.nanoTime();
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(checkpoint), 1 << 20)) {
                    CheckpointCodec.write(out, chainId, block, hash, states, states.size(), Map.of());
                }
                write[i] = (System.nanoTime() - t0) / 1e6;
            }
            double[] read = new double[3];
            CheckpointStore store = new CheckpointStore(checkpoint);
            for (int i = 0; i < read.length; i++) {
                long t0 = System.nanoTime();
                if (store.read(chainId).states().size() != states.size()) {
                    throw new IllegalStateException("checkpoint read back a different number of pools");
                }
                read[i] = (System.nanoTime() - t0) / 1e6;
            }
            System.out.printf("checkpoint of %d pools (%,d initialised ticks): %,d bytes; write %.0f / %.0f / %.0f ms, read %.0f / %.0f / %.0f ms (load %s)%n",
                    states.size(), ticks, Files.size(checkpoint), write[0], write[1], write[2], read[0], read[1], read[2], ArenaScaleHarness.load());
            states = null;
            ArenaScaleHarness.applyAndApi(devnet.eth(), chainId, pools, dir, checkpoint, block, hash, pools.size(), ArenaAgent.Settings.DEFAULT_WARM_UP_BLOCKS);
        }
    }

    private static void feedHeap(Devnet devnet, List<PoolDescriptor> pools, Path dir) throws Exception {
        long base = ArenaScaleHarness.heapAfterGc();
        FeedMetrics metrics = new FeedMetrics();
        WhitelistTracker whitelist = new WhitelistTracker(Set.of(pools.stream().filter(p -> p.protocol() == Protocol.UNISWAP_V4).findFirst().orElseThrow()
                .factory()), WhitelistFold.Guard.NONE);
        whitelist.offer(WhitelistMessage.full("devnet", 1, Instant.now(), pools));
        try (var ws = io.poolstate.eth.rpc.EthClient.open(devnet.deployment().wsUrl());
             FrameServer server = new FrameServer(dir.resolve("feed.sock"), devnet.deployment().chainId(), 256, new FrameServer.Limits(100_000, 2_000), metrics).start();
             FeedAgent feed = new FeedAgent(ws, whitelist, server, metrics, FeedAgent.Settings.DEFAULT).start()) {
            for (int i = 0; i < 20; i++) {
                devnet.chain().mineEmpty();
                ArenaHarness.sleep(100);
            }
            ArenaHarness.sleep(1000);
            System.out.printf("feed: heap after full GC, %d-pool whitelist, following the chain: %.1f MiB (load %s)%n", pools.size(),
                    (ArenaScaleHarness.heapAfterGc() - base) / 1048576.0, ArenaScaleHarness.load());
        }
    }

    /** V2 reserves; V3/V4 a price at a random tick and ranges whose boundaries number a log-uniform draw in [min, max]. */
    static List<PoolSnapshot> states(List<PoolDescriptor> pools, int min, int max, SplittableRandom r) {
        return liveStates(pools, min, max, r).stream().map(s -> (PoolSnapshot) s.snapshot()).toList();
    }

    /** The states of {@link #states} as writer-side pool states (for a book). */
    public static List<PoolState> liveStates(List<PoolDescriptor> pools, int min, int max, SplittableRandom r) {
        List<PoolState> out = new ArrayList<>(pools.size());
        for (PoolDescriptor d : pools) {
            if (d.protocol() == Protocol.UNISWAP_V2) {
                out.add(new V2PoolState(d, BigInteger.valueOf(r.nextLong(1, Long.MAX_VALUE)), BigInteger.valueOf(r.nextLong(1, Long.MAX_VALUE))));
                continue;
            }
            int spacing = d.tickSpacing();
            int maxUsable = Math.floorDiv(TickMath.MAX_TICK, spacing);
            int center = r.nextInt(-maxUsable / 4, maxUsable / 4 + 1);
            int target = (int) Math.min(Math.round(Math.exp(Math.log(min) + r.nextDouble() * (Math.log(max) - Math.log(min)))), maxUsable);
            TreeMap<Integer, BigInteger[]> acc = new TreeMap<>();
            BigInteger active = BigInteger.ZERO;
            int tick = center * spacing;
            int width = Math.max(target, 2);
            while (acc.size() < target) {
                int lo = center - 1 - r.nextInt(width);
                int hi = center + 1 + r.nextInt(width);
                lo = Math.max(lo, -maxUsable);
                hi = Math.min(hi, maxUsable);
                BigInteger l = BigInteger.valueOf(r.nextLong(1_000_000, Long.MAX_VALUE));
                acc.computeIfAbsent(lo * spacing, k -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO});
                acc.computeIfAbsent(hi * spacing, k -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO});
                acc.get(lo * spacing)[0] = acc.get(lo * spacing)[0].add(l);
                acc.get(lo * spacing)[1] = acc.get(lo * spacing)[1].add(l);
                acc.get(hi * spacing)[0] = acc.get(hi * spacing)[0].add(l);
                acc.get(hi * spacing)[1] = acc.get(hi * spacing)[1].subtract(l);
                active = active.add(l);
            }
            TreeMap<Integer, TickInfo> ticks = new TreeMap<>();
            acc.forEach((t, gn) -> ticks.put(t, new TickInfo(gn[0], gn[1])));
            out.add(new ConcentratedPoolState(d, TickMath.getSqrtRatioAtTick(tick), tick, active, d.fee(), 0, ticks));
        }
        return out;
    }

    static Map<PoolId, Long> none() {
        return new HashMap<>();
    }
}
