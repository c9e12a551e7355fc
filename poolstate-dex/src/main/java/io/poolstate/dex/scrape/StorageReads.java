package io.poolstate.dex.scrape;

import java.util.Locale;

/**
 * How the scraper reads pool storage: through the storage lens ({@link io.poolstate.eth.lens.StorageLens}, an
 * {@code eth_call} state override: V3 slot0, liquidity, tick bitmap and ticks, V4 tick bitmap), through the contracts'
 * own getters and {@code extsload} ({@code calls}), or {@code auto}: probe once (a lens read of one pool's slot0
 * against its getter at the same block) and use the lens only when they are equal.
 */
public enum StorageReads {
    AUTO, LENS, CALLS;

    /** {@code auto}, {@code lens} or {@code calls}. */
    public static StorageReads parse(String s) {
        for (StorageReads r : values()) {
            if (r.name().equalsIgnoreCase(s.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException("storage reads must be auto, lens or calls: storage_reads=" + s);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
