package io.poolstate.protocol.whitelist;

import java.util.Locale;

/** What a whitelist message does to the consumer's list. */
public enum UpdateType {
    /** Replaces the whole list. */
    FULL,
    /** Adds the listed pools. */
    ADD,
    /** Removes the listed pool ids. */
    REMOVE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@code full}/{@code add}/{@code remove}; a missing type (null) is a full list, as old publishers send. */
    public static UpdateType parse(String text) {
        if (text == null) {
            return FULL;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "full", "replace" -> FULL;
            case "add" -> ADD;
            case "remove" -> REMOVE;
            default -> throw new IllegalArgumentException("unknown update type: type=" + text + " (expected full, add or remove)");
        };
    }
}
