package io.poolstate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on 127.0.0.1 for the servers a test starts (the port is free when asked; a server binds it next). */
public final class LoopbackPorts {
    private LoopbackPorts() {
    }

    /** A port nothing listens on at this moment, chosen by the kernel from the ephemeral range. */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }
}
