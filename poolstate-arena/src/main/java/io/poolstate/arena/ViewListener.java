package io.poolstate.arena;

/**
 * Told of every view the arena publishes, in order, on the arena's writer thread: it must not block (hand the view to a
 * queue or a thread of its own). {@code reset}: a new state (start-up, a restart), not a step from the previous view.
 * Between resets, a view one block above the previous one applied a block that extends it; one block below reverted
 * the previous one (its parent is the new view's block); the same block is the same block with pools added, removed or
 * re-read.
 */
@FunctionalInterface
public interface ViewListener {
    void published(ArenaView view, boolean reset);
}
