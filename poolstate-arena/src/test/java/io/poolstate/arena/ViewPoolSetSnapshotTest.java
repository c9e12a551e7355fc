package io.poolstate.arena;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.state.V2PoolState;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.feed.client.PoolSetChange;
import io.poolstate.protocol.feed.FeedFrame;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The view names the whitelist snapshot of the pool set it serves. The feed announces a change between blocks, before
 * the first block built with it; the arena applies it at once (a removed pool leaves, an added one is read at the
 * current block), so from then on the view's pools, {@code forwarded} and {@code whitelist_snapshot_id} must all be the
 * announced list's — not the pools of one list under the snapshot id of another.
 */
class ViewPoolSetSnapshotTest {
    private static final Token T0 = new Token(Address.of("0x0000000000000000000000000000000000000a00"), 18, "A");
    private static final Token T1 = new Token(Address.of("0x0000000000000000000000000000000000000b00"), 6, "B");
    private static final PoolDescriptor A = v2("0x00000000000000000000000000000000000000a1");
    private static final PoolDescriptor B = v2("0x00000000000000000000000000000000000000b1");

    private static PoolDescriptor v2(String address) {
        return new PoolDescriptor(PoolId.of(Address.of(address)), Protocol.UNISWAP_V2, T0, T1, Address.of("0x00000000000000000000000000000000000000fa"),
                3000, 0, null);
    }

    private static Bytes32 hash(long n) {
        return Bytes32.of(BigInteger.valueOf(5000 + n));
    }

    private static FeedBlock block(long n, boolean revert, long snapshot, int forwarded) {
        return new FeedBlock(new FeedFrame.BeginBlock(n, hash(n), hash(n - 1), 0, revert), List.of(),
                new FeedFrame.EndBlock(n, hash(n), 0, snapshot, forwarded));
    }

    @Test
    void aChangeAnnouncedAfterABlockIsNamedWithThePoolsItLeaves() {
        ArenaMetrics metrics = new ArenaMetrics();
        LiveBook book = new LiveBook(16, 0, hash(0));
        PoolSetFollower follower = new PoolSetFollower(PoolCatalog.of(List.of(A, B)), null, metrics);
        ViewPublisher views = new ViewPublisher(1, metrics);
        follower.change(new PoolSetChange(1, 5, true, List.of(A.id(), B.id()), List.of(), 2), book);
        book.put(new V2PoolState(A, BigInteger.TEN, BigInteger.TWO), 0);
        book.put(new V2PoolState(B, BigInteger.TEN, BigInteger.TWO), 0);
        follower.joined(A.id());
        follower.joined(B.id());
        book.apply(block(1, false, 5, 2));
        views.publish(book, follower, ArenaMode.LIVE);
        assertThat(views.current().pools()).containsOnlyKeys(A.id(), B.id());
        assertThat(views.current().whitelistSnapshotId()).isEqualTo(5);

        // snapshot 6 removes B from block 2 on: announced after block 1, applied by the arena at once
        follower.change(new PoolSetChange(2, 6, false, List.of(), List.of(B.id()), 1), book);
        views.publish(book, follower, ArenaMode.LIVE);
        assertThat(views.current().blockNumber()).isEqualTo(1);
        assertThat(views.current().pools()).containsOnlyKeys(A.id());
        assertThat(views.current().forwarded()).isEqualTo(1);
        assertThat(views.current().whitelistSnapshotId()).as("the served pools are snapshot 6's").isEqualTo(6);

        book.apply(block(2, false, 6, 1));
        views.publish(book, follower, ArenaMode.LIVE);
        assertThat(views.current().whitelistSnapshotId()).isEqualTo(6);

        // block 2 reverted: the feed undoes its change, B is forwarded again (and waits for its read)
        book.apply(block(2, true, 6, 1));
        follower.change(new PoolSetChange(2, 5, false, List.of(B.id()), List.of(), 2), book);
        views.publish(book, follower, ArenaMode.LIVE);
        assertThat(views.current().blockNumber()).isEqualTo(1);
        assertThat(views.current().forwarded()).isEqualTo(2);
        assertThat(views.current().whitelistSnapshotId()).as("back at block 1, with snapshot 5's pools").isEqualTo(5);
    }
}
