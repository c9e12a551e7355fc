package io.poolstate.eth.rpc;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where a node answers JSON-RPC: {@code http://}, {@code https://}, {@code ws://}, {@code wss://} or
 * {@code ipc:///absolute/path} (a Unix domain socket). Providers put API keys in the path, the query or the user
 * part of the URL, so {@link #toString()} and every message built from an endpoint show only
 * {@link #redacted() scheme, host and port}; {@link #url()} is the full URL, for connecting only.
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
        throw new IllegalArgumentException("unsupported rpc url scheme: url=" + redact(url)
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
                throw new IllegalArgumentException("rpc url has no host: url=" + redact(url));
            }
            return url;
        } catch (IllegalArgumentException e) {
            // the JDK's reason quotes the whole URL: not repeated, nor kept as the cause
            throw new IllegalArgumentException("malformed rpc url: url=" + redact(url) + " (not a valid URI)");
        }
    }

    /** Scheme, host and port only: no user, password, path or query ({@code /***} marks a path left out). */
    public String redacted() {
        return redact(url);
    }

    /**
     * {@code url} without what may hold a secret: the user part, the path and the query become {@code ***}; an
     * {@code ipc://} path (a file, not a secret) stays. Text that is not a URL gives {@code <unparsable url>}.
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        if (url.regionMatches(true, 0, "ipc://", 0, 6)) {
            return url;
        }
        int scheme = url.indexOf("://");
        if (scheme <= 0) {
            return "<unparsable url>";
        }
        String rest = url.substring(scheme + 3);
        int end = 0;
        while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        String authority = rest.substring(0, end);
        int at = authority.lastIndexOf('@');
        String host = at < 0 ? authority : "***@" + authority.substring(at + 1);
        String tail = rest.substring(end);
        return url.substring(0, scheme) + "://" + host + (tail.isEmpty() || tail.equals("/") ? "" : "/***");
    }

    /** {@code text} with every occurrence of this endpoint's URL (or its secret parts) replaced by the redacted form. */
    public String scrub(String text) {
        if (text == null || kind == Kind.IPC) {
            return text;
        }
        String out = text.replace(url, redacted());
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            return out;
        }
        for (String secret : new String[] {u.getRawUserInfo(), u.getRawQuery(), u.getRawPath()}) {
            if (secret != null && secret.length() > 1) {
                out = out.replace(secret, "***");
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return redacted();
    }
}
