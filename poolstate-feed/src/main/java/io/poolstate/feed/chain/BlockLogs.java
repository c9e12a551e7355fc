package io.poolstate.feed.chain;

import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.LogsBloom;
import io.poolstate.eth.rpc.BlockHeader;
import io.poolstate.eth.rpc.Log;
import io.poolstate.eth.rpc.RpcResponseFormatException;
import io.poolstate.feed.whitelist.Whitelist;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a node's {@code eth_getLogs} answer for one block before it enters the history: every log of that
 * block (number and hash) and not removed; ordered by log index; an exact repeat dropped, two different logs at
 * one index refused; and, against the header's logs bloom, whether a whitelisted pool the bloom says may have
 * logged is missing from the answer (then the answer is asked for again). Stateless apart from the bloom
 * positions of the whitelist it was built for; confined to the follower thread.
 */
final class BlockLogs {
    /** The answer, ordered and without repeats, and the whitelisted pools the bloom says may be missing from it. */
    record Checked(List<Log> logs, int repeats, List<String> suspectedMissing) {
    }

    private final Whitelist whitelist;
    private final Set<Address> managers;
    private final Map<Object, int[]> positions = new HashMap<>();

    BlockLogs(Whitelist whitelist, Set<Address> managers) {
        this.whitelist = whitelist;
        this.managers = managers;
        whitelist.addresses().forEach(a -> positions.put(a, LogsBloom.positions(a.toBytes())));
        whitelist.v4Ids().forEach(id -> positions.put(id, LogsBloom.positions(id.toBytes())));
    }

    boolean builtFor(Whitelist w) {
        return w == whitelist;
    }

    /**
     * @throws RpcResponseFormatException when the answer holds a log of another block, a removed log, or two
     *     different logs at one index
     */
    Checked check(BlockHeader h, List<Log> answer) {
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
                    throw new RpcResponseFormatException("eth_getLogs", "eth_getLogs for block " + h.number() + " answered two different logs at log_index=" + b.logIndex(), null);
                }
                logs.remove(i);
                repeats++;
            }
        }
        return new Checked(logs, repeats, missing(h, logs));
    }

    /** Whitelisted pools the bloom says may have logged but the answer has no log of. */
    private List<String> missing(BlockHeader h, List<Log> logs) {
        LogsBloom bloom = h.logsBloom();
        if (bloom == null) {
            return List.of();
        }
        java.util.HashSet<Object> seen = new java.util.HashSet<>();
        for (Log l : logs) {
            seen.add(l.address());
            if (l.topics().size() > 1 && managers.contains(l.address())) {
                seen.add(l.topics().get(1));
            }
        }
        List<String> out = new ArrayList<>();
        boolean managerMayHaveLogged = managers.stream().anyMatch(m -> bloom.mightContain(m.toBytes()));
        for (Map.Entry<Object, int[]> e : positions.entrySet()) {
            Object key = e.getKey();
            if (seen.contains(key) || !bloom.mightContain(e.getValue())) {
                continue;
            }
            if (key instanceof Bytes32 && !managerMayHaveLogged) {
                continue;
            }
            out.add(key.toString());
        }
        return out;
    }

    private static boolean same(Log a, Log b) {
        return a.address().equals(b.address()) && a.topics().equals(b.topics()) && java.util.Arrays.equals(a.data(), b.data())
                && a.transactionIndex() == b.transactionIndex() && a.transactionHash().equals(b.transactionHash());
    }
}
