package io.poolstate.eth.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.eth.Bytes32;
import io.poolstate.eth.Hex;
import io.poolstate.eth.Keccak256;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageLensTest {
    /** The lens program with labels; its javadoc listing is this, assembled. */
    static final List<String> PROGRAM = List.of(
            "PUSH1 0x00", "CALLDATALOAD", "PUSH1 @scan", "JUMPI",
            "PUSH1 0x20",
            "slotsLoop:", "JUMPDEST", "CALLDATASIZE", "DUP2", "LT", "ISZERO", "PUSH1 @slotsDone", "JUMPI",
            "DUP1", "CALLDATALOAD", "SLOAD", "PUSH1 0x20", "DUP3", "SUB", "MSTORE", "PUSH1 0x20", "ADD", "PUSH1 @slotsLoop", "JUMP",
            "slotsDone:", "JUMPDEST", "PUSH1 0x20", "SWAP1", "SUB", "PUSH1 0x00", "RETURN",
            "scan:", "JUMPDEST", "PUSH1 0x20", "CALLDATALOAD", "PUSH1 0x20", "MSTORE", "PUSH1 0x60", "CALLDATALOAD", "PUSH1 0x40", "CALLDATALOAD",
            "PUSH1 0x40",
            "scanLoop:", "JUMPDEST", "DUP3", "DUP3", "SGT", "PUSH1 @scanDone", "JUMPI",
            "DUP2", "PUSH1 0x00", "MSTORE", "PUSH1 0x40", "PUSH1 0x00", "KECCAK256", "SLOAD",
            "DUP1", "ISZERO", "PUSH1 @scanSkip", "JUMPI",
            "DUP3", "DUP3", "MSTORE", "DUP2", "PUSH1 0x20", "ADD", "MSTORE", "PUSH1 0x40", "ADD", "PUSH1 0x00",
            "scanSkip:", "JUMPDEST", "POP", "SWAP1", "PUSH1 0x01", "ADD", "SWAP1", "PUSH1 @scanLoop", "JUMP",
            "scanDone:", "JUMPDEST", "PUSH1 0x40", "SWAP1", "SUB", "PUSH1 0x40", "RETURN");

    @Test
    void codeIsTheAssembledListing() {
        assertThat(Hex.encode(StorageLens.CODE)).isEqualTo(Hex.encode(EvmAssembler.assemble(PROGRAM)));
        assertThat(StorageLens.CODE).hasSize(106);
    }

    @Test
    void calldataLayout() {
        Bytes32 a = Bytes32.of(BigInteger.valueOf(7));
        Bytes32 b = Bytes32.of(BigInteger.ONE.shiftLeft(255));
        assertThat(Hex.encode(StorageLens.slotsCall(List.of(a, b)))).isEqualTo("0x" + "00".repeat(32) + a.toString().substring(2) + b.toString().substring(2));
        byte[] scan = StorageLens.scanCall(a, -3466, 3465);
        assertThat(Hex.encode(scan)).isEqualTo("0x" + "00".repeat(31) + "01" + a.toString().substring(2)
                + "ff".repeat(30) + "f276" + "00".repeat(30) + "0d89");
    }

    @Test
    void mappingSlotIsKeccakOfSignExtendedKeyAndBase() {
        Bytes32 base = Bytes32.of(BigInteger.valueOf(6));
        byte[] enc = new byte[64];
        java.util.Arrays.fill(enc, 0, 32, (byte) 0xff);
        enc[63] = 6;
        assertThat(StorageLens.mappingSlot(-1, base)).isEqualTo(Bytes32.wrap(Keccak256.hash(enc)));
    }

    @Test
    void decodesPairsAndRefusesWhatTheLensCannotHaveAnswered() {
        byte[] two = new byte[128];
        StorageLens.int256(-2).copyTo(two, 0);
        two[63] = 5;
        StorageLens.int256(40).copyTo(two, 64);
        two[127] = 9;
        assertThat(StorageLens.decodeScan(two, -2, 40)).isEqualTo(Map.of(-2, BigInteger.valueOf(5), 40, BigInteger.valueOf(9)));
        assertThat(StorageLens.decodeScan(new byte[0], -10, 10)).isEmpty();
        assertThatThrownBy(() -> StorageLens.decodeScan(two, -1, 40)).hasMessageContaining("out of order or out of range");
        assertThatThrownBy(() -> StorageLens.decodeScan(two, -2, 39)).hasMessageContaining("out of order or out of range");
        assertThatThrownBy(() -> StorageLens.decodeScan(new byte[96], 0, 10)).hasMessageContaining("not (word, value) pairs");
        byte[] zero = new byte[64];
        assertThatThrownBy(() -> StorageLens.decodeScan(zero, 0, 10)).hasMessageContaining("value=0");
        assertThatThrownBy(() -> StorageLens.decodeSlots(new byte[64], 3)).hasMessageContaining("64 bytes for 3 slots");
        assertThat(StorageLens.decodeSlots(two, 4)).hasSize(4);
    }
}
