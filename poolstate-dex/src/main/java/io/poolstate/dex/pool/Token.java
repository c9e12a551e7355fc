package io.poolstate.dex.pool;

import io.poolstate.eth.Address;

/**
 * An ERC-20 (or V4 native ETH: the zero address) with its decimals and symbol. {@code decimals} and
 * {@code symbol} are null when the publisher gave a bare address.
 */
public record Token(Address address, Integer decimals, String symbol) {
    public Token {
        if (address == null) {
            throw new IllegalArgumentException("token address is missing");
        }
        if (decimals != null && (decimals < 0 || decimals > 255)) {
            throw new IllegalArgumentException("token decimals out of range: address=" + address + " decimals=" + decimals);
        }
    }

    /** A token known only by its address. */
    public static Token of(Address address) {
        return new Token(address, null, null);
    }
}
