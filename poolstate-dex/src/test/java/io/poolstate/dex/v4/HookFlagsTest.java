package io.poolstate.dex.v4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.eth.Address;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class HookFlagsTest {
    @Test
    void readsTheExampleFromHooksSol() {
        // Hooks.sol: "a hooks contract deployed to address: 0x0000000000000000000000000000000000002400 has the lowest bits
        // '10 0100 0000 0000' which would cause the 'before initialize' and 'after add liquidity' hooks to be used."
        HookFlags f = HookFlags.of(Address.of("0x0000000000000000000000000000000000002400"));
        assertThat(f.permissions()).containsExactly(HookPermission.BEFORE_INITIALIZE, HookPermission.AFTER_ADD_LIQUIDITY);
        assertThat(f.names()).containsExactly("beforeInitialize", "afterAddLiquidity");
    }

    @Test
    void onlyTheLow14BitsCount() {
        HookFlags f = HookFlags.of(Address.of("0xffffffffffffffffffffffffffffffffffffc0c4"));
        assertThat(f.bits()).isEqualTo(0x00c4);
        assertThat(f.names()).containsExactly("beforeSwap", "afterSwap", "afterSwapReturnDelta");
        assertThat(HookFlags.of(Address.ZERO)).isEqualTo(HookFlags.NONE);
    }

    @Test
    void bitsMatchHooksSolConstants() {
        assertThat(HookPermission.BEFORE_INITIALIZE.flag()).isEqualTo(1 << 13);
        assertThat(HookPermission.BEFORE_SWAP.flag()).isEqualTo(1 << 7);
        assertThat(HookPermission.AFTER_SWAP.flag()).isEqualTo(1 << 6);
        assertThat(HookPermission.BEFORE_SWAP_RETURNS_DELTA.flag()).isEqualTo(1 << 3);
        assertThat(HookPermission.AFTER_SWAP_RETURNS_DELTA.flag()).isEqualTo(1 << 2);
        assertThat(HookPermission.AFTER_REMOVE_LIQUIDITY_RETURNS_DELTA.flag()).isEqualTo(1);
        int all = 0;
        for (HookPermission p : HookPermission.values()) {
            assertThat(all & p.flag()).as(p.name()).isZero();
            all |= p.flag();
        }
        assertThat(all).isEqualTo(HookPermission.ALL_HOOK_MASK);
        assertThat(HookFlags.of(EnumSet.allOf(HookPermission.class)).bits()).isEqualTo(0x3fff);
    }

    @Test
    void parsesSolidityAndConstantNames() {
        assertThat(HookPermission.parse("beforeSwapReturnDelta")).isEqualTo(HookPermission.BEFORE_SWAP_RETURNS_DELTA);
        assertThat(HookPermission.parse("BEFORE_SWAP_RETURNS_DELTA")).isEqualTo(HookPermission.BEFORE_SWAP_RETURNS_DELTA);
        assertThat(HookPermission.parse(" afterswap ")).isEqualTo(HookPermission.AFTER_SWAP);
        assertThatThrownBy(() -> HookPermission.parse("beforeSwapp")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value=beforeSwapp").hasMessageContaining("afterRemoveLiquidityReturnDelta");
    }

    @Test
    void validHookAddressFollowsHooksSol() {
        assertThat(HookFlags.isValidHookAddress(Address.ZERO, 3000)).isTrue();
        assertThat(HookFlags.isValidHookAddress(Address.ZERO, LpFee.DYNAMIC_FEE_FLAG)).isFalse();
        assertThat(HookFlags.isValidHookAddress(hooks(0), 3000)).isFalse();
        assertThat(HookFlags.isValidHookAddress(hooks(0), LpFee.DYNAMIC_FEE_FLAG)).isTrue();
        assertThat(HookFlags.isValidHookAddress(hooks(1 << 3), 3000)).as("beforeSwapReturnDelta without beforeSwap").isFalse();
        assertThat(HookFlags.isValidHookAddress(hooks(1 << 3 | 1 << 7), 3000)).isTrue();
        assertThat(HookFlags.isValidHookAddress(hooks(1 << 2), 3000)).as("afterSwapReturnDelta without afterSwap").isFalse();
        assertThat(HookFlags.isValidHookAddress(hooks(1 << 1), 3000)).as("afterAddLiquidityReturnDelta without afterAddLiquidity").isFalse();
        assertThat(HookFlags.isValidHookAddress(hooks(1), 3000)).as("afterRemoveLiquidityReturnDelta without afterRemoveLiquidity").isFalse();
    }

    static Address hooks(int bits) {
        return Address.of(String.format("0x00000000000000000000000000000000000%05x", 0x10000 | bits));
    }
}
