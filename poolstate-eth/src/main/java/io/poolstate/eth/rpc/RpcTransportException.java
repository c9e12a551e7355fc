package io.poolstate.eth.rpc;

/** The connection to the node failed (refused, reset, closed, HTTP status not 200). */
public final class RpcTransportException extends RpcException {
    private final boolean isTransient;

    public RpcTransportException(String method, String message, boolean isTransient, Throwable cause) {
        super(method, message, cause);
        this.isTransient = isTransient;
    }

    @Override
    public boolean isTransient() {
        return isTransient;
    }
}
