package io.poolstate.app;

/** A {@code HOST:PORT} option value (port 0: any free port). */
public record HostPort(String host, int port) {
    /**
     * Parses {@code spec} given to {@code option}.
     *
     * @throws IllegalArgumentException naming the option and the value when it is not HOST:PORT with a port 0..65535
     */
    public static HostPort parse(String option, String spec) {
        int colon = spec == null ? -1 : spec.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(option + " must be HOST:PORT: value=" + spec);
        }
        int port;
        try {
            port = Integer.parseInt(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " port is not a number: value=" + spec, e);
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(option + " port must be 0..65535: value=" + spec);
        }
        return new HostPort(spec.substring(0, colon), port);
    }

    /** As {@link #parse}, or null for {@code off}. */
    public static HostPort parseOrOff(String option, String spec) {
        return spec == null || spec.equalsIgnoreCase("off") ? null : parse(option, spec);
    }
}
