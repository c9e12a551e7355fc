package io.poolstate.arena.mmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.state.TickInfo;
import io.poolstate.mmap.ArenaFileLayout;
import io.poolstate.mmap.ArenaFileReader;
import io.poolstate.mmap.PoolHandle;
import io.poolstate.mmap.PoolRecord;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArenaFileWriterTest {
    /** Every field of {@code r} equals the snapshot's, as the API spells them. */
    static void assertSame(PoolRecord r, PoolSnapshot s, long scrapedAt) {
        PoolDescriptor d = s.descriptor();
        assertThat(r.id()).isEqualTo(d.id().toString());
        assertThat(r.token0()).isEqualTo(d.token0().address().toString());
        assertThat(r.token1()).isEqualTo(d.token1().address().toString());
        assertThat(r.scrapedAt()).isEqualTo(scrapedAt);
        assertThat(r.decimals0()).isEqualTo(d.token0().decimals() == null ? -1 : d.token0().decimals());
        switch (s) {
            case PoolSnapshot.V2 v2 -> {
                assertThat(r.protocol()).isEqualTo(2);
                assertThat(r.reserve0()).isEqualTo(v2.reserve0());
                assertThat(r.reserve1()).isEqualTo(v2.reserve1());
                assertThat(r.swapFee()).isEqualTo(3000);
                assertThat(r.tickCount()).isZero();
            }
            case PoolSnapshot.Concentrated c -> {
                assertThat(r.protocol()).isEqualTo(d.protocol() == Protocol.UNISWAP_V3 ? 3 : 4);
                assertThat(r.sqrtPriceX96()).isEqualTo(c.sqrtPriceX96());
                assertThat(r.liquidity()).isEqualTo(c.liquidity());
                assertThat(r.tick()).isEqualTo(c.tick());
                assertThat(r.swapFee()).isEqualTo(c.fee());
                assertThat(r.keyFee()).isEqualTo(d.fee());
                assertThat(r.tickSpacing()).isEqualTo(d.tickSpacing());
                assertThat(r.protocolFee()).isEqualTo(d.protocol() == Protocol.UNISWAP_V4 ? c.protocolFee() : 0);
                if (d.protocol() == Protocol.UNISWAP_V4) {
                    assertThat(r.hooks()).isEqualTo(d.hooks().toString());
                }
                List<String> ticks = new ArrayList<>();
                for (int i = 0; i < r.tickCount(); i++) {
                    ticks.add(r.tickAt(i) + ":" + r.liquidityGross(i) + ":" + r.liquidityNet(i));
                }
                List<String> expected = new ArrayList<>();
                for (Map.Entry<Integer, TickInfo> t : c.ticks().entrySet()) {
                    expected.add(t.getKey() + ":" + t.getValue().liquidityGross() + ":" + t.getValue().liquidityNet());
                }
                assertThat(ticks).isEqualTo(expected);
            }
        }
    }

    @Test
    void readersSeeWhatTheWriterWroteAcrossChangesRemovalsAndGrowth(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("arena.bin");
        Map<PoolId, PoolSnapshot> pools = new HashMap<>();
        Map<PoolId, Long> scraped = new HashMap<>();
        for (int i = 0; i < 9; i++) {
            PoolDescriptor d = Snapshots.descriptor(i, Protocol.values()[i % 3]);
            pools.put(d.id(), Snapshots.at(d, 1000 + i));
            scraped.put(d.id(), 5L);
        }
        try (ArenaFileWriter w = ArenaFileWriter.create(file, 1337)) {
            w.publishAll(Snapshots.view(10, pools, scraped));
            ArenaFileReader reader = ArenaFileReader.open(file);
            assertThat(reader.chainId()).isEqualTo(1337);
            assertThat(reader.status()).isEqualTo(ArenaFileLayout.STATUS_LIVE);
            ArenaFileReader.Snapshot snap = reader.snapshot();
            assertThat(snap.blockNumber()).isEqualTo(10);
            assertThat(snap.blockHash()).isEqualTo(Snapshots.hash(10).toString());
            assertThat(snap.pools()).hasSize(9);
            for (PoolRecord r : snap.pools()) {
                PoolSnapshot s = pools.get(PoolId.parse(r.id()));
                assertSame(r, s, 5);
            }

            PoolDescriptor changed = Snapshots.descriptor(1, Protocol.UNISWAP_V3);
            PoolDescriptor gone = Snapshots.descriptor(2, Protocol.UNISWAP_V4);
            PoolHandle h = PoolHandle.of(changed.id().toString());
            PoolRecord rec = new PoolRecord();
            assertThat(reader.readPrice(h, rec)).isTrue();
            assertThat(rec.sqrtPriceX96()).isEqualTo(((PoolSnapshot.Concentrated) pools.get(changed.id())).sqrtPriceX96());
            long before = w.recordsWritten();
            pools.put(changed.id(), Snapshots.at(changed, 4242));
            pools.remove(gone.id());
            w.publish(Snapshots.view(11, pools, scraped), Set.of(changed.id(), gone.id(), Snapshots.descriptor(0, Protocol.UNISWAP_V2).id()));
            assertThat(w.recordsWritten() - before).as("only the changed pool is rewritten").isEqualTo(1);
            assertThat(reader.readPrice(h, rec)).isTrue();
            assertThat(rec.tick()).isEqualTo(4242);
            assertThat(rec.writtenAt()).isEqualTo(11);
            assertThat(reader.readPool(h, rec)).isTrue();
            assertThat(rec.blockNumber()).isEqualTo(11);
            assertSame(rec, pools.get(changed.id()), 5);
            assertThat(reader.readPool(PoolHandle.of(gone.id().toString()), rec)).isFalse();
            assertThat(reader.readPrice(PoolHandle.of(gone.id().toString()), rec)).isFalse();

            long generation = reader.generation();
            for (int i = 100; i < 700; i++) {
                PoolDescriptor d = Snapshots.descriptor(i, Protocol.values()[i % 3]);
                pools.put(d.id(), Snapshots.at(d, 50_000 + i));
                scraped.put(d.id(), 12L);
            }
            w.publish(Snapshots.view(12, pools, scraped), pools.keySet());
            assertThat(reader.readPrice(h, rec)).as("the handle follows the new generation").isTrue();
            assertThat(rec.tick()).isEqualTo(4242);
            assertThat(reader.generation()).isGreaterThan(generation);
            snap = reader.snapshot();
            assertThat(snap.blockNumber()).isEqualTo(12);
            assertThat(snap.pools()).hasSize(pools.size());
            for (PoolRecord r : snap.pools()) {
                PoolId id = PoolId.parse(r.id());
                assertSame(r, pools.get(id), scraped.get(id));
            }
            assertThat(dir.resolve("arena.bin.next")).doesNotExist();

            try (ArenaFileWriter restarted = ArenaFileWriter.create(file, 1337)) {
                assertThat(reader.readPrice(h, rec)).as("a restarted arena's empty file replaces the old one").isFalse();
                assertThat(reader.generation()).isGreaterThan(generation + 1);
                restarted.publishAll(Snapshots.view(13, Map.of(changed.id(), pools.get(changed.id())), Map.of(changed.id(), 13L)));
                assertThat(reader.readPool(h, rec)).isTrue();
                assertThat(rec.blockNumber()).isEqualTo(13);
            }
            assertThat(reader.status()).isEqualTo(ArenaFileLayout.STATUS_CLOSED);
        }
        assertThat(Files.size(file)).isGreaterThan(ArenaFileLayout.HEADER_LENGTH);
    }

    @Test
    void bigValuesKeepEveryBit(@TempDir Path dir) throws Exception {
        PoolDescriptor d = Snapshots.descriptor(3, Protocol.UNISWAP_V3);
        BigInteger maxPrice = BigInteger.ONE.shiftLeft(160).subtract(BigInteger.ONE);
        BigInteger maxLiquidity = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
        BigInteger minNet = BigInteger.ONE.shiftLeft(127).negate();
        java.util.TreeMap<Integer, TickInfo> ticks = new java.util.TreeMap<>();
        ticks.put(-887220, new TickInfo(maxLiquidity, minNet.add(BigInteger.ONE)));
        ticks.put(887220, new TickInfo(BigInteger.ONE, BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE)));
        PoolSnapshot s = new PoolSnapshot.Concentrated(d, maxPrice, -887272, maxLiquidity, 1_000_000, 0, ticks);
        PoolDescriptor v2 = Snapshots.descriptor(4, Protocol.UNISWAP_V2);
        BigInteger maxReserve = BigInteger.ONE.shiftLeft(112).subtract(BigInteger.ONE);
        PoolSnapshot r2 = new PoolSnapshot.V2(v2, maxReserve, BigInteger.ZERO);
        Path file = dir.resolve("arena.bin");
        try (ArenaFileWriter w = ArenaFileWriter.create(file, 1)) {
            w.publishAll(Snapshots.view(1, Map.of(d.id(), s, v2.id(), r2), Map.of(d.id(), 1L, v2.id(), 1L)));
            ArenaFileReader reader = ArenaFileReader.open(file);
            PoolRecord rec = new PoolRecord();
            assertThat(reader.readPool(PoolHandle.of(d.id().toString()), rec)).isTrue();
            assertSame(rec, s, 1);
            assertThat(reader.readPool(PoolHandle.of(v2.id().toString().toUpperCase().replace("0X", "0x")), rec)).isTrue();
            assertSame(rec, r2, 1);
        }
    }
    /**
     * A writer stopped in the middle of a record (sequence odd, fields half written, as a crash or a preemption leaves
     * it): a reader waits instead of returning the half-written fields, and returns the finished version once the
     * sequence is even again.
     */
    @Test
    void aReaderWaitsOutARecordMidWrite(@TempDir Path dir) throws Exception {
        PoolDescriptor d = Snapshots.descriptor(1, Protocol.UNISWAP_V3);
        Path file = dir.resolve("arena.bin");
        try (ArenaFileWriter w = ArenaFileWriter.create(file, 1)) {
            w.publishAll(Snapshots.view(1, Map.of(d.id(), Snapshots.at(d, 5)), Map.of(d.id(), 1L)));
            java.nio.MappedByteBuffer raw;
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                    java.nio.file.StandardOpenOption.WRITE)) {
                raw = ch.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, 0, ch.size());
            }
            raw.order(java.nio.ByteOrder.LITTLE_ENDIAN);
            int r = (int) raw.getLong(ArenaFileLayout.H_RECORDS_OFFSET);
            long seq = raw.getLong(r + ArenaFileLayout.R_SEQUENCE);
            raw.putLong(r + ArenaFileLayout.R_SEQUENCE, seq + 1);
            raw.putLong(r + ArenaFileLayout.R_LIQUIDITY, 99); // half of a new version: liquidity written, tick not yet
            ArenaFileReader reader = ArenaFileReader.open(file);
            PoolRecord rec = new PoolRecord();
            java.util.concurrent.CompletableFuture<Boolean> read = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> reader.readPrice(PoolHandle.of(d.id().toString()), rec));
            Thread.sleep(200);
            assertThat(read).as("no read while the record is odd").isNotDone();
            raw.putInt(r + ArenaFileLayout.R_TICK, 99);
            raw.putLong(r + ArenaFileLayout.R_SEQUENCE, seq + 2);
            assertThat(read.get(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(rec.liquidityLimb(0)).isEqualTo(99);
            assertThat(rec.tick()).isEqualTo(99);
        }
    }
    @Test
    void aSwapRewritesTheRecordAndAPositionItsTicksToo(@TempDir Path dir) throws Exception {
        PoolDescriptor d = Snapshots.descriptor(3, Protocol.UNISWAP_V3);
        PoolSnapshot.Concentrated start = (PoolSnapshot.Concentrated) Snapshots.concentrated(d, 7, 4);
        io.poolstate.dex.state.ConcentratedPoolState state = new io.poolstate.dex.state.ConcentratedPoolState(d, start.sqrtPriceX96(), 0,
                start.liquidity(), 3000, 0, start.tickTable());
        io.poolstate.dex.state.PoolStateBook book = new io.poolstate.dex.state.PoolStateBook(8);
        book.put(state);
        io.poolstate.dex.event.LogPosition at = new io.poolstate.dex.event.LogPosition(1, 0, 0, io.poolstate.eth.Bytes32.ZERO);
        io.poolstate.eth.Address nobody = io.poolstate.eth.Address.ZERO;
        PoolHandle h = PoolHandle.of(d.id().toString());
        PoolRecord rec = new PoolRecord();
        try (ArenaFileWriter w = ArenaFileWriter.create(dir.resolve("arena.bin"), 1337)) {
            ArenaFileReader reader = ArenaFileReader.open(dir.resolve("arena.bin"));
            PoolSnapshot.Concentrated before = state.snapshot();
            w.publishAll(Snapshots.view(10, Map.of(d.id(), before), Map.of(d.id(), 5L)));
            book.applyBlock(new io.poolstate.dex.state.PoolStateBook.BlockId(11, Snapshots.hash(11)), List.of(new io.poolstate.dex.event.DecodedLog(d.id(),
                    new io.poolstate.dex.event.PoolEvent.V3Swap(nobody, nobody, BigInteger.ONE, BigInteger.ONE.negate(), BigInteger.ONE.shiftLeft(97), BigInteger.TEN, 60), at)));
            PoolSnapshot.Concentrated swapped = state.snapshot();
            assertThat(swapped.tickTable()).as("a swap changes no tick: the snapshot shares the table").isSameAs(before.tickTable());
            w.publish(Snapshots.view(11, Map.of(d.id(), swapped), Map.of(d.id(), 5L)), Set.of(d.id()));
            assertThat(reader.readPool(h, rec)).isTrue();
            assertSame(rec, swapped, 5);
            book.applyBlock(new io.poolstate.dex.state.PoolStateBook.BlockId(12, Snapshots.hash(12)), List.of(new io.poolstate.dex.event.DecodedLog(d.id(),
                    new io.poolstate.dex.event.PoolEvent.V3Mint(nobody, nobody, -60, 600, BigInteger.valueOf(99), BigInteger.ONE, BigInteger.ONE), at)));
            PoolSnapshot.Concentrated minted = state.snapshot();
            assertThat(minted.tickTable()).isNotSameAs(swapped.tickTable());
            w.publish(Snapshots.view(12, Map.of(d.id(), minted), Map.of(d.id(), 5L)), Set.of(d.id()));
            assertThat(reader.readPool(h, rec)).isTrue();
            assertThat(rec.blockNumber()).isEqualTo(12);
            assertSame(rec, minted, 5);
        }
    }
}
