package io.poolstate.stress;

import io.poolstate.dex.pool.PoolId;
import io.poolstate.protocol.whitelist.WhitelistFold;
import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whitelist as it was published: every message in publication order, and the list in force after any of
 * them, folded with the one whitelist state machine ({@link WhitelistFold}, under the consumers' guard). This is
 * what a consumer's pool set must equal at a block whose {@code EndBlock} names that snapshot.
 *
 * <p>The publisher appends a message before it sends it, so no consumer can name a snapshot the log does not
 * hold yet. Any thread; all methods synchronised. Lists are folded forward from a cursor; asking for an older
 * snapshot than the cursor folds again from the start.
 */
public final class PublishedLog {
    /** Lists kept for the snapshots asked for last: consumers at different blocks ask for them in turn. */
    private static final int RECENT = 64;
    private final WhitelistFold.Guard guard;
    private final List<WhitelistMessage> messages = new ArrayList<>();
    private final Map<Long, Integer> positions = new HashMap<>();
    private final Map<Long, Set<PoolId>> recent = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Set<PoolId>> e) {
            return size() > RECENT;
        }
    };
    private WhitelistFold cursor;
    private int folded;
    private long refolds;

    public PublishedLog(WhitelistFold.Guard guard) {
        this.guard = guard;
        this.cursor = new WhitelistFold(guard, false);
    }

    /** Records a message about to be published. Its snapshot id must be new. */
    public synchronized void append(WhitelistMessage m) {
        if (positions.putIfAbsent(m.snapshotId(), messages.size()) != null) {
            throw new IllegalArgumentException("snapshot published twice: snapshot_id=" + m.snapshotId());
        }
        messages.add(m);
    }

    /** Messages published so far. */
    public synchronized int size() {
        return messages.size();
    }

    /** The newest published snapshot id, 0 before any. */
    public synchronized long last() {
        return messages.isEmpty() ? 0 : messages.get(messages.size() - 1).snapshotId();
    }

    /** How often an older snapshot was asked for than the cursor held (each folds from the first message again). */
    public synchronized long refolds() {
        return refolds;
    }

    /**
     * The pools in force once every message up to and including snapshot {@code snapshotId} is folded; null when no
     * message has that snapshot id.
     */
    public synchronized Set<PoolId> at(long snapshotId) {
        Integer pos = positions.get(snapshotId);
        if (pos == null) {
            return null;
        }
        Set<PoolId> known = recent.get(snapshotId);
        if (known != null) {
            return known;
        }
        if (pos < folded - 1) {
            cursor = new WhitelistFold(guard, false);
            folded = 0;
            refolds++;
        }
        while (folded <= pos) {
            cursor.apply(messages.get(folded++));
        }
        Set<PoolId> ids = Set.copyOf(cursor.state().ids());
        recent.put(snapshotId, ids);
        return ids;
    }
}
