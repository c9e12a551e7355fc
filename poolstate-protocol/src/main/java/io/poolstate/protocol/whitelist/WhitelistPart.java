package io.poolstate.protocol.whitelist;

/**
 * One NATS message of a whitelist update: the whole update ({@code parts == 1}) or part {@code part} of a list
 * split because it did not fit in one message. A split update is applied only when all its parts are in
 * ({@link WhitelistAssembler}).
 *
 * @param message this message's content: envelope fields and the pools of this part only
 * @param part    1-based
 * @param parts   how many messages the update was split into; 1 for a whole update
 */
public record WhitelistPart(WhitelistMessage message, int part, int parts) {
    public WhitelistPart {
        if (parts < 1 || part < 1 || part > parts) {
            throw new IllegalArgumentException("part must be within 1..parts: part=" + part + " parts=" + parts);
        }
    }

    /** A whole update. */
    public static WhitelistPart whole(WhitelistMessage m) {
        return new WhitelistPart(m, 1, 1);
    }

    public boolean isWhole() {
        return parts == 1;
    }
}
