package io.poolstate.protocol.feed;

import io.poolstate.dex.event.EventKind;
import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Bytes32;
import java.util.List;

/**
 * The messages between the feed and its consumers on the Unix socket (spec section 2). A block is sent as
 * {@link BeginBlock}, its {@link PoolUpdate}s in (tx, log) order (reversed for a revert), then {@link EndBlock}.
 * Encoding: {@link FrameCodec}.
 */
public sealed interface FeedFrame {
    /**
     * Feed → consumer on connect: what it serves, the newest block it has sent (number and hash; 0 and the zero
     * hash before any) and the oldest block it can still replay.
     */
    record Hello(int protocolVersion, long chainId, long headBlockNumber, Bytes32 headBlockHash, long oldestResumableBlock) implements FeedFrame {
    }

    /** Consumer → feed: send what came after this block (by number and hash). */
    record Resume(long afterBlockNumber, Bytes32 afterBlockHash) implements FeedFrame {
    }

    /** Why a resume was refused: the block is older than the ring, or its hash is not on the feed's chain. */
    enum RejectReason { TOO_OLD, UNKNOWN_HASH }

    /** Feed → consumer: the resume point cannot be served; the consumer must rescrape. */
    record ResumeRejected(RejectReason reason, long oldestResumableBlock, String message) implements FeedFrame {
    }

    record BeginBlock(long blockNumber, Bytes32 blockHash, Bytes32 parentHash, long timestamp, boolean isRevert) implements FeedFrame {
    }

    /**
     * One pool event: where it stands in the block, the pool and the event's fields exactly as logged
     * ({@code topics} are the indexed fields after topic0, {@code data} the non-indexed ones, ABI-encoded).
     */
    record PoolUpdate(long blockNumber, int txIndex, int logIndex, Bytes32 txHash, PoolId pool, EventKind kind, List<Bytes32> topics,
                      byte[] data) implements FeedFrame {
        public PoolUpdate {
            topics = List.copyOf(topics);
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        /**
         * The event this update carries, decoded by the same decoder the feed checked it with.
         *
         * @throws io.poolstate.dex.event.MalformedLogException when its fields do not fit its kind or name another pool
         */
        public io.poolstate.dex.event.DecodedLog decode() throws io.poolstate.dex.event.MalformedLogException {
            return io.poolstate.dex.event.LogDecoder.decode(kind, pool, topics, data,
                    new io.poolstate.dex.event.LogPosition(blockNumber, txIndex, logIndex, txHash));
        }

        /**
         * This update as an event of a block ({@link io.poolstate.dex.state.PoolStateBook#applyEvents}): a V3/V4 swap read
         * for what it writes only ({@link io.poolstate.dex.event.LogDecoder#readSwapSlot}, checked exactly as
         * {@link #decode} checks it), any other event decoded.
         *
         * @throws io.poolstate.dex.event.MalformedLogException when its fields do not fit its kind or name another pool
         */
        public io.poolstate.dex.state.BlockEvent blockEvent() throws io.poolstate.dex.event.MalformedLogException {
            io.poolstate.dex.event.LogPosition at = new io.poolstate.dex.event.LogPosition(blockNumber, txIndex, logIndex, txHash);
            if (kind == EventKind.V3_SWAP || kind == EventKind.V4_SWAP) {
                return new io.poolstate.dex.state.BlockEvent.Swap(kind, io.poolstate.dex.event.LogDecoder.readSwapSlot(kind, pool, topics, data, at), at);
            }
            return new io.poolstate.dex.state.BlockEvent.Decoded(io.poolstate.dex.event.LogDecoder.decode(kind, pool, topics, data, at));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PoolUpdate u && u.blockNumber == blockNumber && u.txIndex == txIndex && u.logIndex == logIndex
                    && u.txHash.equals(txHash) && u.pool.equals(pool) && u.kind == kind && u.topics.equals(topics)
                    && java.util.Arrays.equals(u.data, data);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(blockNumber, txIndex, logIndex, pool, kind) * 31 + java.util.Arrays.hashCode(data);
        }
    }

    /**
     * Closes a block: its hash again, how many updates it carried, the whitelist snapshot in force (0 = none) and
     * how many pools the feed forwarded in it (the size of the pool set {@link PoolSet} frames describe).
     */
    record EndBlock(long blockNumber, Bytes32 blockHash, int numUpdates, long whitelistSnapshotId, int forwardedPools) implements FeedFrame {
    }

    /**
     * Feed → consumer, between blocks: the pools whose events the feed forwards change here. {@code replace}: the
     * set becomes exactly {@code added}; otherwise {@code added} join and {@code removed} leave it. Sent before the
     * first block built with the new set ({@code fromBlockNumber}), and after a revert's {@link EndBlock} when the
     * reverted block had changed the set (the change undone). A change too large for one frame is split:
     * every part but the last has {@code more} set, and the change takes effect with the last part.
     */
    record PoolSet(long fromBlockNumber, long snapshotId, boolean replace, boolean more, List<PoolId> added, List<PoolId> removed)
            implements FeedFrame {
        public PoolSet {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            if (replace && !removed.isEmpty()) {
                throw new IllegalArgumentException("a replacing pool set lists no removed pools");
            }
        }
    }

    /** Sent when idle so consumers can tell a quiet chain from a dead feed. */
    record Heartbeat(long headBlockNumber) implements FeedFrame {
    }

    /** The feed lost track (a reorg deeper than its history): state built from earlier blocks must be rescraped. */
    record Rescrape(long fromBlockNumber, String reason) implements FeedFrame {
    }
}
