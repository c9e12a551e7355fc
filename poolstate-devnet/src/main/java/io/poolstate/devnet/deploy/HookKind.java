package io.poolstate.devnet.deploy;

import io.poolstate.dex.v4.HookFlags;
import io.poolstate.dex.v4.HookPermission;
import io.poolstate.dex.v4.LpFee;
import java.util.EnumSet;
import java.util.Locale;

/**
 * The hooked V4 pools the devnet creates: which v4-core test hook (source in {@code @uniswap/v4-core/src/test/}),
 * with which permission flags in its address, and the pool's key fee (a static fee in pips, or the dynamic-fee flag).
 */
public enum HookKind {
    /** EmptyTestHooks on initialise, liquidity and donate callbacks only: every callback a no-op, no swap permission. */
    NO_SWAP_PERMISSIONS("EmptyTestHooks", 3000, EnumSet.of(HookPermission.BEFORE_INITIALIZE, HookPermission.AFTER_INITIALIZE,
            HookPermission.BEFORE_ADD_LIQUIDITY, HookPermission.AFTER_ADD_LIQUIDITY, HookPermission.BEFORE_REMOVE_LIQUIDITY,
            HookPermission.AFTER_REMOVE_LIQUIDITY, HookPermission.BEFORE_DONATE, HookPermission.AFTER_DONATE)),
    /** LPFeeTakingHook: takes the fees a position collects when it is modified (liquidity return deltas); swaps untouched. */
    LP_FEE_TAKING("LPFeeTakingHook", 500, EnumSet.of(HookPermission.AFTER_ADD_LIQUIDITY, HookPermission.AFTER_REMOVE_LIQUIDITY,
            HookPermission.AFTER_ADD_LIQUIDITY_RETURNS_DELTA, HookPermission.AFTER_REMOVE_LIQUIDITY_RETURNS_DELTA)),
    /** DynamicFeesTestHook with afterInitialize only: the LP fee is set at initialisation and changed by {@code forcePoolFeeUpdate}. */
    DYNAMIC_FEE("DynamicFeesTestHook", LpFee.DYNAMIC_FEE_FLAG, EnumSet.of(HookPermission.AFTER_INITIALIZE)),
    /** DynamicFeesTestHook with beforeSwap too: every swap first sets the LP fee to the hook's stored fee ({@code setFee}). */
    DYNAMIC_FEE_BEFORE_SWAP("DynamicFeesTestHook", LpFee.DYNAMIC_FEE_FLAG, EnumSet.of(HookPermission.AFTER_INITIALIZE, HookPermission.BEFORE_SWAP)),
    /** DynamicReturnFeeTestHook: beforeSwap returns its stored fee with the override flag; slot0's LP fee is not used. */
    FEE_OVERRIDE("DynamicReturnFeeTestHook", LpFee.DYNAMIC_FEE_FLAG, EnumSet.of(HookPermission.BEFORE_SWAP)),
    /** FeeTakingHook: afterSwap takes 1.23% of the unspecified amount through afterSwapReturnDelta. */
    FEE_TAKING("FeeTakingHook", 3000, EnumSet.of(HookPermission.AFTER_SWAP, HookPermission.AFTER_SWAP_RETURNS_DELTA)),
    /** CustomCurveHook: beforeSwap trades 1:1 from its own balances and returns a delta that skips the pool's curve. */
    CUSTOM_CURVE("CustomCurveHook", 3000, EnumSet.of(HookPermission.BEFORE_SWAP, HookPermission.BEFORE_SWAP_RETURNS_DELTA));

    private final String contract;
    private final int keyFee;
    private final HookFlags flags;

    HookKind(String contract, int keyFee, EnumSet<HookPermission> permissions) {
        this.contract = contract;
        this.keyFee = keyFee;
        this.flags = HookFlags.of(permissions);
    }

    /** The v4-core test contract. */
    public String contract() {
        return contract;
    }

    /** The PoolKey fee: pips, or {@link LpFee#DYNAMIC_FEE_FLAG}. */
    public int keyFee() {
        return keyFee;
    }

    /** The flags the hook's address carries. */
    public HookFlags flags() {
        return flags;
    }

    /** The spelling in deployment.json, e.g. {@code fee-override}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static HookKind parse(String wireName) {
        for (HookKind k : values()) {
            if (k.wireName().equals(wireName)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown hook kind: value=" + wireName);
    }
}
