package io.poolstate.eth.rpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** JSON-RPC over a WebSocket (JDK client). Messages may arrive in fragments; they are joined before parsing. */
public final class WebSocketTransport extends DuplexTransport {
    private final HttpClient http = HttpClient.newHttpClient();
    private final Object sendLock = new Object();
    private volatile WebSocket socket;

    WebSocketTransport(RpcEndpoint endpoint, ObjectMapper mapper) {
        super(endpoint, mapper);
    }

    @Override
    protected void connect(Duration timeout) throws Exception {
        socket = http.newWebSocketBuilder().connectTimeout(timeout)
                .buildAsync(endpoint.uri(), new Listener()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void sendText(String text, Duration timeout) throws Exception {
        synchronized (sendLock) {
            socket.sendText(text, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected void disconnect() {
        WebSocket s = socket;
        if (s != null) {
            s.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                try {
                    onMessage(mapper.readTree(message));
                } catch (Exception e) {
                    connectionLost(new IllegalStateException("unreadable message from node: " + HttpTransport.abbreviate(message), e));
                    webSocket.abort();
                    return null;
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            connectionLost(new IllegalStateException("websocket closed by node: status=" + statusCode + " reason=" + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            connectionLost(error);
        }
    }
}
