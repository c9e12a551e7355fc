package io.poolstate.feed.client;

import io.poolstate.dex.event.DecodedLog;
import io.poolstate.dex.event.LogDecoder;
import io.poolstate.dex.event.MalformedLogException;
import io.poolstate.eth.Address;
import io.poolstate.eth.Bytes32;
import io.poolstate.eth.rpc.Log;
import io.poolstate.protocol.feed.FeedFrame;
import java.util.ArrayList;
import java.util.List;

/** Turns feed updates back into decoded pool events (the same decoder the feed validated them with). */
public final class PoolUpdates {
    private PoolUpdates() {
    }

    /**
     * The event an update carries. V4 updates carry no emitter address (their pool is the PoolId in topics[1]),
     * so the rebuilt log's address is the zero address for them.
     *
     * @throws MalformedLogException when the update's fields do not fit its event kind
     */
    public static DecodedLog decode(FeedFrame.PoolUpdate u, Bytes32 blockHash) throws MalformedLogException {
        List<Bytes32> topics = new ArrayList<>(u.topics().size() + 1);
        topics.add(u.kind().topic0());
        topics.addAll(u.topics());
        Address emitter = u.pool().isV4() ? Address.ZERO : u.pool().address();
        Log log = new Log(emitter, topics, u.data(), u.blockNumber(), blockHash, u.txHash(), u.txIndex(), u.logIndex(), false);
        DecodedLog d = LogDecoder.decode(log);
        if (d == null || !d.pool().equals(u.pool())) {
            throw new MalformedLogException(u.kind(), "update does not decode to its pool: pool=" + u.pool() + " " + log.position());
        }
        return d;
    }
}
