package io.poolstate.app.options;

import io.poolstate.app.HostPort;
import io.poolstate.app.config.EnvVar;
import picocli.CommandLine.Option;

/** {@code --metrics HOST:PORT|off}: where a command serves Prometheus text; each command has its own default port. */
public final class MetricsOptions {
    @EnvVar("POOLSTATE_{COMMAND}_METRICS")
    @Option(names = "--metrics", paramLabel = "HOST:PORT", description = "Prometheus endpoint, or off (default: 127.0.0.1 and port 9464 for the feed, "
            + "9465 for the whitelist, 9466 for the whale tracker; env POOLSTATE_<COMMAND>_METRICS).")
    String metrics;

    /** The endpoint, {@code fallback} when not given, or null for {@code off}. */
    public HostPort endpoint(String fallback) {
        return HostPort.parseOrOff("--metrics", metrics != null && !metrics.isBlank() ? metrics.trim() : fallback);
    }
}
