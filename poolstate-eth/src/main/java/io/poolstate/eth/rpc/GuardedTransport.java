package io.poolstate.eth.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;

/**
 * A request/response transport whose every exchange runs under a lock its guard picks for the payload, held until
 * the node answers or the exchange gives up: for a node that must not serve some requests while others run (a
 * development node serving reads while it mines, say). Waiting for the lock counts against the exchange's time-out
 * and ends when the caller is interrupted. No subscriptions (only request/response transports are guarded). Safe
 * for concurrent callers as the transport it wraps; closing closes that transport.
 */
public final class GuardedTransport implements RpcTransport {
    private final RpcTransport inner;
    private final Function<JsonNode, Lock> guard;

    /**
     * @param inner a request/response transport (not one that carries subscriptions)
     * @param guard the lock for a payload (one request object or a batch), taken before it is sent
     */
    public GuardedTransport(RpcTransport inner, Function<JsonNode, Lock> guard) {
        if (inner instanceof DuplexTransport) {
            throw new IllegalArgumentException("a guarded transport carries no subscriptions: endpoint=" + inner.endpoint());
        }
        this.inner = inner;
        this.guard = guard;
    }

    @Override
    public JsonNode exchange(String method, JsonNode payload, Duration timeout) {
        Lock lock = guard.apply(payload);
        long started = System.nanoTime();
        try {
            if (!lock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new RpcTimeoutException(method, method + " timed out waiting for its turn: endpoint=" + inner.endpoint() + " timeout="
                        + timeout.toMillis() + "ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcTransportException(method, method + " interrupted: endpoint=" + inner.endpoint(), false, e);
        }
        try {
            Duration left = timeout.minusNanos(System.nanoTime() - started);
            return inner.exchange(method, payload, left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public RpcEndpoint endpoint() {
        return inner.endpoint();
    }

    @Override
    public boolean supportsSubscriptions() {
        return false;
    }

    @Override
    public void close() {
        inner.close();
    }
}
