package io.poolstate.dex.scrape;

import io.poolstate.eth.Keccak256;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Minimal ABI encoding for the scraper's fixed-layout calls: selectors and 32-byte words. */
final class AbiWords {
    private AbiWords() {
    }

    static byte[] selector(String signature) {
        return Arrays.copyOf(Keccak256.hash(signature.getBytes(StandardCharsets.UTF_8)), 4);
    }

    /** {@code selector} followed by one signed integer argument as a 32-byte word. */
    static byte[] call(byte[] selector, long signedArg) {
        byte[] out = Arrays.copyOf(selector, 36);
        byte fill = (byte) (signedArg < 0 ? 0xff : 0);
        Arrays.fill(out, 4, 28, fill);
        for (int i = 0; i < 8; i++) {
            out[35 - i] = (byte) (signedArg >>> (8 * i));
        }
        return out;
    }

    static BigInteger uint(byte[] data, int word) {
        require(data, word);
        return new BigInteger(1, data, word * 32, 32);
    }

    static BigInteger int256(byte[] data, int word) {
        require(data, word);
        return new BigInteger(data, word * 32, 32);
    }

    static int int24(byte[] data, int word) {
        return int256(data, word).intValueExact();
    }

    private static void require(byte[] data, int word) {
        if (data.length < (word + 1) * 32) {
            throw new IllegalArgumentException("return data too short: bytes=" + data.length + " word=" + word);
        }
    }
}
