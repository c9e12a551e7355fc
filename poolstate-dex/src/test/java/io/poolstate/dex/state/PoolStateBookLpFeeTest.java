package io.poolstate.dex.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.dex.event.DecodedLog;
import io.poolstate.dex.event.PoolEvent;
import io.poolstate.dex.pool.PoolDescriptor;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.dex.pool.Protocol;
import io.poolstate.dex.pool.Token;
import io.poolstate.dex.v4.LpFee;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** LP fees re-read from the chain are journaled with their block: a revert restores the fee the block started with. */
class PoolStateBookLpFeeTest {
    private static final Token T0 = new Token(Address.of("0x0000000000000000000000000000000000000a00"), 18, "A");
    private static final Token T1 = new Token(Address.of("0x0000000000000000000000000000000000000b00"), 6, "B");
    private static final io.poolstate.dex.event.LogPosition LOG = new io.poolstate.dex.event.LogPosition(1, 0, 0, Bytes32.ZERO);
    private static final PoolDescriptor DYNAMIC = new PoolDescriptor(PoolId.of(Bytes32.of("0x" + "d1".repeat(32))), Protocol.UNISWAP_V4, T0, T1,
            Address.ZERO, LpFee.DYNAMIC_FEE_FLAG, 60, Address.of("0x0000000000000000000000000000000000001000"));
    private static final PoolDescriptor V3 = new PoolDescriptor(PoolId.of(Address.of("0x00000000000000000000000000000000000000c3")),
            Protocol.UNISWAP_V3, T0, T1, Address.ZERO, 3000, 60, null);

    private static PoolStateBook book() {
        PoolStateBook b = new PoolStateBook(8);
        b.put(new ConcentratedPoolState(DYNAMIC, BigInteger.ONE.shiftLeft(96), 0, BigInteger.TEN, 3000, 0, new TreeMap<>()));
        b.put(new ConcentratedPoolState(V3, BigInteger.ONE.shiftLeft(96), 0, BigInteger.TEN, 3000, 0, new TreeMap<>()));
        return b;
    }

    private static PoolStateBook.BlockId block(long n) {
        return new PoolStateBook.BlockId(n, Bytes32.of(BigInteger.valueOf(n)));
    }

    private static int fee(PoolStateBook b) {
        return ((ConcentratedPoolState) b.get(DYNAMIC.id())).snapshot().fee();
    }

    @Test
    void feesFollowBlocksAndRevertWithThem() throws Exception {
        PoolStateBook b = book();
        b.applyBlock(block(1), List.of(new DecodedLog(DYNAMIC.id(), new PoolEvent.V4Swap(DYNAMIC.id().v4Id(), Address.ZERO, BigInteger.ONE,
                BigInteger.ONE, BigInteger.ONE.shiftLeft(96), BigInteger.TEN, 0, 3000), LOG)));
        assertThat(b.applyLpFees(block(1), Map.of(DYNAMIC.id(), 4500))).isEqualTo(1);
        b.applyBlock(block(2), List.of());
        assertThat(b.applyLpFees(block(2), Map.of(DYNAMIC.id(), 4500))).as("unchanged fee").isZero();
        b.applyBlock(block(3), List.of());
        assertThat(b.applyLpFees(block(3), Map.of(DYNAMIC.id(), 100, PoolId.of(Bytes32.of("0x" + "ee".repeat(32))), 7))).isEqualTo(1);
        assertThat(fee(b)).isEqualTo(100);

        b.revertBlock(block(3));
        assertThat(fee(b)).isEqualTo(4500);
        b.revertBlock(block(2));
        assertThat(fee(b)).isEqualTo(4500);
        b.revertBlock(block(1));
        assertThat(fee(b)).isEqualTo(3000);
    }

    @Test
    void onlyTheNewestBlockTakesFees() throws Exception {
        PoolStateBook b = book();
        assertThatThrownBy(() -> b.applyLpFees(block(1), Map.of(DYNAMIC.id(), 1))).isInstanceOf(BlockApplyException.class)
                .hasMessageContaining("journal is empty");
        b.applyBlock(block(1), List.of());
        b.applyBlock(block(2), List.of());
        assertThatThrownBy(() -> b.applyLpFees(block(1), Map.of(DYNAMIC.id(), 1))).isInstanceOf(BlockApplyException.class)
                .hasMessageContaining("ends at block 2");
        assertThat(fee(b)).isEqualTo(3000);
    }

    @Test
    void aNonV4PoolIsRefusedAndNothingChanges() throws Exception {
        PoolStateBook b = book();
        b.applyBlock(block(1), List.of());
        assertThatThrownBy(() -> b.applyLpFees(block(1), new java.util.LinkedHashMap<>(Map.of(DYNAMIC.id(), 1, V3.id(), 500))))
                .isInstanceOf(BlockApplyException.class).hasMessageContaining("uniswap_v3");
        assertThat(fee(b)).isEqualTo(3000);
        assertThat(((ConcentratedPoolState) b.get(V3.id())).fee()).isEqualTo(3000);
    }
}
