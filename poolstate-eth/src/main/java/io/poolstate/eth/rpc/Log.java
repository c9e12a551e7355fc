package io.poolstate.eth.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;
import java.util.ArrayList;
import java.util.List;

/**
 * One EVM log as {@code eth_getLogs} reports it. {@code logIndex} is the index within the block, as
 * JSON-RPC numbers it; {@code transactionIndex} the transaction's position in the block.
 */
public record Log(Address address, List<Bytes32> topics, byte[] data, long blockNumber, Bytes32 blockHash,
                  Bytes32 transactionHash, int transactionIndex, int logIndex, boolean removed) {

    public static Log fromJson(JsonNode n) {
        try {
            List<Bytes32> topics = new ArrayList<>(4);
            for (JsonNode t : n.path("topics")) {
                topics.add(Bytes32.of(t.asText()));
            }
            return new Log(Address.of(n.path("address").asText()), List.copyOf(topics), Hex.decode(n.path("data").asText("0x")),
                    Hex.parseLong(n.path("blockNumber").asText()), Bytes32.of(n.path("blockHash").asText()),
                    Bytes32.of(n.path("transactionHash").asText()), (int) Hex.parseLong(n.path("transactionIndex").asText()),
                    (int) Hex.parseLong(n.path("logIndex").asText()), n.path("removed").asBoolean(false));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed log: " + e.getMessage(), e);
        }
    }

    /** Where the log stands, for error messages: {@code block=... tx=... log=...}. */
    public String position() {
        return "block=" + blockNumber + " tx_index=" + transactionIndex + " log_index=" + logIndex + " tx=" + transactionHash;
    }

    public Bytes32 topic0() {
        return topics.isEmpty() ? null : topics.get(0);
    }
}
