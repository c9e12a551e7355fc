package io.poolstate.dex.pool;

import io.poolstate.eth.Address;

/**
 * What identifies and configures a pool, as the whitelist publishes it.
 *
 * @param id          pool address (V2/V3) or PoolId (V4)
 * @param factory     the factory that created it (V2/V3) or the PoolManager (V4)
 * @param fee         fee in hundredths of a basis point (V3/V4; V4 dynamic-fee pools carry 0x800000); null for V2
 * @param tickSpacing ticks between usable ticks (V3/V4); null for V2
 * @param hooks       the V4 hooks contract (zero address for none); null for V2/V3
 */
public record PoolDescriptor(PoolId id, Protocol protocol, Token token0, Token token1, Address factory,
                             Integer fee, Integer tickSpacing, Address hooks) {
    public PoolDescriptor {
        if (id == null || protocol == null || token0 == null || token1 == null) {
            throw new IllegalArgumentException("pool needs id, protocol, token0 and token1: id=" + id);
        }
        if ((protocol == Protocol.UNISWAP_V4) != id.isV4()) {
            throw new IllegalArgumentException("pool id does not match protocol: id=" + id + " protocol=" + protocol.wireName());
        }
        if (protocol != Protocol.UNISWAP_V2 && (fee == null || tickSpacing == null)) {
            throw new IllegalArgumentException("V3/V4 pool needs fee and tick_spacing: id=" + id);
        }
        if (protocol == Protocol.UNISWAP_V4 && hooks == null) {
            hooks = Address.ZERO;
        }
    }
}
