package io.poolstate.arena;

import java.util.Locale;

/** Start-up phases, then live. */
public enum ArenaMode {
    /** Connected to the feed, keeping its blocks. */
    BUFFERING,
    /** Reading every pool at the pinned block. */
    SCRAPING,
    /** Applying the blocks that came after the pinned block. */
    REPLAYING,
    /** Applying each block as it ends. */
    LIVE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
