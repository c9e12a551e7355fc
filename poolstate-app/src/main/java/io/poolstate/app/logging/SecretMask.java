package io.poolstate.app.logging;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The secrets the launcher was given (API keys in RPC URLs, NATS tokens and passwords, Postgres passwords), so the
 * log format can replace any that a library still prints with {@code ***}. The components already print redacted
 * forms; this is the second line of defence for text they do not control (driver and client library messages,
 * exception traces). Process-wide; thread-safe.
 */
public final class SecretMask {
    /** Shorter values are not masked: they would mangle ordinary text. */
    static final int MIN_LENGTH = 4;
    private static final List<String> SECRETS = new CopyOnWriteArrayList<>();

    private SecretMask() {
    }

    /** Masks {@code secret} from now on (null, blank and very short values are ignored). */
    public static void register(String secret) {
        if (secret != null && secret.strip().length() >= MIN_LENGTH && !SECRETS.contains(secret)) {
            SECRETS.add(secret);
            SECRETS.sort((a, b) -> Integer.compare(b.length(), a.length())); // longest first: a secret may contain another
        }
    }

    /** {@code text} with every registered secret replaced by {@code ***}. */
    public static String apply(String text) {
        if (text == null || SECRETS.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : SECRETS) {
            if (out.contains(s)) {
                out = out.replace(s, "***");
            }
        }
        return out;
    }

    /** Forgets every secret (tests). */
    public static void clear() {
        SECRETS.clear();
    }
}
