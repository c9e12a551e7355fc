package io.poolstate.stress;

import java.util.Arrays;

/** Samples of a duration (nanoseconds) and their percentiles. Any thread; synchronised. */
public final class LongSamples {
    private long[] values = new long[1024];
    private int size;

    public synchronized void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    public synchronized int size() {
        return size;
    }

    /** The {@code p}-th percentile (0–100, nearest rank), or -1 with no samples. */
    public synchronized long percentile(double p) {
        if (size == 0) {
            return -1;
        }
        long[] s = Arrays.copyOf(values, size);
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return s[Math.max(0, Math.min(size - 1, rank - 1))];
    }
}
