package io.poolstate.dex.pool;

import java.util.Locale;

/** The pool families we track. {@link #wireName()} is the spelling in NATS messages and the HTTP API. */
public enum Protocol {
    UNISWAP_V2("uniswap_v2"),
    UNISWAP_V3("uniswap_v3"),
    UNISWAP_V4("uniswap_v4");

    private final String wireName;

    Protocol(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /**
     * Reads the current spelling and older ones ({@code V2}, {@code UniswapV3}, {@code uniswap-v4}, ...).
     *
     * @throws IllegalArgumentException naming the value when it is none of them
     */
    public static Protocol parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("protocol is missing");
        }
        String t = text.trim().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(" ", "");
        return switch (t) {
            case "uniswapv2", "v2", "univ2" -> UNISWAP_V2;
            case "uniswapv3", "v3", "univ3" -> UNISWAP_V3;
            case "uniswapv4", "v4", "univ4" -> UNISWAP_V4;
            default -> throw new IllegalArgumentException("unknown protocol: value=" + text
                    + " (expected uniswap_v2, uniswap_v3 or uniswap_v4)");
        };
    }
}
