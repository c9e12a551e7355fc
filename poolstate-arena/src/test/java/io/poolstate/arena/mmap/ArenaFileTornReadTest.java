package io.poolstate.arena.mmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.mmap.ArenaFileReader;
import io.poolstate.mmap.PoolHandle;
import io.poolstate.mmap.PoolRecord;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers hammer the arena file while the writer rewrites every pool at every block, removes and re-adds pools
 * (records reused by other pools) and grows the file (new generations). Every field of a pool version derives from
 * one number k = block mod 32 + 1 ({@link Snapshots}), and which pools exist at block B is a function of B: a torn
 * record, a record of the wrong pool, or pools of two blocks in one snapshot break an invariant.
 */
class ArenaFileTornReadTest {
    private static final int VERSIONS = 32;
    private static final int MAX_POOLS = 320;

    /** The pools present at block {@code b}: the first {@code 64 + b / 50 * 64} (up to 320), minus every 11th by block. */
    static boolean present(int i, long b) {
        return i < Math.min(MAX_POOLS, 64 + b / 50 * 64) && (i + b) % 11 != 0;
    }

    /** The pools the price reader reads have many ticks: their record writes last longest. */
    static int extraTicks(int i) {
        return i < 16 ? 200 : 0;
    }

    static long k(long b) {
        return b % VERSIONS + 1;
    }

    @Test
    void aReadIsNeverTorn(@TempDir Path dir) throws Exception {
        long seed = Long.getLong("poolstate.seed", System.nanoTime());
        System.out.println("arena file torn-read seed=" + seed);
        Path file = dir.resolve("arena.bin");
        List<PoolDescriptor> descriptors = new ArrayList<>();
        List<PoolSnapshot[]> versions = new ArrayList<>();
        for (int i = 0; i < MAX_POOLS; i++) {
            PoolDescriptor d = Snapshots.descriptor(i, Protocol.values()[i % 3]);
            descriptors.add(d);
            PoolSnapshot[] v = new PoolSnapshot[VERSIONS + 1];
            for (int k = 1; k <= VERSIONS; k++) {
                v[k] = Snapshots.at(d, k, extraTicks(i));
            }
            versions.add(v);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong blocks = new AtomicLong();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        ArenaFileWriter w = ArenaFileWriter.create(file, 1337);
        Thread writer = Thread.ofPlatform().name("arena-file-writer").start(() -> {
            try {
                Set<PoolId> all = new HashSet<>();
                descriptors.forEach(d -> all.add(d.id()));
                for (long b = 1; !stop.get(); b++) {
                    Map<PoolId, PoolSnapshot> pools = new HashMap<>();
                    Map<PoolId, Long> scraped = new HashMap<>();
                    for (int i = 0; i < MAX_POOLS; i++) {
                        if (present(i, b)) {
                            pools.put(descriptors.get(i).id(), versions.get(i)[(int) k(b)]);
                            scraped.put(descriptors.get(i).id(), b);
                        }
                    }
                    w.publish(Snapshots.view(b, pools, scraped), all);
                    blocks.set(b);
                }
            } catch (Exception e) {
                violations.add("writer failed: " + e);
            }
        });
        List<Thread> readers = new ArrayList<>();
        AtomicLong priceReads = new AtomicLong();
        AtomicLong poolReads = new AtomicLong();
        AtomicLong snapshots = new AtomicLong();
        readers.add(Thread.ofPlatform().name("price-reader").start(() -> {
            SplittableRandom r = new SplittableRandom(seed);
            try (ArenaFileReader reader = ArenaFileReader.open(file)) {
                PoolHandle[] handles = descriptors.stream().map(d -> PoolHandle.of(d.id().toString())).toArray(PoolHandle[]::new);
                PoolRecord rec = new PoolRecord();
                while (!stop.get()) {
                    int i = r.nextInt(16); // a few pools, read as often as possible: the writer rewrites each of them every block
                    if (reader.readPrice(handles[i], rec)) {
                        checkHot(rec, descriptors.get(i), violations);
                        priceReads.incrementAndGet();
                    }
                }
            } catch (Exception e) {
                violations.add("price reader failed: " + e);
            }
        }));
        readers.add(Thread.ofPlatform().name("pool-reader").start(() -> {
            SplittableRandom r = new SplittableRandom(seed + 1);
            try (ArenaFileReader reader = ArenaFileReader.open(file)) {
                PoolHandle[] handles = descriptors.stream().map(d -> PoolHandle.of(d.id().toString())).toArray(PoolHandle[]::new);
                PoolRecord rec = new PoolRecord();
                while (!stop.get()) {
                    if (r.nextInt(50) == 0) {
                        checkSnapshot(reader.snapshot(), descriptors, violations);
                        snapshots.incrementAndGet();
                        continue;
                    }
                    int i = r.nextInt(MAX_POOLS);
                    boolean found = reader.readPool(handles[i], rec);
                    long b = rec.blockNumber();
                    if (found != present(i, b) && b > 0) {
                        violations.add("pool " + i + " found=" + found + " at block " + b + " where present=" + present(i, b));
                    } else if (found) {
                        checkHot(rec, descriptors.get(i), violations);
                        checkWhole(rec, descriptors.get(i), b, violations);
                    }
                    poolReads.incrementAndGet();
                }
            } catch (Exception e) {
                violations.add("pool reader failed: " + e);
            }
        }));
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 12_000_000_000L && (blocks.get() < 250 || System.nanoTime() - t0 < 3_000_000_000L)) {
            Thread.sleep(50); // past the growth (block 200) and 3 s of reads; bounded on a loaded machine
        }
        stop.set(true);
        writer.join();
        for (Thread t : readers) {
            t.join();
        }
        long generations = w.generation();
        w.close();
        System.out.println("arena file torn-read: blocks=" + blocks.get() + " generations=" + generations + " price_reads=" + priceReads.get()
                + " pool_reads=" + poolReads.get() + " snapshots=" + snapshots.get() + " violations=" + violations.size());
        assertThat(violations).as("seed=" + seed).isEmpty();
        assertThat(generations).as("the file grew while read").isGreaterThan(1);
        assertThat(priceReads.get()).isGreaterThan(1000);
        assertThat(snapshots.get()).isGreaterThan(2);
    }

