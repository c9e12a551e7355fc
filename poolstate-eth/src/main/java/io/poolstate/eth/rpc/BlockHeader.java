package io.poolstate.eth.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;

/**
 * The part of a block header the system uses. {@code timestamp} is in Unix seconds; {@code logsBloom} is null
 * when the node did not send one.
 */
public record BlockHeader(long number, Bytes32 hash, Bytes32 parentHash, long timestamp, io.poolstate.eth.LogsBloom logsBloom) {
    public BlockHeader(long number, Bytes32 hash, Bytes32 parentHash, long timestamp) {
        this(number, hash, parentHash, timestamp, null);
    }

    /** Reads an {@code eth_getBlockBy*} result or a {@code newHeads} notification. */
    public static BlockHeader fromJson(JsonNode n) {
        try {
            String bloom = n.path("logsBloom").asText(null);
            return new BlockHeader(Hex.parseLong(n.path("number").asText()), Bytes32.of(n.path("hash").asText()),
                    Bytes32.of(n.path("parentHash").asText()), Hex.parseLong(n.path("timestamp").asText()),
                    bloom == null ? null : io.poolstate.eth.LogsBloom.of(Hex.decode(bloom)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed block header: " + e.getMessage(), e);
        }
    }
}
