package io.poolstate.dex.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.dex.event.DecodedLog;
import io.poolstate.dex.event.PoolEvent;
import io.poolstate.dex.event.SwapSlot;
import io.poolstate.dex.math.TickMath;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.rpc.Log;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Blocks applied and reverted through the journal end exactly where a from-scratch rebuild ends. */
class PoolStateBookTest {
    private static final Token T0 = new Token(Address.of("0x0000000000000000000000000000000000000a00"), 18, "A");
    private static final Token T1 = new Token(Address.of("0x0000000000000000000000000000000000000b00"), 6, "B");
    private static final io.poolstate.dex.event.LogPosition LOG = new io.poolstate.dex.event.LogPosition(1, 0, 0, Bytes32.ZERO);

    private static PoolDescriptor v2() {
        return new PoolDescriptor(PoolId.of(Address.of("0x00000000000000000000000000000000000000c2")), Protocol.UNISWAP_V2, T0, T1, Address.ZERO, null, null, null);
    }

    private static PoolDescriptor v3() {
        return new PoolDescriptor(PoolId.of(Address.of("0x00000000000000000000000000000000000000c3")), Protocol.UNISWAP_V3, T0, T1, Address.ZERO, 3000, 60, null);
    }

    private static List<PoolState> initial() {
        return List.of(new V2PoolState(v2(), BigInteger.valueOf(1000), BigInteger.valueOf(2000)),
                new ConcentratedPoolState(v3(), BigInteger.ONE.shiftLeft(96), 0, BigInteger.ZERO, 3000, 0, new TreeMap<>()));
    }

    private static PoolStateBook book(int depth) {
        PoolStateBook b = new PoolStateBook(depth);
        initial().forEach(b::put);
        return b;
    }

    /** Generates valid blocks: burns only what earlier mints of the same chain put in. */
    private static final class Chain {
        final SplittableRandom r;
        final List<List<DecodedLog>> blocks = new ArrayList<>();
        final List<Map<String, BigInteger>> positionsAfter = new ArrayList<>();
        Map<String, BigInteger> positions = new HashMap<>();

        Chain(long seed) {
            r = new SplittableRandom(seed);
        }

        List<DecodedLog> next() {
            List<DecodedLog> events = new ArrayList<>();
            int n = r.nextInt(6);
            for (int i = 0; i < n; i++) {
                int kind = r.nextInt(5);
                if (kind == 0) {
                    events.add(new DecodedLog(v2().id(), new PoolEvent.V2Sync(BigInteger.valueOf(r.nextLong(1, 1L << 60)),
                            BigInteger.valueOf(r.nextLong(1, 1L << 60))), LOG));
                } else if (kind == 1) {
                    int tick = r.nextInt(-600, 600);
                    events.add(new DecodedLog(v3().id(), new PoolEvent.V3Swap(Address.ZERO, Address.ZERO, BigInteger.ONE, BigInteger.ONE,
                            TickMath.getSqrtRatioAtTick(tick), activeLiquidity(tick), tick), LOG));
                } else if (kind <= 3 || positions.isEmpty()) {
                    int lower = r.nextInt(-10, 9) * 60;
                    int upper = lower + r.nextInt(1, 5) * 60;
                    BigInteger amount = BigInteger.valueOf(r.nextLong(1, 1L << 40));
                    positions.merge(lower + ":" + upper, amount, BigInteger::add);
                    events.add(new DecodedLog(v3().id(), new PoolEvent.V3Mint(Address.ZERO, Address.ZERO, lower, upper, amount, BigInteger.ONE,
                            BigInteger.ONE), LOG));
                } else {
                    List<String> keys = new ArrayList<>(positions.keySet());
                    String key = keys.get(r.nextInt(keys.size()));
                    BigInteger have = positions.get(key);
                    BigInteger amount = r.nextBoolean() ? have : BigInteger.valueOf(r.nextLong(0, have.longValue() + 1));
                    positions.put(key, have.subtract(amount));
                    positions.values().removeIf(v -> v.signum() == 0);
                    String[] lu = key.split(":");
                    events.add(new DecodedLog(v3().id(), new PoolEvent.V3Burn(Address.ZERO, Integer.parseInt(lu[0]), Integer.parseInt(lu[1]), amount,
                            BigInteger.ZERO, BigInteger.ZERO), LOG));
                }
            }
            blocks.add(events);
            positionsAfter.add(new HashMap<>(positions));
            return events;
        }

