package io.poolstate.whales.analysis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** An analysis window, e.g. {@code 1h} = one hour back from the snapshot. */
public record Window(String name, Duration length) {
    public Window {
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("window must be positive: window=" + name);
        }
    }

    /** Parses {@code 30s}, {@code 15m}, {@code 1h}, {@code 24h}, {@code 7d}. */
    public static Window parse(String text) {
        String t = text.trim();
        if (t.length() < 2) {
            throw new IllegalArgumentException("bad window (want e.g. 1h, 24h, 7d): window=" + text);
        }
        long n;
        try {
            n = Long.parseLong(t.substring(0, t.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad window (want e.g. 1h, 24h, 7d): window=" + text, e);
        }
        Duration d = switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("bad window unit (s, m, h, d): window=" + text);
        };
        return new Window(t, d);
    }

    /** Parses a comma-separated list. */
    public static List<Window> parseList(String text) {
        List<Window> out = new ArrayList<>();
        for (String s : text.split(",")) {
            if (!s.isBlank()) {
                out.add(parse(s));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no windows given: windows=" + text);
        }
        return out;
    }
}
