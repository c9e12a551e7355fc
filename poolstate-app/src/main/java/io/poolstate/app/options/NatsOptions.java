package io.poolstate.app.options;

import io.poolstate.app.config.EnvVar;
import picocli.CommandLine.Option;

/** {@code --nats}: the NATS server(s). */
public final class NatsOptions {
    /** Where a local NATS listens. */
    public static final String LOCAL = "nats://127.0.0.1:4222";

    @EnvVar("POOLSTATE_NATS_URL")
    @Option(names = "--nats", paramLabel = "URL", description = "NATS server URL(s), comma-separated (default: " + LOCAL + "; env POOLSTATE_NATS_URL).")
    String url;

    /** {@code --nats}, else {@code fallback} (may be null: NATS off). */
    public String url(String fallback) {
        return url != null && !url.isBlank() ? url.trim() : fallback;
    }

    /** Whether {@code --nats} (or its variable or config key) was given. */
    public boolean given() {
        return url != null && !url.isBlank();
    }
}