        /** The active liquidity at {@code tick} implied by the positions (what a real swap would report). */
        BigInteger activeLiquidity(int tick) {
            BigInteger l = BigInteger.ZERO;
            for (var e : positions.entrySet()) {
                String[] lu = e.getKey().split(":");
                if (tick >= Integer.parseInt(lu[0]) && tick < Integer.parseInt(lu[1])) {
                    l = l.add(e.getValue());
                }
            }
            return l;
        }

        void dropLast(int n) {
            for (int i = 0; i < n; i++) {
                blocks.remove(blocks.size() - 1);
                positionsAfter.remove(positionsAfter.size() - 1);
            }
            positions = positionsAfter.isEmpty() ? new HashMap<>() : new HashMap<>(positionsAfter.get(positionsAfter.size() - 1));
        }
    }

    private static PoolStateBook.BlockId id(int n) {
        return new PoolStateBook.BlockId(n, Bytes32.of(BigInteger.valueOf(n * 7919L + 1)));
    }

    @Test
    void randomBlocksRevertsAndReappliesEqualARebuild() throws Exception {
        long seed = Long.getLong("poolstate.seed", 20261121L);
        for (int round = 0; round < 50; round++) {
            Chain chain = new Chain(seed + round);
            PoolStateBook book = book(16);
            List<PoolStateBook.BlockId> applied = new ArrayList<>();
            for (int step = 0; step < 120; step++) {
                if (step > 0 && chain.r.nextInt(6) == 0 && !applied.isEmpty()) {
                    int depth = 1 + chain.r.nextInt(Math.min(book.journaled(), 8));
                    for (int i = 0; i < depth; i++) {
                        book.revertBlock(applied.remove(applied.size() - 1));
                    }
                    chain.dropLast(depth);
                    assertThat(snapshots(book)).as("seed=%d round=%d after revert", seed, round).isEqualTo(snapshots(rebuild(chain)));
                }
                List<DecodedLog> events = chain.next();
                PoolStateBook.BlockId b = id(chain.blocks.size() * 1000 + step);
                if (round % 2 == 1) { // odd rounds: with the states the caller holds and swaps as slots, as the arena applies its blocks
                    applyHeld(book, b, events);
                } else {
                    book.applyBlock(b, events);
                }
                applied.add(b);
            }
            assertThat(snapshots(book)).as("seed=%d round=%d", seed, round).isEqualTo(snapshots(rebuild(chain)));
        }
    }

    /** {@code e} as the arena hands it to the book: a swap as the slot it writes. */
    private static BlockEvent blockEvent(DecodedLog e) {
        return switch (e.event()) {
            case PoolEvent.V3Swap sw -> new BlockEvent.Swap(e.kind(), new SwapSlot(sw.sqrtPriceX96(), sw.tick(), sw.liquidity()), e.position());
            case PoolEvent.V4Swap sw -> new BlockEvent.Swap(e.kind(), new SwapSlot(sw.sqrtPriceX96(), sw.tick(), sw.liquidity()), e.position());
            default -> new BlockEvent.Decoded(e);
        };
    }

    /** {@code events} applied as the arena applies a block: read as {@link BlockEvent}s, each with the state held for its pool. */
    private static void applyHeld(PoolStateBook book, PoolStateBook.BlockId b, List<DecodedLog> events) throws BlockApplyException {
        BlockEvent[] read = events.stream().map(PoolStateBookTest::blockEvent).toArray(BlockEvent[]::new);
        PoolState[] states = events.stream().map(e -> book.get(e.pool())).toArray(PoolState[]::new);
        book.applyEvents(b, read, states, read.length);
    }

    /** The limbs a state holds for its price and liquidity (what quotes read), as numbers, through a snapshot. */
    private static BigInteger[] limbs(PoolState s) {
        PoolSnapshot.Concentrated c = (PoolSnapshot.Concentrated) s.snapshot();
        io.poolstate.dex.math.Uint256 u = new io.poolstate.dex.math.Uint256();
        c.loadSqrtPriceX96(u);
        BigInteger price = u.toBigInteger();
        c.loadLiquidity(u);
        return new BigInteger[] {price, u.toBigInteger(), c.sqrtPriceX96(), c.liquidity()};
    }

