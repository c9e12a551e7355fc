package io.poolstate.nats;

import io.nats.client.impl.Headers;
import io.poolstate.eth.Bytes32;
import io.poolstate.protocol.feed.FeedFrame;
import io.poolstate.protocol.feed.FeedSubjects;
import io.poolstate.protocol.feed.FrameFormatException;
import io.poolstate.protocol.feed.FrameReader;
import java.util.List;

/**
 * One message of the feed's block stream ({@link FeedSubjects}), its headers read strictly. {@code setSeq} is 0
 * when the message (its first part) begins with a replacing pool set itself. Immutable.
 *
 * @param seq    the stream sequence of this message (part)
 * @param number the block number ({@code from} of a rescrape)
 */
public record FeedStreamMessage(long seq, long number, Bytes32 hash, Bytes32 parentHash, FeedSubjects.Kind kind, int part, int parts, long setSeq,
                                String feedId, byte[] data) {

    /** Reads a stored message; a header that is missing or malformed is a {@link FrameFormatException} naming it. */
    public static FeedStreamMessage of(long seq, Headers headers, byte[] data) throws FrameFormatException {
        String block = headers == null ? null : headers.getFirst(FeedSubjects.BLOCK_HEADER);
        if (block == null) {
            throw new FrameFormatException("feed stream message without " + FeedSubjects.BLOCK_HEADER + ": seq=" + seq);
        }
        String[] f = block.trim().split(" ");
        try {
            if (f.length != 4) {
                throw new IllegalArgumentException("4 fields expected");
            }
            FeedSubjects.Kind kind = FeedSubjects.Kind.valueOf(f[3].toUpperCase());
            String partHeader = headers.getFirst(FeedSubjects.PART_HEADER);
            int part = 1;
            int parts = 1;
            if (partHeader != null) {
                String[] p = partHeader.trim().split("/");
                part = Integer.parseInt(p[0]);
                parts = Integer.parseInt(p[1]);
                if (p.length != 2 || part < 1 || part > parts) {
                    throw new IllegalArgumentException("part out of range: " + partHeader);
                }
            }
            String set = headers.getFirst(FeedSubjects.SET_SEQ_HEADER);
            long setSeq = set == null ? 0 : Long.parseLong(set.trim());
            if (setSeq < 0 || setSeq >= seq) {
                throw new IllegalArgumentException(FeedSubjects.SET_SEQ_HEADER + " " + setSeq + " not before the message");
            }
            return new FeedStreamMessage(seq, Long.parseLong(f[0]), Bytes32.of(f[1]), Bytes32.of(f[2]), kind, part, parts, setSeq,
                    headers.getFirst(FeedSubjects.FEED_HEADER), data == null ? new byte[0] : data);
        } catch (RuntimeException e) {
            throw new FrameFormatException("feed stream message headers refused: seq=" + seq + " block=" + block + " reason=" + e.getMessage());
        }
    }

    /** The last part of its message (a block is whole after it). */
    public boolean last() {
        return part == parts;
    }

    /** Where the stream begins the fold that knows the pool set of this message: its own first part, or the set it names. */
    public long foldFrom() {
        return setSeq > 0 ? setSeq : seq - (part - 1);
    }

    /** The stream's tip block number after this message (0 after a rescrape). */
    public long tipNumber() {
        return switch (kind) {
            case COMMIT -> number;
            case REVERT -> number - 1;
            case RESCRAPE -> 0;
        };
    }

    /** The stream's tip block hash after this message (zero after a rescrape). */
    public Bytes32 tipHash() {
        return switch (kind) {
            case COMMIT -> hash;
            case REVERT -> parentHash;
            case RESCRAPE -> Bytes32.ZERO;
        };
    }

    /** The frames of a whole message (its parts' bodies joined), read by the one frame reader. */
    public static List<FeedFrame> frames(byte[] body) throws FrameFormatException {
        return FrameReader.readAll(body, "feed stream");
    }
}
