package io.poolstate.app.options;

import io.poolstate.app.config.DurationConverter;
import io.poolstate.http.HttpLimits;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Limits of every HTTP server the command runs (API and metrics): request and response time-outs, open connections. */
public final class HttpLimitOptions {
    @Option(names = "--http-request-timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "A client must send its request within this, or is disconnected (default: ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    @Option(names = "--http-response-timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "Longest time an answer may take (default: ${DEFAULT-VALUE}).")
    Duration responseTimeout;

    @Option(names = "--http-max-connections", paramLabel = "N", defaultValue = "256",
            description = "Open connections per process; more are refused until one closes (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    /** Makes these the process's limits (before any server starts). */
    public void install() {
        HttpLimits.install(new HttpLimits(requestTimeout, responseTimeout, maxConnections));
    }
}
