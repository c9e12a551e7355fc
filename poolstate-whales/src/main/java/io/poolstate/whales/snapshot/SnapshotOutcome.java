package io.poolstate.whales.snapshot;

import io.poolstate.whales.store.StoredSnapshot;

/** What one snapshot attempt did. */
public sealed interface SnapshotOutcome {
    /** A complete snapshot was stored. */
    record Taken(StoredSnapshot snapshot) implements SnapshotOutcome {
    }

    /** Nothing was done: the slot already has a complete snapshot, or another process is taking it. */
    record Skipped(String reason) implements SnapshotOutcome {
    }

    /** The attempt failed and was stored as incomplete with {@code reason}; no balances were stored. */
    record Failed(long snapshotId, String reason) implements SnapshotOutcome {
    }
}
