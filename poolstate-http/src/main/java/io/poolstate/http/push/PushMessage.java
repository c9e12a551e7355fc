package io.poolstate.http.push;

/**
 * One message to a subscriber: {@code data} (one line of text, JSON in practice) is a WebSocket text frame, or a
 * Server-Sent Event with {@code event} as its type and {@code id} as its id (what a browser sends back as
 * {@code Last-Event-ID} when it reconnects; null for none).
 */
public record PushMessage(String event, String id, String data) {
    public PushMessage {
        if (data == null || data.indexOf('\n') >= 0 || data.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a push message is one line of text");
        }
    }
}
