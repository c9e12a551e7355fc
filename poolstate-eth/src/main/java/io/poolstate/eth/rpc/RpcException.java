package io.poolstate.eth.rpc;

/**
 * A JSON-RPC call that did not produce a result. The message always names the method and the endpoint (its
 * redacted form: no user, path or query, where providers put API keys).
 * Subtypes say why: the transport failed, the call timed out, the node answered with an error, or the
 * answer could not be read.
 */
public abstract sealed class RpcException extends RuntimeException
        permits RpcTransportException, RpcTimeoutException, RpcErrorResponseException, RpcResponseFormatException {
    private final String method;

    protected RpcException(String method, String message, Throwable cause) {
        super(message, cause);
        this.method = method;
    }

    /** The JSON-RPC method that failed ({@code batch} for a whole batch). */
    public String method() {
        return method;
    }

    /** Whether trying again later may succeed (transport failures, time-outs, rate limits). */
    public abstract boolean isTransient();
}
