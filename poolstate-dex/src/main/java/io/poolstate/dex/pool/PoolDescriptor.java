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

    /** V4 fee value marking a dynamic-fee pool (v4-core {@code LPFeeLibrary.DYNAMIC_FEE_FLAG}). */
    public static final int DYNAMIC_FEE_FLAG = 0x800000;
    /** Largest static fee, in hundredths of a basis point (v4-core {@code LPFeeLibrary.MAX_LP_FEE}: 100%). */
    public static final int MAX_FEE = 1_000_000;
    /** Tick spacing bounds (v4-core {@code TickMath.MIN_TICK_SPACING} / {@code MAX_TICK_SPACING}; V3 uses a subset). */
    public static final int MIN_TICK_SPACING = 1;
    public static final int MAX_TICK_SPACING = 32_767;

    /**
     * What makes this metadata unusable, or null when it describes a pool that can exist: a tick spacing out of
     * range, a fee above 100% (V4's dynamic-fee flag aside), tokens not in order or equal, and for V4 a PoolId
     * that is not the hash of the PoolKey the metadata spells (currencies, fee, tick spacing, hooks).
     */
    public String problem() {
        if (token0.address().compareTo(token1.address()) >= 0) {
            return "token0 must sort below token1: token0=" + token0.address() + " token1=" + token1.address();
        }
        if (protocol == Protocol.UNISWAP_V2) {
            return null;
        }
        if (tickSpacing < MIN_TICK_SPACING || tickSpacing > MAX_TICK_SPACING) {
            return "tick_spacing=" + tickSpacing + " out of range " + MIN_TICK_SPACING + ".." + MAX_TICK_SPACING;
        }
        if (fee < 0 || (fee > MAX_FEE && !(protocol == Protocol.UNISWAP_V4 && fee == DYNAMIC_FEE_FLAG))) {
            return "fee=" + fee + " out of range 0.." + MAX_FEE;
        }
        if (protocol == Protocol.UNISWAP_V4) {
            if (factory == null) {
                return "a V4 pool needs its PoolManager in factory";
            }
            io.poolstate.eth.Bytes32 keyId = new V4PoolKey(token0.address(), token1.address(), fee, tickSpacing, hooks).id();
            if (!keyId.equals(id.v4Id())) {
                return "PoolId " + id + " is not the PoolKey's hash " + keyId + " (currency0, currency1, fee, tick_spacing, hooks)";
            }
        }
        return null;
    }
}
