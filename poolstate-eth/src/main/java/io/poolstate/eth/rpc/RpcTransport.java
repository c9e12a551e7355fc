package io.poolstate.eth.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * Moves JSON-RPC payloads to a node and back. A payload is one request object or a batch (array);
 * the answer is the node's object or array, unmatched. Implementations are safe for concurrent callers.
 */
public sealed interface RpcTransport extends AutoCloseable permits HttpTransport, DuplexTransport, GuardedTransport {
    /**
     * Sends {@code payload} and waits up to {@code timeout} for the answer.
     *
     * @param method the method name, for error messages ({@code batch} for arrays)
     * @throws RpcTransportException when the connection fails
     * @throws RpcTimeoutException when no answer comes in time
     */
    JsonNode exchange(String method, JsonNode payload, Duration timeout);

    RpcEndpoint endpoint();

    /** Whether the node can push notifications ({@code eth_subscribe}) over this transport. */
    boolean supportsSubscriptions();

    @Override
    void close();

    /** Opens the transport matching the endpoint's scheme (connections are made lazily). */
    static RpcTransport open(RpcEndpoint endpoint, com.fasterxml.jackson.databind.ObjectMapper mapper) {
        return switch (endpoint.kind()) {
            case HTTP -> new HttpTransport(endpoint, mapper);
            case WEBSOCKET -> new WebSocketTransport(endpoint, mapper);
            case IPC -> new IpcTransport(endpoint, mapper);
        };
    }
}
