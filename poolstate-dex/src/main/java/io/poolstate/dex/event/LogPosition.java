package io.poolstate.dex.event;

import io.poolstate.eth.Bytes32;
import io.poolstate.eth.rpc.Log;

/**
 * Where an event stands on the chain: its block, its transaction's index and hash, its log index within the block.
 */
public record LogPosition(long blockNumber, int txIndex, int logIndex, Bytes32 txHash) {
    public static LogPosition of(Log log) {
        return new LogPosition(log.blockNumber(), log.transactionIndex(), log.logIndex(), log.transactionHash());
    }

    @Override
    public String toString() {
        return "block=" + blockNumber + " tx_index=" + txIndex + " log_index=" + logIndex + " tx=" + txHash;
    }
}
