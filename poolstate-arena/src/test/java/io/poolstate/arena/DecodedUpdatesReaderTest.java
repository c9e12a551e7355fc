package io.poolstate.arena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.dex.event.EventKind;
import io.poolstate.dex.event.MalformedLogException;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.feed.client.FeedBlock;
import io.poolstate.feed.client.FeedClient;
import io.poolstate.feed.client.FeedSession;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.testkit.SyntheticUpdates;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A block's updates decoded as they arrive: the feed session hands each accepted update to its listener before the
 * block's end, with the same objects the block then carries; what the reader decoded ahead equals decoding the whole
 * block at its end, and anything that does not match (a block cut off, a revert, updates it did not see) is read whole.
 */
class DecodedUpdatesReaderTest {
    private static final Token T0 = new Token(Address.of("0x0000000000000000000000000000000000000a00"), 18, "A");
    private static final Token T1 = new Token(Address.of("0x0000000000000000000000000000000000000b00"), 6, "B");
    private static final PoolDescriptor A = v3("0x00000000000000000000000000000000000000a1");
    private static final PoolDescriptor B = v3("0x00000000000000000000000000000000000000b1");
    private static final BigInteger Q96 = BigInteger.ONE.shiftLeft(96);

    private static PoolDescriptor v3(String address) {
        return new PoolDescriptor(PoolId.of(Address.of(address)), Protocol.UNISWAP_V3, T0, T1, Address.ZERO, 3000, 60, Address.ZERO);
    }

    private static Bytes32 hash(long n) {
        return Bytes32.of(BigInteger.valueOf(9000 + n));
    }

    private static FeedFrame.BeginBlock begin(long n, boolean revert) {
        return new FeedFrame.BeginBlock(n, hash(n), hash(n - 1), 0, revert);
    }

    private static List<FeedFrame.PoolUpdate> updates(long n, int count) {
        List<FeedFrame.PoolUpdate> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(SyntheticUpdates.swap(n, i, hash(100 + i), i % 2 == 0 ? A : B, Q96.add(BigInteger.valueOf(i)), i, BigInteger.valueOf(1_000 + i)));
        }
        return out;
    }

    private static FeedBlock block(long n, boolean revert, List<FeedFrame.PoolUpdate> updates) {
        return new FeedBlock(begin(n, revert), updates, new FeedFrame.EndBlock(n, hash(n), updates.size(), 0, 2));
    }

    private static void assertSame(DecodedUpdates d, DecodedUpdates expected) throws MalformedLogException {
        assertThat(d.blockNumber()).isEqualTo(expected.blockNumber());
        assertThat(d.size()).isEqualTo(expected.size());
        assertThat(d.pools()).containsExactly(expected.pools());
        for (int i = 0; i < d.size(); i++) {
            assertThat(d.event(i)).as("update %d", i).isEqualTo(expected.event(i));
        }
    }

    @Test
    void theSessionHandsOverEachUpdateBeforeItsBlockAndTheReaderUsesThem() throws Exception {
        List<Object> heard = new ArrayList<>();
        DecodedUpdates.Reader reader = new DecodedUpdates.Reader();
        List<DecodedUpdates> decoded = new ArrayList<>();
        FeedSession session = new FeedSession(new FeedClient.Listener() {
            @Override
            public void onUpdate(FeedFrame.BeginBlock begin, FeedFrame.PoolUpdate update) {
                heard.add(update);
                reader.add(begin, update);
            }

            @Override
            public void onBlock(FeedBlock block) {
                heard.add(block);
                decoded.add(reader.finish(block));
            }
        }, new FeedSession.TipSink() {
            @Override
            public void advanced(long number, Bytes32 hash) {
            }

            @Override
            public void reset() {
            }
        });
        session.accept(new FeedFrame.PoolSet(1, 1, true, false, List.of(A.id(), B.id()), List.of()));
        List<FeedFrame.PoolUpdate> sent = updates(1, 5);
        session.accept(begin(1, false));
        for (FeedFrame.PoolUpdate u : sent) {
            session.accept(u);
        }
        assertThat(heard).as("each update as it arrives, before the block's end").containsExactlyElementsOf(sent);
        session.accept(new FeedFrame.EndBlock(1, hash(1), 5, 0, 2));
        FeedBlock b = (FeedBlock) heard.get(5);
        for (int i = 0; i < 5; i++) {
            assertThat(b.updates().get(i)).as("the block carries the very objects handed over").isSameAs(sent.get(i));
        }
        assertSame(decoded.get(0), DecodedUpdates.read(b));
        assertThat(reader.ahead()).isEqualTo(1);
        assertThat(reader.whole()).isZero();
    }

    @Test
    void whatDoesNotMatchTheBlockIsReadWhole() throws Exception {
        DecodedUpdates.Reader reader = new DecodedUpdates.Reader();
        // a block cut off after two updates, then another block whose updates the reader saw only in part
        List<FeedFrame.PoolUpdate> cut = updates(7, 4);
        reader.add(begin(7, false), cut.get(0));
        reader.add(begin(7, false), cut.get(1));
        List<FeedFrame.PoolUpdate> next = updates(8, 300); // more than the reader's first arrays hold
        for (FeedFrame.PoolUpdate u : next) {
            reader.add(begin(8, false), u);
        }
        FeedBlock whole = block(8, false, next);
        assertSame(reader.finish(whole), DecodedUpdates.read(whole));
        assertThat(reader.ahead()).as("block 8 was seen whole, after the cut block was dropped").isEqualTo(1);
        List<FeedFrame.PoolUpdate> seen = updates(9, 3);
        seen.forEach(u -> reader.add(begin(9, false), u));
        List<FeedFrame.PoolUpdate> other = new ArrayList<>(seen);
        other.set(1, SyntheticUpdates.swap(9, 1, hash(101), B, Q96.add(BigInteger.valueOf(77)), 77, BigInteger.valueOf(7_777)));
        FeedBlock partial = block(9, false, other); // as many updates as the reader saw, one of them another
        assertSame(reader.finish(partial), DecodedUpdates.read(partial));
        assertThat(reader.whole()).isEqualTo(1);
        FeedBlock revert = block(8, true, next.reversed());
        DecodedUpdates r = reader.finish(revert);
        assertThat(r.pools()).containsExactlyElementsOf(next.reversed().stream().map(FeedFrame.PoolUpdate::pool).toList());
        assertThatThrownBy(() -> r.event(0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("revert");
        assertThatThrownBy(() -> DecodedUpdates.read(whole).requireOf(partial)).as("another block's updates")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("block=9").hasMessageContaining("decoded_block=8");
    }

    @Test
    void anUpdateThatDoesNotDecodeIsCarriedToTheWriter() throws Exception {
        DecodedUpdates.Reader reader = new DecodedUpdates.Reader();
        FeedFrame.PoolUpdate good = updates(3, 1).get(0);
        FeedFrame.PoolUpdate bad = new FeedFrame.PoolUpdate(3, 0, 1, hash(101), B.id(), EventKind.V3_SWAP, List.of(Bytes32.ZERO, Bytes32.ZERO),
                new byte[4 * 32]);
        reader.add(begin(3, false), good);
        reader.add(begin(3, false), bad);
        DecodedUpdates d = reader.finish(block(3, false, List.of(good, bad)));
        assertThat(reader.ahead()).isEqualTo(1);
        assertThat(d.event(0)).isEqualTo(good.blockEvent());
        assertThatThrownBy(() -> d.event(1)).isInstanceOf(MalformedLogException.class).hasMessageContaining("data length 128 != 160");
    }
}
