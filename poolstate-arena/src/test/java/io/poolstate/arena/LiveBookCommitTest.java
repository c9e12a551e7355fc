package io.poolstate.arena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.dex.event.EventKind;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.state.ConcentratedPoolState;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.testkit.SyntheticUpdates;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A committed block in the arena's book: each update goes to its pool's state in order (the last swap of a pool in
 * the block wins), a pool read at or after the block keeps its state, updates of pools not served change nothing, the
 * changes name exactly the pools touched, a revert restores the states, and an undecodable update refuses the block
 * when it would be applied (not when its pool is not served, or read at or after the block).
 */
class LiveBookCommitTest {
    private static final Token T0 = new Token(Address.of("0x0000000000000000000000000000000000000a00"), 18, "A");
    private static final Token T1 = new Token(Address.of("0x0000000000000000000000000000000000000b00"), 6, "B");
    private static final PoolDescriptor A = v3("0x00000000000000000000000000000000000000a1");
    private static final PoolDescriptor B = v3("0x00000000000000000000000000000000000000b1");
    private static final PoolDescriptor C = v3("0x00000000000000000000000000000000000000c1");
    private static final BigInteger Q96 = BigInteger.ONE.shiftLeft(96);

    private static PoolDescriptor v3(String address) {
        return new PoolDescriptor(PoolId.of(Address.of(address)), Protocol.UNISWAP_V3, T0, T1, Address.ZERO, 3000, 60, Address.ZERO);
    }

    private static Bytes32 hash(long n) {
        return Bytes32.of(BigInteger.valueOf(5000 + n));
    }

    private static FeedBlock block(long n, boolean revert, List<FeedFrame.PoolUpdate> updates) {
        return new FeedBlock(new FeedFrame.BeginBlock(n, hash(n), hash(n - 1), 0, revert), updates,
                new FeedFrame.EndBlock(n, hash(n), updates.size(), 0, 3));
    }

    /** A V3 Swap log of {@code pool} leaving it at {@code price}, {@code tick} and {@code liquidity}. */
    private static FeedFrame.PoolUpdate swap(long block, int log, PoolDescriptor pool, BigInteger price, int tick, long liquidity) {
        return SyntheticUpdates.swap(block, log, hash(100 + log), pool, price, tick, BigInteger.valueOf(liquidity));
    }

    private static ConcentratedPoolState state(PoolDescriptor d) {
        return new ConcentratedPoolState(d, Q96, 0, BigInteger.valueOf(1_000), 3000, 0, new TreeMap<>());
    }

    private static PoolSnapshot.Concentrated served(LiveBook b, PoolDescriptor d) {
        return (PoolSnapshot.Concentrated) b.snapshots().get(d.id());
    }

    @Test
    void updatesGoToTheirPoolsInOrderExceptPoolsReadAtOrAfterTheBlock() {
        LiveBook b = new LiveBook(8, 0, hash(0));
        b.put(state(A), 0);
        b.put(state(B), 1); // read at block 1: its events of block 1 are already in its state
        b.takeChanges();
        BigInteger p1 = Q96.add(BigInteger.valueOf(7));
        BigInteger p2 = Q96.add(BigInteger.valueOf(9));
        List<FeedFrame.PoolUpdate> updates = new ArrayList<>();
        updates.add(swap(1, 0, A, p1, 1, 2_000));
        updates.add(swap(1, 1, B, p1, 1, 2_000));
        updates.add(swap(1, 2, C, p1, 1, 2_000)); // not served
        updates.add(swap(1, 3, A, p2, 2, 3_000));
        b.apply(block(1, false, updates));

        assertThat(served(b, A).sqrtPriceX96()).isEqualTo(p2);
        assertThat(served(b, A).tick()).isEqualTo(2);
        assertThat(served(b, A).liquidity()).isEqualTo(BigInteger.valueOf(3_000));
        assertThat(served(b, B).sqrtPriceX96()).as("read at the block").isEqualTo(Q96);
        assertThat(b.serves(C.id())).isFalse();
        assertThat(b.eventsApplied()).isEqualTo(2);
        LiveBook.Changes c = b.takeChanges();
        assertThat(c.ids()).containsExactly(A.id());
        assertThat(c.put()).containsExactly(served(b, A));

        b.apply(block(2, false, List.of(swap(2, 0, B, p2, 2, 5_000))));
        assertThat(served(b, B).sqrtPriceX96()).as("events after its read apply").isEqualTo(p2);
        b.apply(block(2, true, List.of(swap(2, 0, B, p2, 2, 5_000))));
        assertThat(served(b, B).sqrtPriceX96()).isEqualTo(Q96);
        b.apply(block(1, true, updates));
        assertThat(served(b, A).sqrtPriceX96()).as("reverted to its read").isEqualTo(Q96);
    }

    @Test
    void aReplacedStateTakesTheNextBlocksEvents() {
        LiveBook b = new LiveBook(8, 0, hash(0));
        b.put(state(A), 0);
        b.apply(block(1, false, List.of()));
        b.replace(state(A)); // a fresh read at the tip (self-check)
        BigInteger p = Q96.add(BigInteger.TEN);
        b.apply(block(2, false, List.of(swap(2, 0, A, p, 3, 4_000))));
        assertThat(served(b, A).sqrtPriceX96()).isEqualTo(p);
        assertThat(served(b, A).liquidity()).isEqualTo(BigInteger.valueOf(4_000));
    }

    @Test
    void anUndecodableUpdateRefusesTheBlock() {
        LiveBook b = new LiveBook(8, 0, hash(0));
        b.put(state(A), 0);
        FeedFrame.PoolUpdate good = swap(1, 0, A, Q96.add(BigInteger.ONE), 1, 2_000);
        FeedFrame.PoolUpdate bad = new FeedFrame.PoolUpdate(1, 0, 1, hash(101), A.id(), EventKind.V3_SWAP, List.of(Bytes32.ZERO, Bytes32.ZERO),
                new byte[4 * 32]);
        assertThatThrownBy(() -> b.apply(block(1, false, List.of(good, bad)))).isInstanceOf(ArenaRestart.class)
                .hasMessageContaining("undecodable update from the feed").hasMessageContaining("data length 128 != 160");
        assertThat(served(b, A).sqrtPriceX96()).isEqualTo(Q96);
        assertThat(b.tipNumber()).isZero();
    }

    @Test
    void anUndecodableUpdateOfAPoolNotAppliedIsLeftAlone() {
        LiveBook b = new LiveBook(8, 0, hash(0));
        b.put(state(A), 0);
        b.put(state(B), 1); // read at block 1: its update of block 1 is not applied
        BigInteger p = Q96.add(BigInteger.TWO);
        List<FeedFrame.PoolUpdate> updates = List.of(
                new FeedFrame.PoolUpdate(1, 0, 0, hash(101), C.id(), EventKind.V3_SWAP, List.of(Bytes32.ZERO, Bytes32.ZERO), new byte[4 * 32]),
                new FeedFrame.PoolUpdate(1, 0, 1, hash(101), B.id(), EventKind.V3_SWAP, List.of(Bytes32.ZERO, Bytes32.ZERO), new byte[4 * 32]),
                swap(1, 2, A, p, 4, 2_000));
        FeedBlock block = block(1, false, updates);
        b.apply(block, DecodedUpdates.read(block)); // decoded as the feed client's thread does
        assertThat(b.tipNumber()).isEqualTo(1);
        assertThat(served(b, A).sqrtPriceX96()).isEqualTo(p);
        assertThat(b.eventsApplied()).isEqualTo(1);
    }
}
