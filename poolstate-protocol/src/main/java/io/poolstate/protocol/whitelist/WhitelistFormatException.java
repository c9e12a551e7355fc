package io.poolstate.protocol.whitelist;

/** A whitelist payload that cannot be read; the message says where ({@code pools[3].token0}) and why. */
public final class WhitelistFormatException extends Exception {
    public WhitelistFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
