package io.poolstate.http.push;

import io.poolstate.http.QueryString;
import java.util.Map;

/**
 * A subscriber's opening request: path, query, headers (names lowercase), and whether it is a WebSocket (else it reads
 * Server-Sent Events). {@code lastEventId}: the SSE {@code Last-Event-ID} header a reconnecting browser sends, or null.
 */
public record PushRequest(String path, QueryString query, Map<String, String> headers, boolean webSocket, String remote) {
    public String lastEventId() {
        return headers.get("last-event-id");
    }
}
