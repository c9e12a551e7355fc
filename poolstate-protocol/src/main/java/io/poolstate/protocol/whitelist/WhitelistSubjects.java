package io.poolstate.protocol.whitelist;

import java.util.List;

/**
 * Where a chain's whitelist travels on NATS (spec section 1 and the README's wire format): its subjects, the
 * JetStream stream that stores them, message ids, and the headers that let a consumer find the newest full
 * list without reading the stream from its start. One truth for the publisher and every consumer.
 *
 * <ul>
 *   <li>{@value #UPDATE_HEADER}: {@code <type> <part>/<parts>}, e.g. {@code full 1/1}, {@code full 2/40},
 *       {@code add 1/1}.</li>
 *   <li>{@value #FULL_SEQ_HEADER}: the stream sequence of the first part of the newest complete full list on
 *       the subject, as of this message: where a consumer re-syncing from here starts reading. Absent on a full
 *       list complete in one message (the message itself is the start).</li>
 *   <li>{@value #CHAIN_ID_HEADER}: the chain id of the node the list was made from (decimal); a consumer whose node
 *       is on another chain refuses the message. Absent from older publishers' messages, which are taken.</li>
 * </ul>
 *
 * @param chain the chain name in the subjects, e.g. {@code ethereum}
 */
public record WhitelistSubjects(String chain) {
    /** The JetStream stream the publisher creates. */
    public static final String STREAM = "WHITELIST";
    /** What the stream captures: both formats and the progress notes, never {@code .sync} (requests). */
    public static final List<String> STREAM_SUBJECTS = List.of("whitelist.pools.*.minimal", "whitelist.pools.*.full", "whitelist.snapshots.>");
    public static final String UPDATE_HEADER = "Poolstate-Update";
    public static final String FULL_SEQ_HEADER = "Poolstate-Full-Seq";
    public static final String CHAIN_ID_HEADER = "Poolstate-Chain-Id";
    /** JetStream's de-duplication header. */
    public static final String MSG_ID_HEADER = "Nats-Msg-Id";

    public WhitelistSubjects {
        if (chain == null || chain.isEmpty() || chain.contains(".") || chain.contains("*") || chain.contains(">") || chain.contains(" ")) {
            throw new IllegalArgumentException("chain must be one subject token: chain=" + chain);
        }
    }

    /** The chain of a {@code whitelist.pools.<chain>.<suffix>} subject, or null. */
    public static WhitelistSubjects ofSubject(String subject) {
        String[] t = subject.split("\\.");
        return t.length == 4 && t[0].equals("whitelist") && t[1].equals("pools") ? new WhitelistSubjects(t[2]) : null;
    }

    public String subject(WhitelistFormat format) {
        return "whitelist.pools." + chain + "." + format.suffix();
    }

    /** Requests for the current list in full, answered by the publisher (not stored in the stream). */
    public String sync() {
        return "whitelist.pools." + chain + ".sync";
    }

    /**
     * {@code <snapshot_id>-<format>@<chain>} for a message that holds the whole update,
     * {@code <snapshot_id>-<format>-<i>of<n>@<chain>} for part i of n: JetStream de-duplicates per stream, and one
     * stream carries every format, part and chain, so all three must be in the id — two chains' snapshots taken in
     * the same millisecond would otherwise drop one another.
     */
    public String messageId(long snapshotId, WhitelistFormat format, int part, int parts) {
        return (parts == 1 ? snapshotId + "-" + format.suffix() : snapshotId + "-" + format.suffix() + "-" + part + "of" + parts) + "@" + chain;
    }

    /** The {@value #UPDATE_HEADER} value. */
    public static String updateHeader(UpdateType type, int part, int parts) {
        return type.wireName() + " " + part + "/" + parts;
    }

    /** Whether an {@value #UPDATE_HEADER} value names a full list complete in one message. */
    public static boolean isWholeFull(String updateHeader) {
        return "full 1/1".equals(updateHeader);
    }

    /** The snapshot id a message id names (with or without its {@code @<chain>}), or null when it is not one of ours. */
    public static Long snapshotOfMessageId(String messageId) {
        if (messageId == null) {
            return null;
        }
        int dash = messageId.indexOf('-');
        try {
            return dash > 0 ? Long.parseLong(messageId.substring(0, dash)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
