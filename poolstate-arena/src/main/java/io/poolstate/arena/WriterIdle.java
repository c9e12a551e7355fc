package io.poolstate.arena;

/**
 * How the arena's writer waits for the feed's next event between blocks.
 *
 * <p>A block's pools are spread over the whole state (10,000 pools with their ticks do not fit a core's caches), and what
 * the caches held of it goes while the writer waits: measured at 10,000 pools, the same block cost the writer 2.5–2.9
 * times the CPU after a 2 ms sleep as straight after the previous block, and 20–30 % less after a 2 or 20 ms wait spent
 * spinning than after one spent sleeping ({@code ArenaBlockApplyBenchmark -p pauseMicros=0,2000,20000 -p pause=park,spin};
 * docs/BENCHMARKS.md, "Writer idle").
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
