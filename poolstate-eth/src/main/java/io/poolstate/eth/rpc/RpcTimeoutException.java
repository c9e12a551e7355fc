package io.poolstate.eth.rpc;

/** No answer within the call's time-out. */
public final class RpcTimeoutException extends RpcException {
    public RpcTimeoutException(String method, String message) {
        super(method, message, null);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
