package io.poolstate.eth.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;

/** The part of a block header the system uses. {@code timestamp} is in Unix seconds. */
public record BlockHeader(long number, Bytes32 hash, Bytes32 parentHash, long timestamp) {
    /** Reads an {@code eth_getBlockBy*} result or a {@code newHeads} notification. */
    public static BlockHeader fromJson(JsonNode n) {
        try {
            return new BlockHeader(Hex.parseLong(n.path("number").asText()), Bytes32.of(n.path("hash").asText()),
                    Bytes32.of(n.path("parentHash").asText()), Hex.parseLong(n.path("timestamp").asText()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed block header: " + e.getMessage(), e);
        }
    }
}