    @Test
    void swapSlotsSetLimbsEqualToTheirNumbersAndRevertsRestoreThem() throws Exception {
        long seed = Long.getLong("poolstate.seed", 41L);
        System.out.println("swap slot limbs seed=" + seed);
        java.util.Random r = new java.util.Random(seed);
        PoolStateBook book = book(64);
        PoolState[] states = {book.get(v3().id())};
        int block = 0;
        for (int i = 1; i <= 2_000; i++) {
            // every width up to the types' own, so that each word of each number is exercised
            BigInteger price = new BigInteger(1 + r.nextInt(160), r);
            BigInteger liquidity = new BigInteger(r.nextInt(129), r);
            book.applyEvents(id(++block), new BlockEvent[] {new BlockEvent.Swap(io.poolstate.dex.event.EventKind.V3_SWAP,
                    new SwapSlot(price, r.nextInt(-887_272, 887_273), liquidity), LOG)}, states, 1);
            BigInteger[] l = limbs(states[0]);
            assertThat(l[0]).as("price limbs, seed %d swap %d", seed, i).isEqualTo(price).isEqualTo(l[2]);
            assertThat(l[1]).as("liquidity limbs, seed %d swap %d", seed, i).isEqualTo(liquidity).isEqualTo(l[3]);
            if (i % 50 == 0) {
                for (int k = 0; k < 10; k++) {
                    book.revertBlock(id(block--));
                    BigInteger[] back = limbs(states[0]);
                    assertThat(back[0]).as("price limbs after a revert, seed %d swap %d", seed, i).isEqualTo(back[2]);
                    assertThat(back[1]).as("liquidity limbs after a revert, seed %d swap %d", seed, i).isEqualTo(back[3]);
                }
            }
        }
    }

