package io.poolstate.app.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/**
 * Durations as options take them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}, or ISO-8601
 * ({@code PT5M}).
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /**
     * Parses {@code value}.
     *
     * @throws IllegalArgumentException saying what forms are accepted
     */
    public static Duration parse(String value) {
        String t = value == null ? "" : value.trim();
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.length() >= 2) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                switch (t.charAt(t.length() - 1)) {
                    case 's': return Duration.ofSeconds(n);
                    case 'm': return Duration.ofMinutes(n);
                    case 'h': return Duration.ofHours(n);
                    case 'd': return Duration.ofDays(n);
                    default: break;
                }
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            // reported below
        }
        throw new IllegalArgumentException("not a duration (e.g. 500ms, 30s, 5m, 1h, 7d or PT5M): " + value);
    }
}
