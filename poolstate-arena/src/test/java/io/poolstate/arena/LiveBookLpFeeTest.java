package io.poolstate.arena;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.state.ConcentratedPoolState;
import io.poolstate.dex.state.PoolSnapshot;
import io.poolstate.dex.v4.LpFee;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.protocol.feed.FeedFrame;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The arena's book and view with re-read LP fees: fees follow the tip and revert with it (the served snapshot too,
 * in a block without events); a pool whose fee could not be read at the tip is not served until a read succeeds,
 * and reverts move that in step with the journal.
 */
class LiveBookLpFeeTest {
    private static final Token T0 = new Token(Address.of("0x0000000000000000000000000000000000000a00"), 18, "A");
    private static final Token T1 = new Token(Address.of("0x0000000000000000000000000000000000000b00"), 6, "B");
    private static final Address MANAGER = Address.of("0x00000000000000000000000000000000000000fe");
    private static final PoolDescriptor DYNAMIC = new PoolDescriptor(PoolId.of(Bytes32.of("0x" + "d1".repeat(32))), Protocol.UNISWAP_V4, T0, T1,
            MANAGER, LpFee.DYNAMIC_FEE_FLAG, 60, Address.of("0x0000000000000000000000000000000000001000"));
    private static final PoolDescriptor STATIC = new PoolDescriptor(PoolId.of(Bytes32.of("0x" + "d2".repeat(32))), Protocol.UNISWAP_V4, T0, T1,
            MANAGER, 3000, 60, Address.ZERO);

    private static Bytes32 hash(long n) {
        return Bytes32.of(BigInteger.valueOf(1000 + n));
    }

    private static FeedBlock block(long n, boolean revert) {
        return new FeedBlock(new FeedFrame.BeginBlock(n, hash(n), hash(n - 1), 0, revert), List.of(), new FeedFrame.EndBlock(n, hash(n), 0, 0, 2));
    }

    private static LiveBook book() {
        LiveBook b = new LiveBook(16, 0, hash(0));
        b.put(new ConcentratedPoolState(DYNAMIC, BigInteger.ONE.shiftLeft(96), 0, BigInteger.TEN, 3000, 0, new TreeMap<>()), 0);
        b.put(new ConcentratedPoolState(STATIC, BigInteger.ONE.shiftLeft(96), 0, BigInteger.TEN, 3000, 0, new TreeMap<>()), 0);
        return b;
    }

    private static int servedFee(LiveBook b) {
        return ((PoolSnapshot.Concentrated) b.snapshots().get(DYNAMIC.id())).fee();
    }

    @Test
    void onlyDynamicFeePoolsReadBeforeTheTipAreDue() {
        LiveBook b = book();
        assertThat(b.lpFeesDue()).as("read at the tip: its fee there is in its state").isEmpty();
        b.apply(block(1, false));
        assertThat(b.lpFeesDue()).containsExactly(DYNAMIC);
        b.put(new ConcentratedPoolState(DYNAMIC, BigInteger.ONE.shiftLeft(96), 0, BigInteger.TEN, 77, 0, new TreeMap<>()), 1);
        assertThat(b.lpFeesDue()).as("joined again at the tip").isEmpty();
    }

    @Test
    void servedFeeFollowsTheTipAndRevertsWithItsBlock() {
        LiveBook b = book();
        b.apply(block(1, false));
        assertThat(b.applyLpFees(Map.of(DYNAMIC.id(), 4500))).isEqualTo(1);
        assertThat(servedFee(b)).isEqualTo(4500);
        b.apply(block(2, false));
        assertThat(b.applyLpFees(Map.of(DYNAMIC.id(), 4500))).isZero();
        b.apply(block(3, false));
        b.applyLpFees(Map.of(DYNAMIC.id(), 100));
        assertThat(servedFee(b)).isEqualTo(100);

        b.apply(block(3, true));
        assertThat(servedFee(b)).as("block 3 had no events of the pool; its fee change is undone all the same").isEqualTo(4500);
        b.apply(block(2, true));
        b.apply(block(1, true));
        assertThat(servedFee(b)).isEqualTo(3000);
    }

    @Test
    void poolWithAnUnknownFeeIsNotServedUntilAReadSucceedsOrItsBlockIsReverted() {
        LiveBook b = book();
        ArenaMetrics metrics = new ArenaMetrics();
        PoolSetFollower follower = new PoolSetFollower(PoolCatalog.of(List.of()), null, metrics);
        ViewPublisher views = new ViewPublisher(1, metrics);
        b.apply(block(1, false));
        b.applyLpFees(Map.of(DYNAMIC.id(), 4500));
        b.apply(block(2, false));
        b.lpFeesUnknown(List.of(DYNAMIC.id()), "LP fee re-read at block 2 failed: node down");
        views.publish(b, follower, ArenaMode.LIVE);
        assertThat(views.current().pools()).containsOnlyKeys(STATIC.id());
        assertThat(views.current().notServed()).containsEntry(DYNAMIC.id(), "LP fee re-read at block 2 failed: node down");

        b.apply(block(3, false));
        b.lpFeesUnknown(List.of(DYNAMIC.id()), "LP fee re-read at block 3 failed: node down");
        b.apply(block(4, false));
        b.applyLpFees(Map.of(DYNAMIC.id(), 900));
        views.publish(b, follower, ArenaMode.LIVE);
        assertThat(views.current().pools()).containsKeys(DYNAMIC.id(), STATIC.id());
        assertThat(views.current().notServed()).isEmpty();
        assertThat(servedFee(b)).isEqualTo(900);

        b.apply(block(4, true));
        views.publish(b, follower, ArenaMode.LIVE);
        assertThat(views.current().pools()).as("back to block 3, whose fee was never read").containsOnlyKeys(STATIC.id());
        assertThat(views.current().notServed().get(DYNAMIC.id())).contains("block 3");
        b.apply(block(3, true));
        assertThat(b.lpFeesUnknown()).as("block 2's fee is still unknown").containsOnlyKeys(DYNAMIC.id());
        b.apply(block(2, true));
        views.publish(b, follower, ArenaMode.LIVE);
        assertThat(views.current().pools()).as("block 1's fee was read").containsKeys(DYNAMIC.id(), STATIC.id());
        assertThat(views.current().notServed()).isEmpty();
        assertThat(servedFee(b)).isEqualTo(4500);
    }

    @Test
    void aFreshReadOfThePoolMakesItsFeeKnown() {
        LiveBook b = book();
        b.apply(block(1, false));
        b.lpFeesUnknown(List.of(DYNAMIC.id()), "failed");
        b.replace(new ConcentratedPoolState(DYNAMIC, BigInteger.ONE.shiftLeft(96), 0, BigInteger.TEN, 55, 0, new TreeMap<>()));
        assertThat(b.lpFeesUnknown()).isEmpty();
        assertThat(servedFee(b)).isEqualTo(55);
    }
}