    @Test
    void aSwapSlotAppliedToAV2PoolIsRefusedAndTheBlocksEarlierSlotUndone() throws Exception {
        PoolStateBook book = book(4);
        Map<PoolId, PoolSnapshot> before = snapshots(book);
        BlockEvent good = new BlockEvent.Swap(io.poolstate.dex.event.EventKind.V3_SWAP,
                new SwapSlot(BigInteger.ONE.shiftLeft(97), 6931, BigInteger.valueOf(12_345)), LOG);
        BlockEvent bad = new BlockEvent.Swap(io.poolstate.dex.event.EventKind.V3_SWAP,
                new SwapSlot(BigInteger.ONE.shiftLeft(96), 0, BigInteger.TEN), LOG);
        PoolState[] states = {book.get(v3().id()), book.get(v2().id())};
        assertThatThrownBy(() -> book.applyEvents(id(1), new BlockEvent[] {good, bad}, states, 2)).isInstanceOf(BlockApplyException.class)
                .hasMessageContaining("V3_SWAP").hasMessageContaining("does not belong to a V2 pool").hasMessageContaining("pool=" + v2().id());
        assertThat(snapshots(book)).as("the first event's slot undone").isEqualTo(before);
        assertThat(book.head()).isNull();
        assertThatThrownBy(() -> book.applyEvents(id(1), new BlockEvent[] {good, null}, states, 2))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("event is missing").hasMessageContaining("index=1");
        assertThat(snapshots(book)).as("nothing applied before the missing event was found").isEqualTo(before);
        book.applyEvents(id(1), new BlockEvent[] {good, bad, null}, new PoolState[] {states[0], null, null}, 3); // null states: skipped
        assertThat(((ConcentratedPoolState) book.get(v3().id())).tick()).isEqualTo(6931);
        PoolSnapshot.Concentrated after = (PoolSnapshot.Concentrated) book.get(v3().id()).snapshot();
        io.poolstate.dex.math.Uint256 limbs = new io.poolstate.dex.math.Uint256();
        after.loadSqrtPriceX96(limbs);
        assertThat(limbs.toBigInteger()).as("the price's limbs, from the slot's words").isEqualTo(BigInteger.ONE.shiftLeft(97));
        after.loadLiquidity(limbs);
        assertThat(limbs.toBigInteger()).as("the liquidity's limbs").isEqualTo(BigInteger.valueOf(12_345));
        assertThat(book.get(v3().id()).snapshot()).isNotEqualTo(before.get(v3().id()));
        assertThatThrownBy(() -> new BlockEvent.Swap(io.poolstate.dex.event.EventKind.V2_SYNC,
                new SwapSlot(BigInteger.ONE, 0, BigInteger.ONE), LOG)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailingEventLeavesTheBlockUnapplied() throws Exception {
        PoolStateBook book = book(4);
        PoolStateBook.BlockId b1 = id(1);
        book.applyBlock(b1, List.of(new DecodedLog(v3().id(), new PoolEvent.V3Mint(Address.ZERO, Address.ZERO, -60, 60, BigInteger.TEN,
                BigInteger.ONE, BigInteger.ONE), LOG)));
        Map<PoolId, PoolSnapshot> before = snapshots(book);
        List<DecodedLog> bad = List.of(
                new DecodedLog(v2().id(), new PoolEvent.V2Sync(BigInteger.ONE, BigInteger.ONE), LOG),
                new DecodedLog(v3().id(), new PoolEvent.V3Burn(Address.ZERO, -60, 60, BigInteger.valueOf(11), BigInteger.ZERO, BigInteger.ZERO), LOG));
        assertThatThrownBy(() -> book.applyBlock(id(2), bad)).isInstanceOf(BlockApplyException.class)
                .hasMessageContaining("cannot apply block 2").hasMessageContaining("V3_BURN").hasMessageContaining("LS");
        assertThat(snapshots(book)).isEqualTo(before);
        assertThatThrownBy(() -> applyHeld(book, id(2), bad)).as("with the states the caller holds")
                .isInstanceOf(BlockApplyException.class).hasMessageContaining("V3_BURN");
        assertThat(snapshots(book)).isEqualTo(before);
        assertThat(book.head()).isEqualTo(b1);
        assertThatThrownBy(() -> book.revertBlock(id(9))).hasMessageContaining("journal ends at block 1");
    }

    @Test
    void mintAndBurnFlipTicksAndTrackActiveLiquidity() throws Exception {
        PoolStateBook book = book(4);
        book.applyBlock(id(1), List.of(
                new DecodedLog(v3().id(), new PoolEvent.V3Mint(Address.ZERO, Address.ZERO, -120, 60, BigInteger.valueOf(100), BigInteger.ONE, BigInteger.ONE), LOG),
                new DecodedLog(v3().id(), new PoolEvent.V3Mint(Address.ZERO, Address.ZERO, 60, 120, BigInteger.valueOf(5), BigInteger.ONE, BigInteger.ONE), LOG)));
        PoolSnapshot.Concentrated s = (PoolSnapshot.Concentrated) book.get(v3().id()).snapshot();
        assertThat(s.liquidity()).isEqualTo(BigInteger.valueOf(100));
        assertThat(s.ticks()).containsOnlyKeys(-120, 60, 120);
        assertThat(s.ticks().get(60)).isEqualTo(new TickInfo(BigInteger.valueOf(105), BigInteger.valueOf(-95)));
        book.applyBlock(id(2), List.of(
                new DecodedLog(v3().id(), new PoolEvent.V3Burn(Address.ZERO, -120, 60, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO), LOG),
                new DecodedLog(v3().id(), new PoolEvent.V3Burn(Address.ZERO, -120, 60, BigInteger.valueOf(100), BigInteger.ZERO, BigInteger.ZERO), LOG)));
        s = (PoolSnapshot.Concentrated) book.get(v3().id()).snapshot();
        assertThat(s.liquidity()).isZero();
        assertThat(s.ticks()).containsOnlyKeys(60, 120);
        assertThat(s.ticks().get(60)).isEqualTo(new TickInfo(BigInteger.valueOf(5), BigInteger.valueOf(5)));
    }

    private static PoolStateBook rebuild(Chain chain) throws Exception {
        PoolStateBook b = book(1);
        for (int i = 0; i < chain.blocks.size(); i++) {
            b.applyBlock(id(1_000_000 + i), chain.blocks.get(i));
        }
        return b;
    }

    private static Map<PoolId, PoolSnapshot> snapshots(PoolStateBook b) {
        Map<PoolId, PoolSnapshot> m = new HashMap<>();
        b.pools().forEach(p -> m.put(p.descriptor().id(), p.snapshot()));
        return m;
    }
}
