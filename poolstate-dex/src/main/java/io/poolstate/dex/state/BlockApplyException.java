package io.poolstate.dex.state;

/** A block that could not be applied or reverted; the book is left exactly as before the call. */
public final class BlockApplyException extends Exception {
    public BlockApplyException(String message, Throwable cause) {
        super(message, cause);
    }
}
