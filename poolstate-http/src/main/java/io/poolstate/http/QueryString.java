package io.poolstate.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A request's query parameters, decoded; malformed encodings and repeated names are {@link BadRequestException}s. */
public final class QueryString {
    private final Map<String, String> values;

    private QueryString(Map<String, String> values) {
        this.values = values;
    }

    /** Parses a raw (still percent-encoded) query; null or empty gives no parameters. */
    public static QueryString parse(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return new QueryString(out);
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = decode(eq < 0 ? part : part.substring(0, eq));
            String v = eq < 0 ? "" : decode(part.substring(eq + 1));
            if (out.putIfAbsent(k, v) != null) {
                throw new BadRequestException("query parameter given twice: name=" + k);
            }
        }
        return new QueryString(out);
    }

    /** Parameters given as name and value (a JSON request's fields, say), in their order. */
    public static QueryString of(Map<String, String> values) {
        return new QueryString(new LinkedHashMap<>(values));
    }

    /** The value of {@code name}, or null. */
    public String get(String name) {
        return values.get(name);
    }

    public String getOrDefault(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** {@code name} as an integer within {@code [min, max]}, or {@code fallback} when absent. */
    public int intParam(String name, int fallback, int min, int max) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new BadRequestException(name + " must be " + min + ".." + max + ": " + name + "=" + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequestException(name + " is not a number: " + name + "=" + v);
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("malformed query encoding: " + e.getMessage());
        }
    }
}
