package io.poolstate.eth.rpc;

import java.time.Duration;

/**
 * How a JSON-RPC call is retried after a transient failure: at most {@code maxAttempts} tries, waiting
 * {@code initialBackoff} then doubling up to {@code maxBackoff} between them. Each try has {@code timeout}.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration timeout) {
    /** Five tries, 100 ms doubling to 2 s, 30 s per try. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(30));
    /** One try, 30 s. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(30));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1: maxAttempts=" + maxAttempts);
        }
    }

    public RetryPolicy withTimeout(Duration t) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, t);
    }

    public RetryPolicy withMaxAttempts(int n) {
        return new RetryPolicy(n, initialBackoff, maxBackoff, timeout);
    }

    /** The pause before try number {@code attempt} (2, 3, ...). */
    Duration backoffBefore(int attempt) {
        long ms = initialBackoff.toMillis() << Math.min(20, Math.max(0, attempt - 2));
        return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }
}
