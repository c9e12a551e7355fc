package io.poolstate.eth.rpc;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where a node answers JSON-RPC: {@code http://}, {@code https://}, {@code ws://}, {@code wss://} or
 * {@code ipc:///absolute/path} (a Unix domain socket).
 */
public record RpcEndpoint(Kind kind, String url) {
    /** The transport family of an endpoint. */
    public enum Kind { HTTP, WEBSOCKET, IPC }

    public RpcEndpoint {
        if (kind == null || url == null) {
            throw new IllegalArgumentException("endpoint kind and url are required");
        }
    }

    /**
     * Parses an endpoint URL.
     *
     * @throws IllegalArgumentException naming the URL and the accepted schemes
     */
    public static RpcEndpoint parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("rpc url is empty; expected http://, https://, ws://, wss:// or ipc:///path");
        }
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return new RpcEndpoint(Kind.HTTP, checkUri(url));
        }
        if (lower.startsWith("ws://") || lower.startsWith("wss://")) {
            return new RpcEndpoint(Kind.WEBSOCKET, checkUri(url));
        }
        if (lower.startsWith("ipc://")) {
            String path = url.substring("ipc://".length());
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("ipc url needs an absolute path (ipc:///path/to/node.ipc): url=" + url);
            }
            return new RpcEndpoint(Kind.IPC, url);
        }
        throw new IllegalArgumentException("unsupported rpc url scheme: url=" + url
                + " (expected http://, https://, ws://, wss:// or ipc:///path)");
    }

    /** The socket path of an IPC endpoint. */
    public Path ipcPath() {
        if (kind != Kind.IPC) {
            throw new IllegalStateException("not an ipc endpoint: url=" + url);
        }
        return Path.of(url.substring("ipc://".length()));
    }

    public URI uri() {
        return URI.create(url);
    }

    private static String checkUri(String url) {
        try {
            URI u = URI.create(url);
            if (u.getHost() == null) {
                throw new IllegalArgumentException("rpc url has no host: url=" + url);
            }
            return url;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed rpc url: url=" + url + " reason=" + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return url;
    }
}
