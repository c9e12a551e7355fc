package io.poolstate.dex.state;

import io.poolstate.dex.event.DecodedLog;
import io.poolstate.dex.event.EventKind;
import io.poolstate.dex.event.LogPosition;
import io.poolstate.dex.event.SwapSlot;
import java.util.Objects;

/**
 * One event of a block for {@link PoolStateBook#applyEvents}, read from its log before the state it applies to is
 * known (a reader can build it on its own thread, as the log arrives): either the decoded event, or for a V3/V4 swap
 * only what it writes ({@link SwapSlot}, read from the log by {@link io.poolstate.dex.event.LogDecoder#readSwapSlot}
 * without the rest of the event). Immutable.
 */
public sealed interface BlockEvent {
    EventKind kind();

    LogPosition position();

    /** A decoded event. */
    record Decoded(DecodedLog log) implements BlockEvent {
        public Decoded {
            Objects.requireNonNull(log, "log is missing");
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
    record Swap(EventKind kind, SwapSlot slot, LogPosition position) implements BlockEvent {
        public Swap {
            if (kind != EventKind.V3_SWAP && kind != EventKind.V4_SWAP) {
                throw new IllegalArgumentException("not a swap: kind=" + kind);
            }
            Objects.requireNonNull(slot, "slot is missing");
        }
    }
}
