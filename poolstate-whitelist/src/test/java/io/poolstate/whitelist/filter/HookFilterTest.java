package io.poolstate.whitelist.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.v4.HookPermission;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HookFilterTest {
    private static final Token A = Token.of(Address.of("0x00000000000000000000000000000000000000a1"));
    private static final Token B = Token.of(Address.of("0x00000000000000000000000000000000000000b1"));

    private static PoolDescriptor v4(int n, String hooks) {
        return new PoolDescriptor(PoolId.of(Bytes32.of(String.format("0x%064x", n))), Protocol.UNISWAP_V4, A, B, Address.ZERO, 3000, 60, Address.of(hooks));
    }

    private static final PoolDescriptor V3 = new PoolDescriptor(PoolId.of(Address.of("0x00000000000000000000000000000000000000c3")),
            Protocol.UNISWAP_V3, A, B, Address.ZERO, 3000, 60, null);
    private static final PoolDescriptor HOOKLESS = v4(1, "0x0000000000000000000000000000000000000000");
    private static final PoolDescriptor CUSTOM_CURVE = v4(2, "0x9fbf205924fbd34e446bcdf24a3e7d050e29c088");
    private static final PoolDescriptor FEE_TAKING = v4(3, "0x0391b9259aac833d23923c62f705d6132fc70044");
    private static final PoolDescriptor LIQUIDITY_HOOK = v4(4, "0xb37356db6c52cde36e8d04f47762343b266c0503");

    @Test
    void keepsEveryPoolByDefault() {
        HookFilter.Result r = HookFilter.keepAll().apply(List.of(V3, HOOKLESS, CUSTOM_CURVE, FEE_TAKING, LIQUIDITY_HOOK));
        assertThat(r.kept()).containsExactly(V3, HOOKLESS, CUSTOM_CURVE, FEE_TAKING, LIQUIDITY_HOOK);
        assertThat(r.dropped()).isEmpty();
    }

    @Test
    void dropsPoolsWhoseHookHasAnExcludedPermissionAndSaysWhich() {
        HookFilter f = new HookFilter(Set.of(HookPermission.BEFORE_SWAP_RETURNS_DELTA, HookPermission.AFTER_SWAP_RETURNS_DELTA, HookPermission.AFTER_SWAP));
        HookFilter.Result r = f.apply(List.of(V3, HOOKLESS, CUSTOM_CURVE, FEE_TAKING, LIQUIDITY_HOOK));
        assertThat(r.kept()).containsExactly(V3, HOOKLESS, LIQUIDITY_HOOK);
        assertThat(r.dropped()).containsOnlyKeys(CUSTOM_CURVE.id(), FEE_TAKING.id());
        assertThat(r.dropped().get(CUSTOM_CURVE.id()))
                .isEqualTo("hook 0x9fbf205924fbd34e446bcdf24a3e7d050e29c088 has excluded permission beforeSwapReturnDelta (--exclude-hook-permission)");
        assertThat(r.dropped().get(FEE_TAKING.id()))
                .isEqualTo("hook 0x0391b9259aac833d23923c62f705d6132fc70044 has excluded permissions afterSwap, afterSwapReturnDelta (--exclude-hook-permission)");
    }

    @Test
    void describesKeptHooks() {
        assertThat(HookFilter.describe(V3)).isNull();
        assertThat(HookFilter.describe(HOOKLESS)).isNull();
        assertThat(HookFilter.describe(CUSTOM_CURVE)).isEqualTo("hook 0x9fbf205924fbd34e446bcdf24a3e7d050e29c088 [beforeSwap, beforeSwapReturnDelta], quotes refused");
        assertThat(HookFilter.describe(LIQUIDITY_HOOK)).endsWith("quotes exact");
    }
}
