package io.poolstate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * One JSON-RPC request as a client sent it (an element of a batch, or a single request): {@code method},
 * {@code params} (an empty array when absent) and {@code id} (null for a notification).
 */
public record RpcCall(String method, JsonNode params, JsonNode id) {
    /** The request's fields, or null when {@code request} is not a JSON-RPC request object. */
    static RpcCall of(JsonNode request) {
        if (request == null || !request.isObject() || !request.path("method").isTextual()) {
            return null;
        }
        JsonNode params = request.get("params");
        return new RpcCall(request.get("method").asText(), params == null ? JsonNodeFactory.instance.arrayNode() : params, request.get("id"));
    }

    /** Whether this is an {@code eth_call} with a state override (its third parameter), as the storage lens sends. */
    public boolean isCallWithStateOverride() {
        return method.equals("eth_call") && params.size() > 2;
    }

    /** The i-th positional parameter, or a missing node. */
    public JsonNode param(int i) {
        return params.path(i);
    }
}
