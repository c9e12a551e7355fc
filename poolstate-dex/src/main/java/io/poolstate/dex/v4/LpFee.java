package io.poolstate.dex.v4;

/**
 * V4 LP fee conventions, as v4-core {@code src/libraries/LPFeeLibrary.sol} defines them: a static fee is at most
 * {@link #MAX_LP_FEE} pips (1e-6); a key fee of exactly {@link #DYNAMIC_FEE_FLAG} marks a dynamic-fee pool, whose
 * LP fee in slot0 starts at 0 and is changed only by its hook through {@code PoolManager.updateDynamicLPFee}
 * (which emits no event); a {@code beforeSwap} result with {@link #OVERRIDE_FEE_FLAG} overrides it for one swap.
 */
public final class LpFee {
    public static final int DYNAMIC_FEE_FLAG = 0x800000;
    public static final int OVERRIDE_FEE_FLAG = 0x400000;
    public static final int MAX_LP_FEE = 1_000_000;

    private LpFee() {
    }

    /** {@code LPFeeLibrary.isDynamicFee}: the key's fee is exactly the dynamic flag. */
    public static boolean isDynamic(int keyFee) {
        return keyFee == DYNAMIC_FEE_FLAG;
    }
}
