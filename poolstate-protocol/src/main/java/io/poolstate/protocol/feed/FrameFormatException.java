package io.poolstate.protocol.feed;

/** Bytes that are not a valid frame: unknown type, truncated, oversized, a bad field. The connection is broken. */
public final class FrameFormatException extends Exception {
    public FrameFormatException(String message) {
        super(message);
    }
}
