package io.poolstate.bench;

import io.poolstate.arena.ArenaMode;
import io.poolstate.arena.ArenaView;
import io.poolstate.arena.mmap.ArenaFileWriter;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The writer side of {@link ArenaFileReadBenchmark}, run as a process of its own: an arena file of {@code pools}
 * V3 pools (50 initialised ticks each) to which a block is applied every {@code blockMillis}, each changing
 * {@code changedPerBlock} random pools (price, tick, liquidity, ticks), as the arena's writer thread does.
 *
 * <p>Usage: {@code ArenaFileWriterProcess FILE POOLS BLOCK_MILLIS CHANGED_PER_BLOCK}; runs until killed.
 */
public final class ArenaFileWriterProcess {
    private ArenaFileWriterProcess() {
    }

    /** The benchmark's pool ids: pool {@code i} has address {@code 0x3000…} + i. */
    static String poolId(int i) {
        return String.format("0x%040x", 0x3000_0000L + i);
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int pools = Integer.parseInt(args[1]);
        long blockMillis = Long.parseLong(args[2]);
        int changed = Integer.parseInt(args[3]);
        SplittableRandom r = new SplittableRandom(7);
        List<PoolDescriptor> descriptors = new ArrayList<>();
        Map<PoolId, PoolSnapshot> state = new HashMap<>();
        Map<PoolId, Long> scraped = new HashMap<>();
        for (int i = 0; i < pools; i++) {
            PoolDescriptor d = new PoolDescriptor(PoolId.parse(poolId(i)), Protocol.UNISWAP_V3, Token.of(Address.of(String.format("0x%040x", 0x1000 + i))),
                    Token.of(Address.of(String.format("0x%040x", 0x900000 + i))), Address.of("0x1f98431c8ad98523631ae4a59f267346ea31f984"), 3000, 60, null);
            descriptors.add(d);
            state.put(d.id(), pool(d, r));
            scraped.put(d.id(), 1L);
        }
        try (ArenaFileWriter w = ArenaFileWriter.create(file, 1)) {
            for (long b = 1; ; b++) {
                List<PoolId> touched = new ArrayList<>();
                for (int k = 0; k < changed && b > 1; k++) {
                    PoolDescriptor d = descriptors.get(r.nextInt(pools));
                    state.put(d.id(), pool(d, r));
                    touched.add(d.id());
                }
                ArenaView v = new ArenaView(1, ArenaMode.LIVE, b, Bytes32.of(String.format("0x%064x", b)), Map.copyOf(state), Map.copyOf(scraped), Map.of(),
                        pools, 0, b, 0);
                if (b == 1) {
                    w.publishAll(v);
                } else {
                    w.publish(v, touched);
                }
                Thread.sleep(blockMillis);
            }
        }
    }

    private static PoolSnapshot pool(PoolDescriptor d, SplittableRandom r) {
        TreeMap<Integer, TickInfo> ticks = new TreeMap<>();
        for (int i = 0; i < 50; i++) {
            BigInteger g = BigInteger.valueOf(1 + r.nextLong(1L << 60));
            ticks.put((i - 25) * 60, new TickInfo(g, r.nextBoolean() ? g : g.negate()));
        }
        BigInteger price = BigInteger.ONE.shiftLeft(96).add(BigInteger.valueOf(r.nextLong(1L << 62)));
        return new PoolSnapshot.Concentrated(d, price, r.nextInt(-1000, 1000), BigInteger.valueOf(r.nextLong(1L << 62)).shiftLeft(20), 3000, 0, ticks);
    }
}
