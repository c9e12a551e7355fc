package io.poolstate.dex.v4;

import java.util.Locale;

/**
 * One V4 hook permission: a bit of the low 14 bits of the hooks contract's address, with its name and bit as in
 * v4-core {@code src/libraries/Hooks.sol} ({@code BEFORE_INITIALIZE_FLAG = 1 << 13} ...
 * {@code AFTER_REMOVE_LIQUIDITY_RETURNS_DELTA_FLAG = 1 << 0}). Declared from the highest bit to the lowest.
 */
public enum HookPermission {
    BEFORE_INITIALIZE("beforeInitialize", 13),
    AFTER_INITIALIZE("afterInitialize", 12),
    BEFORE_ADD_LIQUIDITY("beforeAddLiquidity", 11),
    AFTER_ADD_LIQUIDITY("afterAddLiquidity", 10),
    BEFORE_REMOVE_LIQUIDITY("beforeRemoveLiquidity", 9),
    AFTER_REMOVE_LIQUIDITY("afterRemoveLiquidity", 8),
    BEFORE_SWAP("beforeSwap", 7),
    AFTER_SWAP("afterSwap", 6),
    BEFORE_DONATE("beforeDonate", 5),
    AFTER_DONATE("afterDonate", 4),
    BEFORE_SWAP_RETURNS_DELTA("beforeSwapReturnDelta", 3),
    AFTER_SWAP_RETURNS_DELTA("afterSwapReturnDelta", 2),
    AFTER_ADD_LIQUIDITY_RETURNS_DELTA("afterAddLiquidityReturnDelta", 1),
    AFTER_REMOVE_LIQUIDITY_RETURNS_DELTA("afterRemoveLiquidityReturnDelta", 0);

    /** {@code Hooks.ALL_HOOK_MASK}: the address bits that carry permissions. */
    public static final int ALL_HOOK_MASK = (1 << 14) - 1;

    private final String solidityName;
    private final int bit;

    HookPermission(String solidityName, int bit) {
        this.solidityName = solidityName;
        this.bit = bit;
    }

    /** The name in {@code Hooks.Permissions}, e.g. {@code beforeSwapReturnDelta}; the spelling in the API and the whitelist. */
    public String solidityName() {
        return solidityName;
    }

    /** The flag's bit position in the address. */
    public int bit() {
        return bit;
    }

    /** The flag as a mask, e.g. {@code 1 << 7} for {@code beforeSwap}. */
    public int flag() {
        return 1 << bit;
    }

    /** Whether the permission lets the hook change a swap's amounts or the state it runs on (before/after swap, swap deltas). */
    public boolean touchesSwaps() {
        return this == BEFORE_SWAP || this == AFTER_SWAP || this == BEFORE_SWAP_RETURNS_DELTA || this == AFTER_SWAP_RETURNS_DELTA;
    }

    /**
     * Reads a permission by its Solidity name ({@code beforeSwap}) or constant name ({@code BEFORE_SWAP}), in any case.
     *
     * @throws IllegalArgumentException naming the value and the valid names
     */
    public static HookPermission parse(String text) {
        if (text != null) {
            String t = text.trim().replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
            for (HookPermission p : values()) {
                if (p.solidityName.toLowerCase(Locale.ROOT).equals(t) || p.name().replace("_", "").toLowerCase(Locale.ROOT).equals(t)) {
                    return p;
                }
            }
        }
        StringBuilder names = new StringBuilder();
        for (HookPermission p : values()) {
            names.append(names.isEmpty() ? "" : ", ").append(p.solidityName);
        }
        throw new IllegalArgumentException("unknown hook permission: value=" + text + " (expected one of " + names + ")");
    }
}
