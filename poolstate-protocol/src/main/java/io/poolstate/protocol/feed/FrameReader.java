package io.poolstate.protocol.feed;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads length-prefixed frames ({@link FrameCodec}) from a channel: the one frame reader of the feed protocol,
 * used by the feed for what consumers send and by the consumer library for what the feed sends. Frames are
 * parsed out of buffered reads (256 KiB), not read one by one; a frame larger than the buffer is read into a
 * buffer of its own. A length out of range, a truncated or corrupt frame is a {@link FrameFormatException}; the
 * channel's end is an {@link EOFException}.
 *
 * <p>Not thread-safe: one reading thread per instance.
 */
public final class FrameReader {
    private final ReadableByteChannel channel;
    private final ByteBuffer in;
    private final String peer;

    /** {@code peer} names the other side in errors ("feed", "consumer"). */
    public FrameReader(ReadableByteChannel channel, int bufferBytes, String peer) {
        this.channel = channel;
        this.in = ByteBuffer.allocate(bufferBytes);
        this.in.flip();
        this.peer = peer;
    }

    /** The next frame; blocks until it is whole. */
    public FeedFrame next() throws IOException, FrameFormatException {
        need(4);
        int n = in.getInt();
        if (n <= 0 || n > FrameCodec.MAX_FRAME) {
            throw new FrameFormatException("frame length " + n + " out of range (1.." + FrameCodec.MAX_FRAME + ")");
        }
        if (n > in.capacity()) {
            ByteBuffer big = ByteBuffer.allocate(n);
            int take = Math.min(in.remaining(), n);
            big.put(in.slice(in.position(), take));
            in.position(in.position() + take);
            while (big.hasRemaining()) {
                if (channel.read(big) < 0) {
                    throw new EOFException(peer + " closed the connection inside a frame");
                }
            }
            return FrameCodec.decode(big.flip());
        }
        need(n);
        ByteBuffer body = in.slice(in.position(), n);
        in.position(in.position() + n);
        return FrameCodec.decode(body);
    }

    /**
     * Every frame of a whole buffer (frames back to back, as in a message of the feed's JetStream stream); a length
     * out of range or a buffer that ends inside a frame is a {@link FrameFormatException}.
     */
    public static java.util.List<FeedFrame> readAll(byte[] body, String peer) throws FrameFormatException {
        ByteBuffer in = ByteBuffer.wrap(body);
        java.util.List<FeedFrame> out = new java.util.ArrayList<>();
        while (in.hasRemaining()) {
            if (in.remaining() < 4) {
                throw new FrameFormatException(peer + ": " + in.remaining() + " bytes after the last frame");
            }
            int n = in.getInt();
            if (n <= 0 || n > FrameCodec.MAX_FRAME || n > in.remaining()) {
                throw new FrameFormatException(peer + ": frame length " + n + " out of range (1.." + Math.min(FrameCodec.MAX_FRAME, in.remaining()) + ")");
            }
            out.add(FrameCodec.decode(in.slice(in.position(), n)));
            in.position(in.position() + n);
        }
        return out;
    }

    /** Ensures {@code n} unread bytes are buffered (the buffer is in read mode between calls). */
    private void need(int n) throws IOException {
        if (in.remaining() >= n) {
            return;
        }
        in.compact();
        while (in.position() < n) {
            if (channel.read(in) < 0) {
                in.flip();
                throw new EOFException(peer + " closed the connection");
            }
        }
        in.flip();
    }
}
