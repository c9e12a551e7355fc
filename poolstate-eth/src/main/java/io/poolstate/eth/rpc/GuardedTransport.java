package io.poolstate.eth.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;

/**
 * A transport whose every exchange runs under a lock its guard picks for the payload, held until the node
 * answers: for a node that must not serve some requests while others run (a development node serving reads
 * while it mines, say). Safe for concurrent callers as the transport it wraps; closing closes that transport.
 */
public final class GuardedTransport implements RpcTransport {
    private final RpcTransport inner;
    private final Function<JsonNode, Lock> guard;

    /** {@code guard}: the lock for a payload (one request object or a batch), taken before it is sent. */
    public GuardedTransport(RpcTransport inner, Function<JsonNode, Lock> guard) {
        this.inner = inner;
        this.guard = guard;
    }

    @Override
    public JsonNode exchange(String method, JsonNode payload, Duration timeout) {
        Lock lock = guard.apply(payload);
        lock.lock();
        try {
            return inner.exchange(method, payload, timeout);
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
        return inner.supportsSubscriptions();
    }

    @Override
    public void close() {
        inner.close();
    }
}
