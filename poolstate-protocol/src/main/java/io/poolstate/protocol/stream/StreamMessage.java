package io.poolstate.protocol.stream;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.eth.Bytes32;
import java.util.List;

/**
 * One message of the arena's push stream ({@code /v1/stream}), decoded. {@code seq} is the message's position in the
 * arena's stream (increasing; a resume names the last one received). What the block fields name depends on the type:
 *
 * <ul>
 *   <li>{@link Type#SNAPSHOT}: the whole state of the subscribed pools at block (number, hash): replace everything
 *   (the first message of a subscription, a resume the arena cannot serve — {@code reason} says why — or the arena
 *   starting over from a fresh read). {@code parentHash} may be null.</li>
 *   <li>{@link Type#BLOCK}: block (number, hash) with parent {@code parentHash} was applied: the state is now at it.</li>
 *   <li>{@link Type#REVERT}: block (number, hash), whose parent is {@code parentHash}, left the chain: the state is now
 *   at (number − 1, parentHash).</li>
 *   <li>{@link Type#UPDATE}: at the same block (number, hash), pools were added, removed or read again.</li>
 * </ul>
 *
 * {@code pools}: the new state of each subscribed pool that changed (a whole pool, or what changed); {@code removed}:
 * subscribed pools no longer served.
 */
public record StreamMessage(Type type, long seq, long blockNumber, Bytes32 blockHash, Bytes32 parentHash, List<PoolChange> pools,
                            List<PoolId> removed, String reason) {
    public enum Type {
        SNAPSHOT("snapshot"), BLOCK("block"), REVERT("revert"), UPDATE("update");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Type parse(String s) {
            for (Type t : values()) {
                if (t.wireName.equals(s)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("type: unknown stream message type: type=" + s);
        }
    }

    public StreamMessage {
        pools = List.copyOf(pools);
        removed = List.copyOf(removed);
    }

    /** The block the state is at after this message: the parent for a revert, else the named block. */
    public long tipNumber() {
        return type == Type.REVERT ? blockNumber - 1 : blockNumber;
    }

    /** The hash of {@link #tipNumber()}. */
    public Bytes32 tipHash() {
        return type == Type.REVERT ? parentHash : blockHash;
    }
}
