package io.poolstate.whales.snapshot;

import io.poolstate.whales.store.StoredSnapshot;
import java.time.Instant;

/** What one snapshot attempt did. */
public sealed interface SnapshotOutcome {
    /** A complete snapshot was stored. */
    record Taken(StoredSnapshot snapshot) implements SnapshotOutcome {
    }

    /** Nothing to do: the interval slot starting at {@code slot} already has complete snapshot {@code snapshotId}. */
    record SlotDone(Instant slot, long snapshotId) implements SnapshotOutcome {
    }

    /** Nothing done: another process holds the asset's snapshot lock (it is taking this slot's snapshot). */
    record LockHeld(String asset) implements SnapshotOutcome {
    }

    /** The attempt failed and was stored as incomplete with {@code reason}; no balances were stored. */
    record Failed(long snapshotId, String reason) implements SnapshotOutcome {
    }
}
