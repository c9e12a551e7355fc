package io.poolstate.eth.rpc;

/**
 * The node answered with a JSON-RPC error object. {@link #code()} and {@link #data()} are the node's own;
 * a contract revert has its revert data in {@link #data()} (hex) where the node provides it.
 */
public final class RpcErrorResponseException extends RpcException {
    private final int code;
    private final String nodeMessage;
    private final String data;

    public RpcErrorResponseException(String method, String endpoint, int code, String nodeMessage, String data) {
        super(method, method + " failed: endpoint=" + endpoint + " code=" + code + " message=" + nodeMessage
                + (data == null ? "" : " data=" + data), null);
        this.code = code;
        this.nodeMessage = nodeMessage;
        this.data = data;
    }

    public int code() {
        return code;
    }

    public String nodeMessage() {
        return nodeMessage;
    }

    /** The error's {@code data} field as text, or null. */
    public String data() {
        return data;
    }

    /** Whether the node reports an EVM revert (execution reverted). */
    public boolean isRevert() {
        return code == 3 || (nodeMessage != null && nodeMessage.toLowerCase(java.util.Locale.ROOT).contains("revert"));
    }

    /** Rate limits and "try again" style answers are transient; everything else is final. */
    @Override
    public boolean isTransient() {
        if (code == -32005 || code == 429) {
            return true;
        }
        String m = nodeMessage == null ? "" : nodeMessage.toLowerCase(java.util.Locale.ROOT);
        return m.contains("rate limit") || m.contains("too many requests") || m.contains("try again");
    }
}
