package io.poolstate.eth.rpc;

/**
 * The wait of a long-running loop (a feed, stream or whitelist connection, the arena's start-up) before it tries
 * again after a failure: {@code initialMillis}, doubled after every failed try up to {@code maxMillis}, back to
 * {@code initialMillis} once a try succeeded. An immutable value: the loop that owns it keeps the current one in a
 * local variable ({@code backoff = backoff.next()}). {@link RetryPolicy} is its counterpart for one JSON-RPC call.
 *
 * @param initialMillis the first wait, ms
 * @param maxMillis     the longest wait, ms
 * @param millis        the wait {@link #pause()} sleeps now, ms
 */
public record Backoff(long initialMillis, long maxMillis, long millis) {
    public Backoff {
        if (initialMillis < 0 || maxMillis < 0 || millis < 0) {
            throw new IllegalArgumentException("backoff must not be negative: initialMillis=" + initialMillis + " maxMillis=" + maxMillis
                    + " millis=" + millis);
        }
    }

    /** Starts at {@code initialMillis}, doubling up to {@code maxMillis}. */
    public static Backoff of(long initialMillis, long maxMillis) {
        return new Backoff(initialMillis, maxMillis, initialMillis);
    }

    /** The wait after one more failure: twice this one, at most {@code maxMillis}. */
    public Backoff next() {
        return new Backoff(initialMillis, maxMillis, Math.min(maxMillis, millis * 2));
    }

    /** The wait after a success: {@code initialMillis} again. */
    public Backoff reset() {
        return millis == initialMillis ? this : new Backoff(initialMillis, maxMillis, initialMillis);
    }

    /** Sleeps {@link #millis()}, then returns {@link #next()}; see {@link #sleep(long)} for interrupts. */
    public Backoff pause() {
        sleep(millis);
        return next();
    }

    /**
     * Sleeps {@code ms} on the calling thread; an interrupt ends the sleep early and stays set on the thread (the
     * loop sees it, or its owner's stop flag, at its next blocking call or check).
     */
    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
