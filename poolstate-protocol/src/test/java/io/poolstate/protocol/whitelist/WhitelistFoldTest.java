package io.poolstate.protocol.whitelist;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Address;
import io.poolstate.protocol.whitelist.WhitelistFold.Outcome;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WhitelistFoldTest {
    private static PoolId pool(int i) {
        return PoolId.of(Address.of(String.format("0x%040x", i + 1)));
    }

    private static List<PoolId> pools(int... is) {
        return IntStream.of(is).mapToObj(WhitelistFoldTest::pool).toList();
    }

    private static List<PoolId> range(int from, int to) {
        return IntStream.range(from, to).mapToObj(WhitelistFoldTest::pool).toList();
    }

    private static WhitelistMessage full(long id, List<PoolId> ids) {
        return new WhitelistMessage(UpdateType.FULL, "t", id, null, null, List.of(), ids);
    }

    private static WhitelistMessage add(long id, long prev, List<PoolId> ids) {
        return new WhitelistMessage(UpdateType.ADD, "t", id, prev, null, List.of(), ids);
    }

    private static WhitelistMessage remove(long id, long prev, List<PoolId> ids) {
        return new WhitelistMessage(UpdateType.REMOVE, "t", id, prev, null, List.of(), ids);
    }

    @Test
    void fullReplacesAndDiffsChain() {
        WhitelistFold f = new WhitelistFold(WhitelistFold.Guard.DEFAULT, false);
        assertThat(f.apply(full(10, pools(1, 2, 3)))).isEqualTo(new Outcome.Applied(10, pools(1, 2, 3), List.of()));
        assertThat(f.apply(add(11, 10, pools(4)))).isEqualTo(new Outcome.Applied(11, pools(4), List.of()));
        assertThat(f.apply(remove(12, 11, pools(1)))).isEqualTo(new Outcome.Applied(12, List.of(), pools(1)));
        assertThat(f.state().ids()).containsExactly(pool(2), pool(3), pool(4));
        assertThat(f.apply(full(13, pools(2, 5)))).isEqualTo(new Outcome.Applied(13, pools(5), pools(3, 4)));
    }

    @Test
    void aMessageAppliedBeforeChangesNothing() {
        WhitelistFold f = new WhitelistFold(WhitelistFold.Guard.DEFAULT, false);
        f.apply(full(10, pools(1, 2, 3)));
        f.apply(add(11, 10, pools(4)));
        f.apply(add(12, 11, pools(5)));
        // the same diff published again (after a crash between publish and mark-published), and an old full list
        assertThat(f.apply(add(11, 10, pools(4)))).isInstanceOf(Outcome.Duplicate.class);
        assertThat(f.apply(full(10, pools(1, 2, 3)))).isInstanceOf(Outcome.Duplicate.class);
        assertThat(f.needsResync()).isFalse();
        assertThat(f.snapshotId()).isEqualTo(12);
        assertThat(f.state().size()).isEqualTo(5);
    }

    @Test
    void aGapChangesNothingUntilAResync() {
        WhitelistFold f = new WhitelistFold(WhitelistFold.Guard.DEFAULT, false);
        f.apply(full(10, pools(1, 2, 3)));
        assertThat(f.apply(add(12, 11, pools(9)))).isInstanceOf(Outcome.Gap.class);
        assertThat(f.needsResync()).isTrue();
        assertThat(f.state().ids()).containsExactly(pool(1), pool(2), pool(3));
        Outcome o = f.resync(List.of(full(10, pools(1, 2, 3)), add(11, 10, pools(4)), add(12, 11, pools(9)), add(14, 13, pools(7))));
        assertThat(o).isEqualTo(new Outcome.Applied(12, pools(4, 9), List.of()));
        assertThat(f.needsResync()).isFalse();
        assertThat(f.state().ids()).containsExactly(pool(1), pool(2), pool(3), pool(4), pool(9));
    }

    @Test
    void anEmptyOrDrasticallyShrunkenListIsHeld() {
        WhitelistFold f = new WhitelistFold(WhitelistFold.Guard.DEFAULT, false);
        f.apply(full(10, range(0, 17)));
        Outcome empty = f.apply(full(11, List.of()));
        assertThat(empty).isInstanceOf(Outcome.Held.class);
        assertThat(((Outcome.Held) empty).reason()).contains("empty").contains("17");
        assertThat(f.apply(full(12, range(0, 2)))).isInstanceOf(Outcome.Held.class);
        assertThat(f.apply(remove(13, 10, range(0, 16)))).isInstanceOf(Outcome.Held.class);
        assertThat(f.held()).isNotNull();
        assertThat(f.state().size()).isEqualTo(17);
        // removing a few pools is ordinary
        assertThat(f.apply(remove(14, 10, range(0, 3)))).isInstanceOf(Outcome.Applied.class);
        assertThat(f.held()).isNull();
        assertThat(f.state().size()).isEqualTo(14);
    }

    @Test
    void theGuardCanBeLifted() {
        WhitelistFold f = new WhitelistFold(new WhitelistFold.Guard(true, 100, 10), false);
        f.apply(full(10, range(0, 17)));
        assertThat(f.apply(full(11, List.of()))).isEqualTo(new Outcome.Applied(11, List.of(), range(0, 17)));
    }

    @Test
    void messagesWithoutAPlaceInTheChainAreRejected() {
        WhitelistFold f = new WhitelistFold(WhitelistFold.Guard.DEFAULT, false);
        assertThat(f.apply(full(10, pools(1)))).isInstanceOf(Outcome.Applied.class);
        assertThat(f.apply(new WhitelistMessage(UpdateType.FULL, null, null, null, null, List.of(), pools(2)))).isInstanceOf(Outcome.Rejected.class);
        assertThat(f.apply(new WhitelistMessage(UpdateType.ADD, "t", 11L, null, null, List.of(), pools(2)))).isInstanceOf(Outcome.Rejected.class);
        assertThat(f.apply(full(Long.MAX_VALUE, pools(3)))).isInstanceOf(Outcome.Rejected.class);
        assertThat(f.apply(full(-5, pools(3)))).isInstanceOf(Outcome.Rejected.class);
        assertThat(f.state().ids()).containsExactly(pool(1));
        assertThat(f.snapshotId()).isEqualTo(10);
    }

    @Test
    void aResyncFoldsPastStrayMessagesAndHoldsAStrayEmptyList() {
        // the stored subject after a hostile burst: the publisher's full list and diffs, with stray messages between them
        List<WhitelistMessage> stored = List.of(full(10, range(0, 17)), add(11, 10, pools(40)),
                add(1_000, 7, pools(41)), full(3_000, List.of()), add(2_000, 1_999, pools(42)),
                add(12, 11, pools(43)));
        WhitelistFold fresh = new WhitelistFold(WhitelistFold.Guard.DEFAULT, false);
        assertThat(fresh.resync(stored)).isInstanceOf(Outcome.Applied.class);
        assertThat(fresh.snapshotId()).as("the diff after the stray messages is applied").isEqualTo(12);
        assertThat(fresh.resyncSkipped()).extracting(o -> o.getClass().getSimpleName()).containsExactly("Gap", "Held", "Gap");
        assertThat(fresh.state().size()).isEqualTo(19);

        WhitelistFold running = new WhitelistFold(WhitelistFold.Guard.DEFAULT, false);
        running.apply(full(10, range(0, 17)));
        running.apply(add(11, 10, pools(40)));
        running.apply(add(1_000, 7, pools(41)));
        assertThat(running.needsResync()).isTrue();
        assertThat(running.resync(stored)).isEqualTo(new Outcome.Applied(12, pools(43), List.of()));
        assertThat(running.needsResync()).isFalse();
        assertThat(running.state().size()).isEqualTo(19);
    }

    @Test
    void aResyncWithoutAnyFullListKeepsTheListInForce() {
        WhitelistFold f = new WhitelistFold(WhitelistFold.Guard.DEFAULT, false);
        f.apply(full(10, pools(1, 2)));
        f.apply(add(12, 11, pools(3)));
        assertThat(f.resync(List.of(add(12, 11, pools(3))))).isInstanceOf(Outcome.Gap.class);
        assertThat(f.state().ids()).containsExactly(pool(1), pool(2));
        assertThat(f.needsResync()).isFalse();
    }
}
