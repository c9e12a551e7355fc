package io.poolstate.stress;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.feed.client.PoolSetChange;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.whitelist.UpdateType;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The storm's check finds what it is there to find: a set that is not the fold's, a skipped block, an older list, a lost connection. */
class ForwardedSetCheckerTest {
    private static final PoolId A = PoolId.of(Address.of("0x00000000000000000000000000000000000000a1"));
    private static final PoolId B = PoolId.of(Address.of("0x00000000000000000000000000000000000000b1"));
    private static final PoolId C = PoolId.of(Address.of("0x00000000000000000000000000000000000000c1"));

    private static PublishedLog log() {
        PublishedLog log = new PublishedLog(WhitelistFold.Guard.DEFAULT);
        log.append(new WhitelistMessage(UpdateType.FULL, "devnet", 10L, null, Instant.now(), List.of(), List.of(A, B)));
        log.append(new WhitelistMessage(UpdateType.ADD, "devnet", 11L, 10L, Instant.now(), List.of(), List.of(C)));
        log.append(new WhitelistMessage(UpdateType.REMOVE, "devnet", 12L, 11L, Instant.now(), List.of(), List.of(C)));
        log.append(new WhitelistMessage(UpdateType.REMOVE, "devnet", 13L, 12L, Instant.now(), List.of(), List.of(A)));
        return log;
    }

    private static Bytes32 hash(long n, int fork) {
        return Bytes32.of(BigInteger.valueOf(n * 10 + fork));
    }

    private static FeedBlock block(long n, int fork, int parentFork, boolean revert, long snapshot, int forwarded) {
        return new FeedBlock(new FeedFrame.BeginBlock(n, hash(n, fork), hash(n - 1, parentFork), 0, revert), List.of(),
                new FeedFrame.EndBlock(n, hash(n, fork), 0, snapshot, forwarded));
    }

    @Test
    void aStreamThatFollowsTheFoldPasses() {
        Differences d = new Differences();
        PublishedLog log = log();
        ForwardedSetChecker c = new ForwardedSetChecker("c", log, d, h -> 0L);
        c.onPoolSet(new PoolSetChange(1, 10, true, List.of(A, B), List.of(), 2));
        c.onBlock(block(1, 0, 0, false, 10, 2));
        c.onPoolSet(new PoolSetChange(2, 11, false, List.of(C), List.of(), 3));
        c.onBlock(block(2, 0, 0, false, 11, 3));
        c.onBlock(block(2, 0, 0, true, 11, 3)); // reverted, then its change undone
        c.onPoolSet(new PoolSetChange(2, 10, false, List.of(), List.of(C), 2));
        c.onPoolSet(new PoolSetChange(2, 13, false, List.of(), List.of(A), 1)); // 11, 12 and 13 at once: C in and out again
        c.onBlock(block(2, 1, 0, false, 13, 1));
        assertThat(d.first()).isEmpty();
        assertThat(c.counts()).containsEntry("reorgs", 1L);
        assertThat(log.at(12)).containsExactlyInAnyOrder(A, B);
        assertThat(log.at(10)).as("an older snapshot than the cursor: folded again").containsExactlyInAnyOrder(A, B);
    }

    @Test
    void aSetThatIsNotTheFoldsIsADifference() {
        Differences d = new Differences();
        ForwardedSetChecker c = new ForwardedSetChecker("c", log(), d, h -> 0L);
        c.onPoolSet(new PoolSetChange(1, 10, true, List.of(A, B), List.of(), 2));
        c.onBlock(block(1, 0, 0, false, 10, 2));
        c.onPoolSet(new PoolSetChange(2, 13, false, List.of(), List.of(B), 1)); // removed B, the fold at 13 removed A
        c.onBlock(block(2, 0, 0, false, 13, 1));
        assertThat(d.first()).singleElement().asString().contains("block 2", "snapshot 13", "missing=[" + B, "extra=[" + A);
    }

    @Test
    void aSkippedBlockAnOlderListAnUnpublishedSnapshotAndALostConnectionAreDifferences() {
        Differences d = new Differences();
        ForwardedSetChecker c = new ForwardedSetChecker("c", log(), d, h -> 0L);
        c.onPoolSet(new PoolSetChange(1, 11, true, List.of(A, B, C), List.of(), 3));
        c.onBlock(block(1, 0, 0, false, 11, 3));
        c.onBlock(block(2, 0, 0, false, 10, 3));
        c.onBlock(block(4, 0, 0, false, 11, 3));
        c.onBlock(block(5, 0, 0, false, 99, 3));
        c.onDisconnect("protocol violation");
        c.expectDisconnect();
        c.onDisconnect("closed to resume");
        assertThat(d.first()).hasSize(5);
        assertThat(d.first().get(0)).contains("block 2", "older than its parent's 11");
        assertThat(d.first().get(1)).contains("block 2", "snapshot 10").contains("extra=[" + C);
        assertThat(d.first().get(2)).contains("block 4", "does not extend the last applied block 2");
        assertThat(d.first().get(3)).contains("snapshot 99", "never published");
        assertThat(d.first().get(4)).contains("connection lost: protocol violation");
    }
}
