package io.poolstate.arena;

/**
 * How the arena's writer waits for the feed's next event between blocks.
 *
 * <p>A block's pools are spread over the whole state (10,000 pools with their ticks do not fit a core's caches), and a core
 * that sleeps between blocks loses what it held: measured here, the same block costs the writer about 2.5 times the CPU
 * time after a 2 ms sleep as it does applied straight after the previous one ({@code ArenaBlockApplyBenchmark
 * -p pauseMicros=0,2000}).
 */
public enum WriterIdle {
    /** Sleeps in the inbox until an event comes: no CPU while the chain is quiet. The default. */
    PARK,
    /**
     * Spins on the inbox and never sleeps, yielding the core ({@link Thread#yield()}) between looks to any thread that
     * wants it: a core kept awake for the writer, its caches warm for the next block. For a machine with a core to give
     * to it.
     */
    SPIN;

    /** Parses {@code park} or {@code spin}, in any case. */
    public static WriterIdle parse(String s) {
        for (WriterIdle w : values()) {
            if (w.name().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return w;
            }
        }
        throw new IllegalArgumentException("writer idle must be park or spin: value=" + s);
    }
}
