package io.poolstate.eth.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;
import java.util.ArrayList;
import java.util.List;

/** A mined transaction's receipt: status, block, created contract (if any), gas used and logs. */
public record TransactionReceipt(Bytes32 transactionHash, boolean success, long blockNumber, Bytes32 blockHash,
                                 Address contractAddress, long gasUsed, List<Log> logs) {
    public static TransactionReceipt fromJson(JsonNode n) {
        List<Log> logs = new ArrayList<>();
        for (JsonNode l : n.path("logs")) {
            logs.add(Log.fromJson(l));
        }
        JsonNode ca = n.get("contractAddress");
        return new TransactionReceipt(Bytes32.of(n.path("transactionHash").asText()), Hex.parseLong(n.path("status").asText("0x0")) == 1,
                Hex.parseLong(n.path("blockNumber").asText()), Bytes32.of(n.path("blockHash").asText()),
                ca == null || ca.isNull() ? null : Address.of(ca.asText()), Hex.parseLong(n.path("gasUsed").asText("0x0")), List.copyOf(logs));
    }
}