    /** The hot fields of one version: all from the same k, of the asked pool. */
    private static void checkHot(PoolRecord r, PoolDescriptor d, ConcurrentLinkedQueue<String> violations) {
        if (violations.size() > 20) {
            return;
        }
        if (!r.id().equals(d.id().toString())) {
            violations.add("asked " + d.id() + " got " + r.id());
            return;
        }
        if (d.protocol() == Protocol.UNISWAP_V2) {
            long k = r.reserve0().longValue();
            BigInteger r0 = BigInteger.valueOf(k).multiply(Snapshots.TWO_64).add(BigInteger.valueOf(k));
            if (!r.reserve0().equals(r0) || !r.reserve1().equals(r0.add(BigInteger.ONE)) || r.writtenAt() % VERSIONS + 1 != k) {
                violations.add("torn V2 record " + r);
            }
            return;
        }
        long k = r.liquidityLimb(0);
        boolean ok = r.liquidityLimb(1) == k && r.sqrtPriceX96().equals(BigInteger.valueOf(k).shiftLeft(96).add(BigInteger.valueOf(k)))
                && r.tick() == k % 100_000 && r.swapFee() == k % 1000 && r.writtenAt() % VERSIONS + 1 == k;
        if (!ok) {
            violations.add("torn record " + r + " written_at=" + r.writtenAt() + " fee=" + r.swapFee());
        }
    }

    /** The whole record at block {@code b}: written at b (every pool is written every block), with its version's ticks. */
    private static void checkWhole(PoolRecord r, PoolDescriptor d, long b, ConcurrentLinkedQueue<String> violations) {
        long k = k(b);
        if (r.writtenAt() != b || r.scrapedAt() != b || !r.blockHash().equals(Snapshots.hash(b).toString())) {
            violations.add("pool " + d.id() + " at block " + b + " written_at=" + r.writtenAt() + " scraped_at=" + r.scrapedAt() + " hash=" + r.blockHash());
            return;
        }
        if (d.protocol() == Protocol.UNISWAP_V2) {
            return;
        }
        int n = (int) (1 + k % 20) + extraTicks(d);
        if (r.tickCount() != n || r.keyFee() != d.fee() || r.tickSpacing() != d.tickSpacing() || !r.token0().equals(d.token0().address().toString())) {
            violations.add("pool " + d.id() + " at block " + b + " has " + r.tickCount() + " ticks, expected " + n);
            return;
        }
        for (int i = 0; i < n; i++) {
            BigInteger g = BigInteger.valueOf(k + i).multiply(Snapshots.TWO_64).add(BigInteger.valueOf(k + i));
            if (r.tickAt(i) != (i - n / 2) * d.tickSpacing() || !r.liquidityGross(i).equals(g) || !r.liquidityNet(i).equals(g.negate())) {
                violations.add("pool " + d.id() + " at block " + b + " tick " + i + " torn: " + r.tickAt(i) + " " + r.liquidityGross(i) + " " + r.liquidityNet(i));
                return;
            }
        }
    }

    private static int extraTicks(PoolDescriptor d) {
        for (int i = 0; i < 16; i++) {
            if (Snapshots.id(i, d.protocol()).equals(d.id())) {
                return extraTicks(i);
            }
        }
        return 0;
    }

    private static void checkSnapshot(ArenaFileReader.Snapshot s, List<PoolDescriptor> descriptors, ConcurrentLinkedQueue<String> violations) {
        long b = s.blockNumber();
        if (b == 0) {
            return;
        }
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < descriptors.size(); i++) {
            if (present(i, b)) {
                expected.add(descriptors.get(i).id().toString());
            }
        }
        Set<String> got = new HashSet<>();
        Map<String, PoolDescriptor> byId = new HashMap<>();
        descriptors.forEach(d -> byId.put(d.id().toString(), d));
        for (PoolRecord r : s.pools()) {
            got.add(r.id());
            checkHot(r, byId.get(r.id()), violations);
            checkWhole(r, byId.get(r.id()), b, violations);
        }
        if (!got.equals(expected)) {
            violations.add("snapshot at block " + b + " holds " + got.size() + " pools, expected " + expected.size());
        }
    }
}
