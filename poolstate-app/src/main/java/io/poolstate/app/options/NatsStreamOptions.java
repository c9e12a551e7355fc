package io.poolstate.app.options;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The limits every JetStream stream a command creates shares: the bytes it keeps and the window in which a message
 * id is published once only. The stream's copies are {@link NatsReplicaOptions}; the message count kept is each
 * command's own (the feed's stream counts all its messages, the whitelist's counts per subject).
 */
public final class NatsStreamOptions {
    @Option(names = "--stream-max-bytes", paramLabel = "BYTES", defaultValue = "1073741824",
            description = "JetStream stream this command creates: bytes kept, the oldest messages dropped first (default: ${DEFAULT-VALUE}).")
    long maxBytes;

    @Option(names = "--duplicate-window", paramLabel = "DURATION", defaultValue = "2m",
            description = "JetStream stream this command creates: a message id published again within this time is stored once, e.g. 2m (default: ${DEFAULT-VALUE}).")
    Duration duplicateWindow;

    /** Bytes the stream keeps ({@code -1}: no limit, where the command's stream allows it). */
    public long maxBytes() {
        return maxBytes;
    }

    /** The duplicate window, checked (not negative). */
    public Duration duplicateWindow() {
        if (duplicateWindow.isNegative()) {
            throw new IllegalArgumentException("--duplicate-window must not be negative: value=" + duplicateWindow);
        }
        return duplicateWindow;
    }
}
