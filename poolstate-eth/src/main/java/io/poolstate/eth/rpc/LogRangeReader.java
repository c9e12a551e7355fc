package io.poolstate.eth.rpc;

import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code eth_getLogs} over a block range, split adaptively: a range the node refuses (too many results, range
 * too wide) is halved until it answers; the span that worked is reused for the next ranges.
 */
public final class LogRangeReader {
    private static final Logger LOG = LoggerFactory.getLogger(LogRangeReader.class);
    private final EthClient eth;
    private long span = 10_000;

    public LogRangeReader(EthClient eth) {
        this.eth = eth;
    }

    public List<Log> read(long from, long to, List<Address> addresses, List<Bytes32> topic0) {
        List<Log> out = new ArrayList<>();
        long start = from;
        while (start <= to) {
            long end = Math.min(to, start + span - 1);
            try {
                out.addAll(eth.logs(LogFilter.range(start, end, addresses).withTopic0(topic0)));
                start = end + 1;
                span = Math.min(span * 2, 100_000);
            } catch (RpcErrorResponseException e) {
                if (end == start) {
                    throw e;
                }
                span = Math.max(1, (end - start + 1) / 2);
                LOG.debug("eth_getLogs refused {}..{} ({}); splitting to {} blocks", start, end, e.nodeMessage(), span);
            }
        }
        return out;
    }
}
