package io.poolstate.protocol.whitelist;

/**
 * The two encodings of a whitelist message (spec section 1): pool ids only for the feed, full pool metadata for
 * the arena. Each has its NATS subject, {@code whitelist.pools.<chain>.minimal} / {@code .full}.
 */
public enum WhitelistFormat {
    /** {@code pools} as id strings. */
    MINIMAL("minimal"),
    /** {@code pools} as objects with tokens, fee, tick spacing, hooks, factory. */
    FULL("full");

    private final String suffix;

    WhitelistFormat(String suffix) {
        this.suffix = suffix;
    }

    /** The subject's last token and the message id's middle part: {@code minimal} or {@code full}. */
    public String suffix() {
        return suffix;
    }

    /** The format a subject carries, from its last token; null when it is neither. */
    public static WhitelistFormat ofSubject(String subject) {
        for (WhitelistFormat f : values()) {
            if (subject.endsWith("." + f.suffix)) {
                return f;
            }
        }
        return null;
    }
}
