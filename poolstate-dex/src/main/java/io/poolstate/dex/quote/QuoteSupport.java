package io.poolstate.dex.quote;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.v4.HookFlags;
import io.poolstate.dex.v4.HookPermission;
import io.poolstate.dex.v4.LpFee;
import io.poolstate.eth.Address;
import java.util.List;

/**
 * Whether {@link ConcentratedSwap} / {@link V2Swap} quote a pool exactly, decided from what the pool's key proves.
 *
 * <p>V2 and V3 pools, and V4 pools without a hooks contract, are {@link Exact}. A V4 hook runs code only at the
 * points its address's flags name (v4-core {@code Hooks.sol}); a swap's amounts can be changed only by
 * {@code beforeSwap} (runs first: may return a fee override on a dynamic-fee pool, or change the pool before the
 * swap), {@code afterSwap} (may revert or act after it), and the return-delta flags {@code beforeSwapReturnDelta} /
 * {@code afterSwapReturnDelta} (take from or add to the swapper's amounts). A pool whose hook has any of these
 * is {@link Refused}, naming the hook and those permissions. The other flags (initialise, liquidity, donate, and
 * the liquidity return deltas, which change only the liquidity provider's amounts) cannot touch a swap; what
 * such a hook does to the pool shows up as PoolManager events and is tracked like any other change.
 *
 * <p>A dynamic-fee pool (key fee {@code 0x800000}) without {@code beforeSwap} swaps at the LP fee in slot0, which
 * its hook changes with {@code updateDynamicLPFee} without an event: {@link Exact} with {@code dynamicLpFee}, exact as
 * long as the LP fee used is the one read at the quoted block.
 */
public sealed interface QuoteSupport {
    /** {@code exact} or {@code refused}: the spelling in the API. */
    String wireName();

    /** Why, in one line. */
    String reason();

    /**
     * Quoted exactly by the pool math.
     *
     * @param dynamicLpFee the LP fee changes without an event (V4 dynamic fee): it must be re-read at each block
     */
    record Exact(boolean dynamicLpFee, String reason) implements QuoteSupport {
        @Override
        public String wireName() {
            return "exact";
        }
    }

    /**
     * Not quoted by the pool math: the hook can change a swap's amounts.
     *
     * @param hooks       the hooks contract
     * @param permissions the permissions that make the math unprovable (or every flag when the address is invalid)
     */
    record Refused(Address hooks, List<HookPermission> permissions, String reason) implements QuoteSupport {
        public Refused {
            permissions = List.copyOf(permissions);
        }

        @Override
        public String wireName() {
            return "refused";
        }
    }

    /** Classifies a pool from its descriptor (protocol, V4 hooks address and key fee). */
    static QuoteSupport of(PoolDescriptor pool) {
        if (pool.protocol() != Protocol.UNISWAP_V4) {
            return new Exact(false, pool.protocol().wireName() + " pool: the pool math is the contract's");
        }
        return ofV4(pool.hooks(), pool.fee());
    }

    /** Classifies a V4 pool from its key's {@code hooks} and {@code fee}. */
    static QuoteSupport ofV4(Address hooks, int keyFee) {
        HookFlags flags = HookFlags.of(hooks);
        boolean dynamic = LpFee.isDynamic(keyFee);
        if (!HookFlags.isValidHookAddress(hooks, keyFee)) {
            return new Refused(hooks, flags.permissions(), "hooks " + hooks + " with flags " + flags.names() + " and fee " + keyFee
                    + " fail Hooks.isValidHookAddress: the PoolManager cannot initialise such a pool");
        }
        List<HookPermission> swap = flags.swapPermissions();
        if (!swap.isEmpty()) {
            return new Refused(hooks, swap, "hook " + hooks + " has " + String.join(", ", swap.stream().map(HookPermission::solidityName).toList())
                    + ": it can change a swap's amounts");
        }
        String fee = dynamic ? "dynamic LP fee without beforeSwap: exact with the LP fee read at the block" : "static fee";
        if (hooks.isZero()) {
            return new Exact(false, "no hooks, " + fee);
        }
        return new Exact(dynamic, "hook " + hooks + " has no swap permissions " + flags.names() + ", " + fee);
    }
}
