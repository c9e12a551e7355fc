package io.poolstate.eth.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** JSON-RPC over HTTP(S) POST with the JDK client. No subscriptions: heads are polled. */
public final class HttpTransport implements RpcTransport {
    private final RpcEndpoint endpoint;
    private final ObjectMapper mapper;
    private final HttpClient http;

    HttpTransport(RpcEndpoint endpoint, ObjectMapper mapper) {
        this.endpoint = endpoint;
        this.mapper = mapper;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public JsonNode exchange(String method, JsonNode payload, Duration timeout) {
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new RpcResponseFormatException(method, method + " could not be encoded: " + e.getMessage(), e);
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint.uri())
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new RpcTimeoutException(method, method + " timed out: endpoint=" + endpoint + " timeout=" + timeout.toMillis() + "ms");
        } catch (IOException e) {
            throw new RpcTransportException(method, method + " failed: endpoint=" + endpoint + " reason=" + endpoint.scrub(describe(e)), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcTransportException(method, method + " interrupted: endpoint=" + endpoint, false, e);
        }
        int status = response.statusCode();
        if (status != 200) {
            boolean transientStatus = status == 429 || status >= 500;
            String text = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
            throw new RpcTransportException(method, method + " failed: endpoint=" + endpoint + " http_status=" + status
                    + " body=" + endpoint.scrub(abbreviate(text)), transientStatus, null);
        }
        try {
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new RpcResponseFormatException(method, method + " answer is not JSON: endpoint=" + endpoint + " reason=" + e.getMessage(), e);
        }
    }

    @Override
    public RpcEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public boolean supportsSubscriptions() {
        return false;
    }

    @Override
    public void close() {
        http.close();
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 197) + "...";
    }
}
