package io.poolstate.devnet.whales;

import io.poolstate.eth.Address;
import java.util.List;

/**
 * The devnet's whale token: an 18-decimal ERC-20 held by many externally owned accounts with heavy-tailed
 * (Pareto) balances, plus two holders a whale tracker should leave out: an exchange account (excluded by
 * configuration) and a contract (it has code).
 *
 * @param token the ERC-20's address
 * @param holders the accounts the token was minted to, in mint order
 * @param exchange an externally owned account holding a large balance, listed as an exchange
 * @param contractHolder a contract (a Uniswap pool) holding a large balance
 * @param deployBlock the block the token was deployed in (its Transfer history starts there)
 */
public record WhaleToken(Address token, List<Address> holders, Address exchange, Address contractHolder, long deployBlock) {
    public WhaleToken {
        holders = List.copyOf(holders);
    }
}
