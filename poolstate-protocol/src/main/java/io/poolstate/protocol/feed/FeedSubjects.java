package io.poolstate.protocol.feed;

import io.poolstate.eth.Bytes32;

/**
 * Names of the feed's block stream on NATS JetStream, one stream per chain, and of its fail-over lease.
 *
 * <ul>
 *   <li>Stream {@code FEED_<chainId>}, subject {@code feed.<chainId>.blocks}: one message per block (split into
 *       numbered parts when it would not fit the server's {@code max_payload}), its body the feed frames a socket
 *       consumer following the stream gets for that block ({@link FrameCodec} frames, back to back): pool-set
 *       changes, then the block; for a revert the revert frames, then the pool set of its parent again.</li>
 *   <li>{@code Nats-Msg-Id}: {@code <block hash>-commit} or {@code <block hash>-revert} (with {@code -<i>of<n>} for
 *       parts), so a block published again — by a restarted or a second feed — is stored once within the
 *       stream's duplicate window. A block that comes back after its revert within the window (a reorg there and back)
 *       is stored under {@code <id>-after<seq>}, {@code seq} the stream's last sequence it follows.</li>
 *   <li>{@code Poolstate-Block}: {@code <number> <hash> <parent hash> commit|revert|rescrape}: where the stream's
 *       tip is after the message (a commit: the block; a revert: its parent; a rescrape: unknown).</li>
 *   <li>{@code Poolstate-Part}: {@code <i>/<n>}; a consumer applies a message once all its parts are in, and drops
 *       parts a newer first part overtook (a feed that died while publishing).</li>
 *   <li>{@code Poolstate-Set-Seq}: the stream sequence of the newest message (its first part) that begins with a
 *       replacing pool set, as of this message; absent on such a message itself. A consumer starts there and
 *       folds forward, so it knows the forwarded pools at any later block.</li>
 *   <li>{@code Poolstate-Feed}: the id of the feed that published it (the lease holder).</li>
 *   <li>Lease: key-value bucket {@code poolstate_feed_lease}, key {@code chain-<chainId>}, value the active feed's id.</li>
 * </ul>
 */
public final class FeedSubjects {
    public static final String MSG_ID_HEADER = "Nats-Msg-Id";
    public static final String BLOCK_HEADER = "Poolstate-Block";
    public static final String PART_HEADER = "Poolstate-Part";
    public static final String SET_SEQ_HEADER = "Poolstate-Set-Seq";
    public static final String FEED_HEADER = "Poolstate-Feed";
    public static final String LEASE_BUCKET = "poolstate_feed_lease";

    /** What a stream message carries. */
    public enum Kind { COMMIT, REVERT, RESCRAPE }

    private FeedSubjects() {
    }

    public static String stream(long chainId) {
        return "FEED_" + chainId;
    }

    public static String blocks(long chainId) {
        return "feed." + chainId + ".blocks";
    }

    public static String leaseKey(long chainId) {
        return "chain-" + chainId;
    }

    /** The message id of part {@code part} of {@code parts} of a block message. */
    public static String messageId(Bytes32 hash, Kind kind, int part, int parts) {
        String base = hash + "-" + kind.name().toLowerCase();
        return parts == 1 ? base : base + "-" + part + "of" + parts;
    }

    /** The {@code Poolstate-Block} value. */
    public static String blockHeader(long number, Bytes32 hash, Bytes32 parentHash, Kind kind) {
        return number + " " + hash + " " + parentHash + " " + kind.name().toLowerCase();
    }
}
