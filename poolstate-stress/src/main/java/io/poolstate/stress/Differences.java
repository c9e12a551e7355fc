package io.poolstate.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Differences found by the storm's checks: every one counted, the first {@link #KEPT} kept with their text (each
 * names the consumer, the block and what differs). Any thread.
 */
public final class Differences {
    /** Texts kept; the rest are only counted. */
    public static final int KEPT = 50;
    private final AtomicLong count = new AtomicLong();
    private final List<String> first = new ArrayList<>();

    public void add(String what) {
        count.incrementAndGet();
        synchronized (first) {
            if (first.size() < KEPT) {
                first.add(what);
            }
        }
    }

    public long count() {
        return count.get();
    }

    /** The first differences found, in order. */
    public List<String> first() {
        synchronized (first) {
            return List.copyOf(first);
        }
    }
}
