package io.poolstate.protocol.stream;

/** A stream message that does not decode; the message names the field and the reason ({@code key=value}). */
public final class StreamFormatException extends Exception {
    public StreamFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
