package io.poolstate.whitelist.filter;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.quote.QuoteSupport;
import io.poolstate.dex.v4.HookFlags;
import io.poolstate.dex.v4.HookPermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drops V4 pools whose hooks contract has any of the excluded permissions (the flags in its address, v4-core
 * {@code Hooks.sol}), each with the reason naming the hook and the permissions. Nothing is excluded by default: a
 * hooked pool's state is tracked exactly like any other, and the arena refuses (or has the node simulate) the quotes a
 * hook could change. Stateless; safe from any thread.
 */
public final class HookFilter {
    /** Pools kept in input order, and the dropped ones with their reasons. */
    public record Result(List<PoolDescriptor> kept, Map<PoolId, String> dropped) {
    }

    private final Set<HookPermission> excluded;

    public HookFilter(Set<HookPermission> excluded) {
        this.excluded = excluded.isEmpty() ? EnumSet.noneOf(HookPermission.class) : EnumSet.copyOf(excluded);
    }

    /** Keeps every pool. */
    public static HookFilter keepAll() {
        return new HookFilter(Set.of());
    }

    public Set<HookPermission> excluded() {
        return Set.copyOf(excluded);
    }

    public Result apply(List<PoolDescriptor> pools) {
        List<PoolDescriptor> kept = new ArrayList<>();
        Map<PoolId, String> dropped = new LinkedHashMap<>();
        for (PoolDescriptor p : pools) {
            List<String> hit = p.protocol() != Protocol.UNISWAP_V4 ? List.of()
                    : HookFlags.of(p.hooks()).permissions().stream().filter(excluded::contains).map(HookPermission::solidityName).toList();
            if (hit.isEmpty()) {
                kept.add(p);
            } else {
                dropped.put(p.id(), "hook " + p.hooks() + " has excluded permission" + (hit.size() > 1 ? "s " : " ") + String.join(", ", hit)
                        + " (--exclude-hook-permission)");
            }
        }
        return new Result(kept, dropped);
    }

    /** For the reasons of kept V4 pools with hooks: the hook, its permissions and what that means for quotes; null otherwise. */
    public static String describe(PoolDescriptor p) {
        if (p.protocol() != Protocol.UNISWAP_V4 || p.hooks().isZero()) {
            return null;
        }
        QuoteSupport s = QuoteSupport.of(p);
        return "hook " + p.hooks() + " " + HookFlags.of(p.hooks()).names() + ", quotes " + s.wireName();
    }
}
