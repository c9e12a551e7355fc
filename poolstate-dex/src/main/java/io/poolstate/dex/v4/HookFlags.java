package io.poolstate.dex.v4;

import io.poolstate.eth.Address;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The permissions a V4 hooks contract has: the low 14 bits of its address (v4-core {@code Hooks.sol}: the
 * PoolManager calls a hook exactly when its address carries the flag). The zero address has none.
 *
 * @param bits the address's low 14 bits ({@code uint160(hooks) & ALL_HOOK_MASK})
 */
public record HookFlags(int bits) {
    public static final HookFlags NONE = new HookFlags(0);

    public HookFlags {
        if ((bits & ~HookPermission.ALL_HOOK_MASK) != 0) {
            throw new IllegalArgumentException("hook flags have only 14 bits: bits=0x" + Integer.toHexString(bits));
        }
    }

    /** The flags of a hooks address. */
    public static HookFlags of(Address hooks) {
        byte[] b = hooks.toBytes();
        return new HookFlags(((b[18] & 0xff) << 8 | (b[19] & 0xff)) & HookPermission.ALL_HOOK_MASK);
    }

    /** The flags of a set of permissions. */
    public static HookFlags of(Set<HookPermission> permissions) {
        int bits = 0;
        for (HookPermission p : permissions) {
            bits |= p.flag();
        }
        return new HookFlags(bits);
    }

    public boolean has(HookPermission p) {
        return (bits & p.flag()) != 0;
    }

    /** The permissions set, from the highest bit to the lowest (Hooks.sol order). */
    public List<HookPermission> permissions() {
        List<HookPermission> out = new ArrayList<>();
        for (HookPermission p : HookPermission.values()) {
            if (has(p)) {
                out.add(p);
            }
        }
        return Collections.unmodifiableList(out);
    }

    public Set<HookPermission> asSet() {
        EnumSet<HookPermission> s = EnumSet.noneOf(HookPermission.class);
        s.addAll(permissions());
        return s;
    }

    /** The permissions' Solidity names, e.g. {@code [beforeSwap, beforeSwapReturnDelta]}. */
    public List<String> names() {
        return permissions().stream().map(HookPermission::solidityName).toList();
    }

    /** The permissions set that let the hook change a swap ({@link HookPermission#touchesSwaps()}). */
    public List<HookPermission> swapPermissions() {
        return permissions().stream().filter(HookPermission::touchesSwaps).toList();
    }

    /**
     * {@code Hooks.isValidHookAddress}: a return-delta flag needs its action's flag; a hooks contract needs at least
     * one flag or a dynamic fee; no hooks contract means a static fee. A pool whose key fails this cannot be
     * initialised.
     */
    public static boolean isValidHookAddress(Address hooks, int fee) {
        HookFlags f = of(hooks);
        if (f.has(HookPermission.BEFORE_SWAP_RETURNS_DELTA) && !f.has(HookPermission.BEFORE_SWAP)
                || f.has(HookPermission.AFTER_SWAP_RETURNS_DELTA) && !f.has(HookPermission.AFTER_SWAP)
                || f.has(HookPermission.AFTER_ADD_LIQUIDITY_RETURNS_DELTA) && !f.has(HookPermission.AFTER_ADD_LIQUIDITY)
                || f.has(HookPermission.AFTER_REMOVE_LIQUIDITY_RETURNS_DELTA) && !f.has(HookPermission.AFTER_REMOVE_LIQUIDITY)) {
            return false;
        }
        return hooks.isZero() ? !LpFee.isDynamic(fee) : f.bits() != 0 || LpFee.isDynamic(fee);
    }

    @Override
    public String toString() {
        return "0x" + String.format("%04x", bits) + names();
    }
}
