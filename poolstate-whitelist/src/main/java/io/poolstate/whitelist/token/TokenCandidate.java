package io.poolstate.whitelist.token;

import io.poolstate.eth.Address;

/** A token a source wants on the whitelist, and why (e.g. "token list 'Uniswap Labs Default': on 5 chains >= 3"). */
public record TokenCandidate(Address address, String symbol, String reason) {
}
