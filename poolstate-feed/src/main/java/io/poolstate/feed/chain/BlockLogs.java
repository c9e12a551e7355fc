package io.poolstate.feed.chain;

import io.poolstate.eth.Bytes32;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.EthClient;
import io.poolstate.eth.rpc.Log;
import io.poolstate.eth.rpc.LogFilter;
import io.poolstate.eth.rpc.RpcResponseFormatException;
import io.poolstate.eth.rpc.TransactionReceipt;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads one block's logs and proves the answer whole before it enters the history: every log of the block is
 * asked for (by block hash), ordered by log index (an unsorted answer is sorted), an exact repeat dropped and two
 * different logs at one index refused; the indexes must then run 0, 1, 2, … without a hole, and the last one
 * must be the block's last log, as the receipt of its last transaction with logs says. An answer that fails is
 * asked for again; one that never passes is a {@link RpcResponseFormatException} (the follower retries the block
 * later), so a block is never sent with a log missing. Stateless; any thread.
 */
final class BlockLogs {
    /** An answer checked so far: its logs in order without repeats, how many repeats were dropped, and its first hole (or null). */
    record Checked(List<Log> logs, int repeats, String hole) {
    }

    private final EthClient eth;

    BlockLogs(EthClient eth) {
        this.eth = eth;
    }

    /** Every log of the block, whole; {@code onRetry} hears why an answer was asked for again. */
    List<Log> read(BlockHeader h, java.util.function.Consumer<String> onRetry) {
        String problem = null;
        Integer total = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Checked c = check(h, eth.logs(LogFilter.block(h.hash(), List.of())));
            problem = c.hole();
            if (problem == null) {
                if (total == null) {
                    total = logCount(h);
                }
                if (c.logs().size() == total) {
                    if (c.repeats() > 0) {
                        onRetry.accept("answer repeated " + c.repeats() + " logs (dropped)");
                    }
                    return c.logs();
                }
                problem = "answer holds " + c.logs().size() + " logs, the block's receipts " + total;
            }
            onRetry.accept(problem);
        }
        throw new RpcResponseFormatException("eth_getLogs", "block " + h.number() + " " + h.hash() + ": no whole log answer after 3 attempts: " + problem,
                null);
    }

    /**
     * Orders an answer and drops exact repeats.
     *
     * @throws RpcResponseFormatException when it holds a log of another block, a removed log, or two different logs at one index
     */
    static Checked check(BlockHeader h, List<Log> answer) {
        List<Log> logs = new ArrayList<>(answer);
        for (Log l : logs) {
            if (l.blockNumber() != h.number() || !l.blockHash().equals(h.hash()) || l.removed()) {
                throw new RpcResponseFormatException("eth_getLogs", "eth_getLogs for block " + h.number() + " " + h.hash() + " answered a log of block "
                        + l.blockNumber() + " " + l.blockHash() + (l.removed() ? " (removed)" : "") + " at log_index=" + l.logIndex(), null);
            }
        }
        logs.sort(Comparator.comparingInt(Log::logIndex));
        int repeats = 0;
        for (int i = logs.size() - 1; i > 0; i--) {
            Log a = logs.get(i - 1);
            Log b = logs.get(i);
            if (a.logIndex() == b.logIndex()) {
                if (!same(a, b)) {
                    throw new RpcResponseFormatException("eth_getLogs", "eth_getLogs for block " + h.number() + " answered two different logs at log_index="
                            + b.logIndex(), null);
                }
                logs.remove(i);
                repeats++;
            }
        }
        String hole = null;
        for (int i = 0; i < logs.size() && hole == null; i++) {
            if (logs.get(i).logIndex() != i) {
                hole = "log_index " + i + " missing from the answer";
            }
        }
        return new Checked(logs, repeats, hole);
    }

    /** How many logs the block has: one past the last log index of its last transaction that logged. */
    private int logCount(BlockHeader h) {
        List<Bytes32> txs = eth.transactionHashes(h.hash());
        if (txs == null) {
            throw new RpcResponseFormatException("eth_getBlockByHash", "block " + h.number() + " " + h.hash() + " is unknown to the node", null);
        }
        for (int i = txs.size() - 1; i >= 0; i--) {
            TransactionReceipt r = eth.receipt(txs.get(i));
            if (r == null || !r.blockHash().equals(h.hash())) {
                throw new RpcResponseFormatException("eth_getTransactionReceipt", "receipt of " + txs.get(i) + " is not in block " + h.number() + " "
                        + h.hash(), null);
            }
            if (!r.logs().isEmpty()) {
                return r.logs().stream().mapToInt(Log::logIndex).max().getAsInt() + 1;
            }
        }
        return 0;
    }

    private static boolean same(Log a, Log b) {
        return a.address().equals(b.address()) && a.topics().equals(b.topics()) && java.util.Arrays.equals(a.data(), b.data())
                && a.transactionIndex() == b.transactionIndex() && a.transactionHash().equals(b.transactionHash());
    }
}
