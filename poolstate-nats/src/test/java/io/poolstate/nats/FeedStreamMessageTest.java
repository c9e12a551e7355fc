package io.poolstate.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.impl.Headers;
import io.poolstate.eth.Bytes32;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.feed.FeedSubjects;
import io.poolstate.protocol.feed.FrameCodec;
import io.poolstate.protocol.feed.FrameFormatException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The block stream's message headers and bodies: what a publisher writes reads back, and what is malformed is refused with its reason. */
class FeedStreamMessageTest {
    private static final Bytes32 H = Bytes32.of("0x" + "22".repeat(32));
    private static final Bytes32 P = Bytes32.of("0x" + "11".repeat(32));

    @Test
    void namesAndHeadersAreTheDocumentedOnes() {
        assertThat(FeedSubjects.stream(31337)).isEqualTo("FEED_31337");
        assertThat(FeedSubjects.blocks(31337)).isEqualTo("feed.31337.blocks");
        assertThat(FeedSubjects.leaseKey(1)).isEqualTo("chain-1");
        assertThat(FeedSubjects.messageId(H, FeedSubjects.Kind.COMMIT, 1, 1)).isEqualTo(H + "-commit");
        assertThat(FeedSubjects.messageId(H, FeedSubjects.Kind.REVERT, 2, 3)).isEqualTo(H + "-revert-2of3");
        assertThat(FeedSubjects.blockHeader(100, H, P, FeedSubjects.Kind.REVERT)).isEqualTo("100 " + H + " " + P + " revert");
    }

    @Test
    void aRevertLeavesTheStreamAtItsParentAndAPartFoldsFromItsSet() throws Exception {
        Headers h = new Headers().put(FeedSubjects.BLOCK_HEADER, FeedSubjects.blockHeader(100, H, P, FeedSubjects.Kind.REVERT))
                .put(FeedSubjects.PART_HEADER, "2/3").put(FeedSubjects.SET_SEQ_HEADER, "40").put(FeedSubjects.FEED_HEADER, "feed-a");
        FeedStreamMessage m = FeedStreamMessage.of(57, h, new byte[0]);
        assertThat(m.tipNumber()).isEqualTo(99);
        assertThat(m.tipHash()).isEqualTo(P);
        assertThat(m.last()).isFalse();
        assertThat(m.foldFrom()).isEqualTo(40);
        assertThat(m.feedId()).isEqualTo("feed-a");
        Headers own = new Headers().put(FeedSubjects.BLOCK_HEADER, FeedSubjects.blockHeader(100, H, P, FeedSubjects.Kind.COMMIT))
                .put(FeedSubjects.PART_HEADER, "3/3");
        FeedStreamMessage replacing = FeedStreamMessage.of(57, own, new byte[0]);
        assertThat(replacing.foldFrom()).as("a message with its own replacing set folds from its first part").isEqualTo(55);
        assertThat(replacing.tipNumber()).isEqualTo(100);
    }

    @Test
    void malformedHeadersAreRefusedWithTheirReason() {
        assertThatThrownBy(() -> FeedStreamMessage.of(5, new Headers(), new byte[0])).isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("without Poolstate-Block").hasMessageContaining("seq=5");
        assertThatThrownBy(() -> FeedStreamMessage.of(5, new Headers().put(FeedSubjects.BLOCK_HEADER, "100 " + H + " " + P + " sideways"), null))
                .isInstanceOf(FrameFormatException.class).hasMessageContaining("seq=5");
        assertThatThrownBy(() -> FeedStreamMessage.of(5, new Headers().put(FeedSubjects.BLOCK_HEADER, "100 " + H + " " + P + " commit")
                .put(FeedSubjects.PART_HEADER, "4/3"), null)).isInstanceOf(FrameFormatException.class).hasMessageContaining("part");
        assertThatThrownBy(() -> FeedStreamMessage.of(5, new Headers().put(FeedSubjects.BLOCK_HEADER, "100 " + H + " " + P + " commit")
                .put(FeedSubjects.SET_SEQ_HEADER, "9"), null)).isInstanceOf(FrameFormatException.class).hasMessageContaining("not before the message");
    }

    @Test
    void bodiesSplitAtFrameBoundariesAndReadBackWhole() throws Exception {
        List<byte[]> frames = new ArrayList<>();
        frames.add(FrameCodec.encode(new FeedFrame.BeginBlock(7, H, P, 1, false)));
        for (int i = 0; i < 50; i++) {
            frames.add(FrameCodec.encode(new FeedFrame.Heartbeat(i)));
        }
        frames.add(FrameCodec.encode(new FeedFrame.EndBlock(7, H, 0, 0, 0)));
        List<byte[]> parts = FeedStreamWriter.split(frames, 200);
        assertThat(parts).hasSizeGreaterThan(1).allMatch(p -> p.length <= 200);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        parts.forEach(all::writeBytes);
        List<FeedFrame> back = FeedStreamMessage.frames(all.toByteArray());
        assertThat(back).hasSize(52);
        assertThat(back.get(0)).isEqualTo(new FeedFrame.BeginBlock(7, H, P, 1, false));
        byte[] cut = java.util.Arrays.copyOf(all.toByteArray(), all.size() - 3);
        assertThatThrownBy(() -> FeedStreamMessage.frames(cut)).isInstanceOf(FrameFormatException.class).hasMessageContaining("out of range");
    }

    @Test
    void partsOvertakenByANewerMessageAreDropped() throws Exception {
        FeedStreamClient.Parts parts = new FeedStreamClient.Parts();
        assertThat(parts.add(part(10, H, 1, 2, new byte[] {1}))).isNull();
        Bytes32 other = Bytes32.of("0x" + "33".repeat(32));
        assertThat(parts.add(part(11, other, 1, 1, new byte[] {9}))).containsExactly(9);
        assertThat(parts.add(part(12, H, 2, 2, new byte[] {2}))).as("the rest of an abandoned message").isNull();
        assertThat(parts.add(part(13, H, 1, 2, new byte[] {1}))).isNull();
        assertThat(parts.add(part(14, H, 2, 2, new byte[] {2}))).containsExactly(1, 2);
    }

    private static FeedStreamMessage part(long seq, Bytes32 hash, int part, int parts, byte[] data) throws Exception {
        Headers h = new Headers().put(FeedSubjects.BLOCK_HEADER, FeedSubjects.blockHeader(5, hash, P, FeedSubjects.Kind.COMMIT));
        if (parts > 1) {
            h.put(FeedSubjects.PART_HEADER, part + "/" + parts);
        }
        return FeedStreamMessage.of(seq, h, data);
    }
}
