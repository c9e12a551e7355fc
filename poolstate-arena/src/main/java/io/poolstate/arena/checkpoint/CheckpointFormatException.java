package io.poolstate.arena.checkpoint;

/** A checkpoint file that cannot be used, with what is wrong ({@code key=value} context). */
public final class CheckpointFormatException extends RuntimeException {
    public CheckpointFormatException(String message) {
        super(message);
    }
}
