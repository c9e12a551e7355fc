package io.poolstate.eth;

import com.joemelsha.crypto.hash.Keccak;

/** Keccak-256 as Ethereum uses it (not NIST SHA3-256). Stateless; safe from any thread. */
public final class Keccak256 {
    private Keccak256() {
    }

    public static byte[] hash(byte[] input) {
        Keccak k = new Keccak(256);
        k.update(input);
        return k.digest();
    }

    /** The hash of a UTF-8 string, e.g. an event signature for its topic0. */
    public static Bytes32 ofUtf8(String text) {
        return Bytes32.wrap(hash(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
