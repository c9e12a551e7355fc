package io.poolstate.dex.event;

/**
 * A log whose topic0 names a pool event but whose shape or values do not fit it (wrong topic count, short
 * data, a value wider than its Solidity type). The message names the log's block, transaction and index.
 */
public final class MalformedLogException extends Exception {
    private final EventKind kind;

    public MalformedLogException(EventKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public EventKind kind() {
        return kind;
    }
}
