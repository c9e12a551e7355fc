package io.poolstate.arena;

/** Abandons the arena's state and starts up again (a fresh scrape): thrown on the writer thread. */
final class ArenaRestart extends RuntimeException {
    ArenaRestart(String message) {
        super(message);
    }
}
