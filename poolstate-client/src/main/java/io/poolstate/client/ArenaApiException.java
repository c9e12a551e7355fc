package io.poolstate.client;

/**
 * The arena answered an error: {@code status} (400 bad parameters, 404 unknown pool or a block not applied yet, 410 a
 * block no longer in the journal, 422 a swap the pool would refuse, 503 not served now) and its {@code error} text.
 */
public final class ArenaApiException extends RuntimeException {
    private final int status;
    private final String body;

    public ArenaApiException(int status, String error, String body) {
        super("arena answered " + status + ": " + error);
        this.status = status;
        this.body = body;
    }

    public int status() {
        return status;
    }

    /** The whole JSON body of the answer. */
    public String body() {
        return body;
    }

    /** True for 410: the block asked for is no longer in the arena's journal. */
    public boolean gone() {
        return status == 410;
    }
}
