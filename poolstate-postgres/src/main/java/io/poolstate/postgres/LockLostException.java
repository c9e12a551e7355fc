package io.poolstate.postgres;

/**
 * The advisory lock a piece of work ran under was lost while it ran (the lock's connection broke, or the server no
 * longer lists the lock): another process may hold it now, so the work was stopped and what it did must be treated
 * as unfinished.
 */
public final class LockLostException extends IllegalStateException {
    public LockLostException(String lock, String reason, Throwable cause) {
        super("advisory lock lost while its work ran; the run was stopped: lock=" + lock + " reason=" + reason, cause);
    }
}
