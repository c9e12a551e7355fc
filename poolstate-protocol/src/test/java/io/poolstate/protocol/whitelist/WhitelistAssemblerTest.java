package io.poolstate.protocol.whitelist;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Address;
import io.poolstate.protocol.whitelist.WhitelistAssembler.Result;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WhitelistAssemblerTest {
    private static final long SECOND = 1_000_000_000L;

    private static PoolId pool(int i) {
        return PoolId.of(Address.of(String.format("0x%040x", i + 1)));
    }

    private static WhitelistPart part(long snapshot, int part, int parts, int... pools) {
        List<PoolId> ids = IntStream.of(pools).mapToObj(WhitelistAssemblerTest::pool).toList();
        return new WhitelistPart(new WhitelistMessage(UpdateType.FULL, "t", snapshot, null, null, List.of(), ids), part, parts);
    }

    private static WhitelistAssembler assembler() {
        return new WhitelistAssembler(10_000, Duration.ofSeconds(30));
    }

    @Test
    void appliesASplitListOnlyWhenEveryPartIsIn() {
        WhitelistAssembler a = assembler();
        assertThat(a.accept(part(5, 2, 3, 3, 4), 100, 0)).containsExactly(new Result.Waiting(5, 1, 3));
        assertThat(a.accept(part(5, 2, 3, 3, 4), 100, 0)).as("redelivered").containsExactly(new Result.Waiting(5, 1, 3));
        assertThat(a.accept(part(5, 1, 3, 1, 2), 100, 0)).containsExactly(new Result.Waiting(5, 2, 3));
        List<Result> last = a.accept(part(5, 3, 3, 5), 100, 0);
        assertThat(last).singleElement().isInstanceOfSatisfying(Result.Complete.class, c -> {
            assertThat(c.parts()).isEqualTo(3);
            assertThat(c.message().poolIds()).containsExactly(pool(1), pool(2), pool(3), pool(4), pool(5));
            assertThat(c.message().snapshotId()).isEqualTo(5);
        });
        assertThat(a.assembling()).isFalse();
    }

    @Test
    void aWholeMessagePassesStraightThroughWithoutDisturbingASplitOne() {
        WhitelistAssembler a = assembler();
        a.accept(part(5, 1, 2, 1), 100, 0);
        WhitelistPart whole = part(4, 1, 1, 9);
        assertThat(a.accept(whole, 100, 0)).containsExactly(new Result.Complete(whole.message(), 1));
        assertThat(a.accept(part(5, 2, 2, 2), 100, 0)).singleElement().isInstanceOf(Result.Complete.class);
    }

    @Test
    void anIncompleteListTimesOutAndItsLatePartsAreDropped() {
        WhitelistAssembler a = assembler();
        a.accept(part(5, 1, 3, 1), 100, 0);
        assertThat(a.expire(29 * SECOND)).isNull();
        Result.Dropped d = a.expire(31 * SECOND);
        assertThat(d.reason()).startsWith("timeout=PT30S: incomplete full snapshot_id=5 parts_received=1/3");
        assertThat(a.accept(part(5, 2, 3, 2), 100, 32 * SECOND)).singleElement().isInstanceOf(Result.Dropped.class);
        // the publisher sends it again from its first part: a new attempt
        a.accept(part(5, 1, 3, 1), 100, 40 * SECOND);
        a.accept(part(5, 2, 3, 2), 100, 40 * SECOND);
        assertThat(a.accept(part(5, 3, 3, 3), 100, 40 * SECOND)).singleElement().isInstanceOf(Result.Complete.class);
    }

    @Test
    void anotherListsPartAbandonsTheOneInProgress() {
        WhitelistAssembler a = assembler();
        a.accept(part(5, 1, 2, 1), 100, 0);
        List<Result> r = a.accept(part(6, 1, 2, 1), 100, 0);
        assertThat(r).hasSize(2);
        assertThat(((Result.Dropped) r.get(0)).reason()).isEqualTo("abandoned for full snapshot_id=6: full snapshot_id=5 parts_received=1/2");
        assertThat(r.get(1)).isEqualTo(new Result.Waiting(6, 1, 2));
    }

    @Test
    void boundsMemoryAndRefusesInconsistentParts() {
        WhitelistAssembler a = assembler();
        a.accept(part(5, 1, 3, 1), 6_000, 0);
        assertThat(a.accept(part(5, 2, 3, 2), 6_000, 0)).singleElement()
                .isInstanceOfSatisfying(Result.Dropped.class, d -> assertThat(d.reason()).startsWith("bytes>10000"));
        assertThat(a.assembling()).isFalse();

        a.accept(part(7, 1, 3, 1), 100, 0);
        assertThat(a.accept(part(7, 2, 4, 2), 100, 0)).singleElement()
                .isInstanceOfSatisfying(Result.Dropped.class, d -> assertThat(d.reason()).startsWith("parts=4: part 2 disagrees with parts=3"));

        a.accept(part(8, 1, 2, 1, 2), 100, 0);
        assertThat(a.accept(part(8, 2, 2, 2, 3), 100, 0)).singleElement()
                .isInstanceOfSatisfying(Result.Dropped.class, d -> assertThat(d.reason()).isEqualTo("id=" + pool(2) + ": listed in part 1 and part 2 of full snapshot_id=8"));
    }
}
