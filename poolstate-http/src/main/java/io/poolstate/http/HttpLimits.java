package io.poolstate.http;

import java.time.Duration;

/**
 * Limits every HTTP server of the process shares (the JDK's server reads them once per process, when its first
 * server is created): how long a client may take to send a request ({@code requestTimeout}, which also closes a
 * connection that sends nothing), how long a response may take ({@code responseTimeout}), and how many connections
 * may be open at once ({@code maxConnections}; a further connection is closed at once, until one ends).
 * {@link #install} sets them before the first {@link ApiServer} starts; afterwards they are fixed.
 */
public record HttpLimits(Duration requestTimeout, Duration responseTimeout, int maxConnections) {
    /** 10 s to send a request, 60 s to answer, 256 connections. */
    public static final HttpLimits DEFAULT = new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(60), 256);

    private static HttpLimits installed;
    private static boolean frozen;

    public HttpLimits {
        if (requestTimeout == null || requestTimeout.toSeconds() < 1 || responseTimeout == null || responseTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("HTTP time-outs must be at least 1s: request=" + requestTimeout + " response=" + responseTimeout);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("HTTP connection limit must be at least 1: max_connections=" + maxConnections);
        }
    }

    /**
     * Makes {@code limits} the process's limits.
     *
     * @throws IllegalStateException when a server already started with different limits (they cannot change any more)
     */
    public static synchronized void install(HttpLimits limits) {
        if (frozen && !limits.equals(installed)) {
            throw new IllegalStateException("HTTP limits are fixed once the first server has started: in force=" + installed + " asked=" + limits);
        }
        installed = limits;
    }

    /** The limits in force, set as the JDK server's system properties on the first call; {@link #DEFAULT} if none were installed. */
    static synchronized HttpLimits freeze() {
        if (!frozen) {
            HttpLimits l = installed == null ? DEFAULT : installed;
            System.setProperty("sun.net.httpserver.maxReqTime", Long.toString(l.requestTimeout.toSeconds()));
            System.setProperty("sun.net.httpserver.maxRspTime", Long.toString(l.responseTimeout.toSeconds()));
            System.setProperty("jdk.httpserver.maxConnections", Integer.toString(l.maxConnections));
            installed = l;
            frozen = true;
        }
        return installed;
    }
}
