package io.poolstate.nats;

import io.poolstate.protocol.whitelist.WhitelistMessage;
import java.util.List;

/**
 * Receives a whitelist subject's messages from a {@link WhitelistSubscription}, on the subscription's delivery
 * thread. The sink folds them (with {@link io.poolstate.protocol.whitelist.WhitelistFold}) and says when it
 * needs a re-sync.
 */
public interface WhitelistSink {
    /** The stored messages from the latest full list on, in order, after (re)subscribing or a re-sync. */
    void resynced(List<WhitelistMessage> fromLatestFull);

    /** A message published after the re-sync. */
    void live(WhitelistMessage message);

    /** True when a gap was found and the latest full list should be fetched again. */
    boolean needsResync();

    /** A message that could not be read: counted by the sink; {@code reason} says what is wrong. */
    void malformed(String subject, String reason);
}
