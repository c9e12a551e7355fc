package io.poolstate.eth.rpc;

import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;
import java.util.Map;

/** Which block a read refers to: a number, a hash (EIP-1898) or a tag such as {@code latest}. */
public record BlockRef(Object param, String label) {
    public static BlockRef number(long n) {
        return new BlockRef(Hex.quantity(n), "block=" + n);
    }

    public static BlockRef hash(Bytes32 hash) {
        return new BlockRef(Map.of("blockHash", hash.toString(), "requireCanonical", false), "block_hash=" + hash);
    }

    public static BlockRef latest() {
        return new BlockRef("latest", "block=latest");
    }

    public static BlockRef pending() {
        return new BlockRef("pending", "block=pending");
    }

    @Override
    public String toString() {
        return label;
    }
}
