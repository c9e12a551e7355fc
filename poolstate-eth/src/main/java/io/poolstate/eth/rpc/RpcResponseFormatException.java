package io.poolstate.eth.rpc;

/** The node's answer was not what the JSON-RPC method promises (not JSON, a missing field, a wrong type). */
public final class RpcResponseFormatException extends RpcException {
    public RpcResponseFormatException(String method, String message, Throwable cause) {
        super(method, message, cause);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
