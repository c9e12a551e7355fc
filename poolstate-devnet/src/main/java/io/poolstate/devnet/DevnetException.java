package io.poolstate.devnet;

/** A devnet failure with a message meant for the person running it (what failed, why, what to do). */
public final class DevnetException extends RuntimeException {
    public DevnetException(String message) {
        super(message);
    }

    public DevnetException(String message, Throwable cause) {
        super(message, cause);
    }
}
