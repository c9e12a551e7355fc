package io.poolstate.app.options;

import io.poolstate.eth.rpc.Confirmation;
import picocli.CommandLine.Option;

/**
 * {@code --confirmations N} / {@code --finalized}: confirmed mode of the feed and the arena. The feed then sends only
 * blocks N deep (or finalized), so a reorg that replaces at most N blocks never produces a revert; the arena, on such a
 * feed, counts the same block as the chain's newest when it judges staleness.
 */
public final class ConfirmationOptions {
    @Option(names = "--confirmations", paramLabel = "N", defaultValue = "0",
            description = "Confirmed mode: only blocks N below the head; reorgs of at most N blocks never revert (default: ${DEFAULT-VALUE}, the head).")
    int confirmations;

    @Option(names = "--finalized", description = "Confirmed mode: only blocks up to the node's finalized block (Anvil: head - 64).")
    boolean finalized;

    /** The rule given. */
    public Confirmation confirmation() {
        if (confirmations < 0) {
            throw new IllegalArgumentException("--confirmations must be 0 or more: confirmations=" + confirmations);
        }
        if (finalized && confirmations > 0) {
            throw new IllegalArgumentException("give --confirmations or --finalized, not both");
        }
        return finalized ? new Confirmation.Finalized() : confirmations > 0 ? new Confirmation.Depth(confirmations) : Confirmation.HEAD;
    }
}
