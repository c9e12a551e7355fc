package io.poolstate.dex.state;

import io.poolstate.dex.event.DecodedLog;
import io.poolstate.dex.event.EventKind;
import io.poolstate.dex.event.LogPosition;
import io.poolstate.dex.event.SwapSlot;
import java.util.Objects;

/**
 * One event of a block for {@link PoolStateBook#applyEvents}, with the state it applies to (never null): the object the book holds
 * for the event's pool (given to {@link PoolStateBook#put} and not replaced or removed since), which saves the book's
 * own lookup. Either the decoded event, or for a V3/V4 swap only what it writes ({@link SwapSlot}, read from the log
 * by {@link io.poolstate.dex.event.LogDecoder#readSwapSlot} without the rest of the event).
 */
public sealed interface BlockEvent {
    PoolState state();

    EventKind kind();

    LogPosition position();

    /** A decoded event. */
    record Decoded(PoolState state, DecodedLog log) implements BlockEvent {
        public Decoded {
            Objects.requireNonNull(log, "log is missing");
            Objects.requireNonNull(state, () -> "state is missing: kind=" + log.kind() + " pool=" + log.pool());
        }

        @Override
        public EventKind kind() {
            return log.kind();
        }

        @Override
        public LogPosition position() {
            return log.position();
        }
    }

    /** A V3 or V4 swap's price, tick and liquidity. */
    record Swap(PoolState state, EventKind kind, SwapSlot slot, LogPosition position) implements BlockEvent {
        public Swap {
            if (kind != EventKind.V3_SWAP && kind != EventKind.V4_SWAP) {
                throw new IllegalArgumentException("not a swap: kind=" + kind);
            }
            Objects.requireNonNull(slot, "slot is missing");
            Objects.requireNonNull(state, () -> "state is missing: kind=" + kind + " at=" + position);
        }
    }
}
