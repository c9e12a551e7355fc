package io.poolstate.eth.rpc;

import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@code eth_getLogs} filter: a block range or a single block hash, optional addresses and topic0 set.
 * An empty address list means all addresses.
 */
public record LogFilter(Long fromBlock, Long toBlock, Bytes32 blockHash, List<Address> addresses, List<Bytes32> topic0) {
    public static LogFilter range(long from, long to, List<Address> addresses) {
        return new LogFilter(from, to, null, List.copyOf(addresses), List.of());
    }

    public static LogFilter block(Bytes32 hash, List<Address> addresses) {
        return new LogFilter(null, null, hash, List.copyOf(addresses), List.of());
    }

    public LogFilter withTopic0(List<Bytes32> topics) {
        return new LogFilter(fromBlock, toBlock, blockHash, addresses, List.copyOf(topics));
    }

    Map<String, Object> toParam() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (blockHash != null) {
            m.put("blockHash", blockHash.toString());
        } else {
            m.put("fromBlock", Hex.quantity(fromBlock));
            m.put("toBlock", Hex.quantity(toBlock));
        }
        if (!addresses.isEmpty()) {
            m.put("address", addresses.stream().map(Address::toString).toList());
        }
        if (!topic0.isEmpty()) {
            m.put("topics", List.of(topic0.stream().map(Bytes32::toString).toList()));
        }
        return m;
    }

    @Override
    public String toString() {
        return blockHash != null ? "block_hash=" + blockHash : "from=" + fromBlock + " to=" + toBlock;
    }
}
