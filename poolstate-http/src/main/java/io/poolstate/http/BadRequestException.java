package io.poolstate.http;

/** The request is malformed or names bad parameters: answered 400 with this message, never 500. */
public final class BadRequestException extends RuntimeException {
    public BadRequestException(String message) {
        super(message);
    }
}
