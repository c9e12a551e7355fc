package io.poolstate.feed.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.Log;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockLogsTest {
    private static final BlockHeader H = new BlockHeader(7, Bytes32.of("0x" + "11".repeat(32)), Bytes32.ZERO, 0);

    private static Log log(int index, int data) {
        return new Log(Address.ZERO, List.of(Bytes32.ZERO), new byte[] {(byte) data}, 7, H.hash(), Bytes32.ZERO, index / 2, index, false);
    }

    @Test
    void sortsAndDropsExactRepeats() {
        List<Log> answer = new ArrayList<>(List.of(log(2, 2), log(0, 0), log(1, 1), log(2, 2)));
        BlockLogs.Checked c = BlockLogs.check(H, answer);
        assertThat(c.logs()).extracting(Log::logIndex).containsExactly(0, 1, 2);
        assertThat(c.repeats()).isEqualTo(1);
        assertThat(c.hole()).isNull();
    }

    @Test
    void findsAHole() {
        assertThat(BlockLogs.check(H, List.of(log(0, 0), log(2, 2))).hole()).contains("log_index 1 missing");
        assertThat(BlockLogs.check(H, List.of(log(1, 1))).hole()).contains("log_index 0 missing");
    }

    @Test
    void refusesConflictsAndForeignLogs() {
        assertThatThrownBy(() -> BlockLogs.check(H, List.of(log(0, 0), log(0, 9)))).hasMessageContaining("two different logs at log_index=0");
        Log other = new Log(Address.ZERO, List.of(), new byte[0], 8, Bytes32.ZERO, Bytes32.ZERO, 0, 0, false);
        assertThatThrownBy(() -> BlockLogs.check(H, List.of(other))).hasMessageContaining("answered a log of block 8");
    }
}
