package io.shardline.net.http;

import java.net.SocketAddress;

/**
 * A request a server received: its head, parsed, and its body, arriving. Owned by the shard of the
 * connection it came on; not thread-safe: use it there (copy what must travel to another shard).
 *
 * <p>The head is one byte array the parser copied out of the receive buffer; the target's parts and
 * the header fields are slices of it, turned into Strings only when asked for.
 */
public final class HttpRequest {
    private final String method;
    private final String target;
    private final String path;
    private final String query;
    private final int minorVersion;
    private final HttpHeaders headers;
    private final String host;
    private final long contentLength;
    private final boolean chunked;
    private final boolean keepAlive;
    private final boolean expectContinue;
    private HttpBody body;
    private SocketAddress remoteAddress;
    private String[] params = NO_PARAMS;
    private static final String[] NO_PARAMS = new String[0];
    /** Run if the client goes away before the response is whole; null once run, or if none is set. */
    private Runnable onAbort;

    HttpRequest(String method, String target, String path, String query, int minorVersion, HttpHeaders headers,
                String host, long contentLength, boolean chunked, boolean keepAlive, boolean expectContinue) {
        this.method = method;
        this.target = target;
        this.path = path;
        this.query = query;
        this.minorVersion = minorVersion;
        this.headers = headers;
        this.host = host;
        this.contentLength = contentLength;
        this.chunked = chunked;
        this.keepAlive = keepAlive;
        this.expectContinue = expectContinue;
    }

    /** The method, as sent (methods are case-sensitive); the standard ones are shared constants. */
    public String method() {
        return method;
    }

    /** The request target as sent: origin-form ({@code /a?b}), absolute-form, or {@code *}. */
    public String target() {
        return target;
    }

    /** The target's path, still percent-encoded; {@code /} for an absolute-form target without one. */
    public String path() {
        return path;
    }

    /** The target's query without the {@code ?}, or null. */
    public String query() {
        return query;
    }

    /** 1 for HTTP/1.1, 0 for HTTP/1.0. */
    public int minorVersion() {
        return minorVersion;
    }

    public HttpHeaders headers() {
        return headers;
    }

    /** The authority: an absolute-form target's, else the Host field's; null for an HTTP/1.0 request without one. */
    public String host() {
        return host;
    }

    /** The body's declared length, 0 without a body, or -1 when it is chunked. */
    public long contentLength() {
        return chunked ? -1 : contentLength;
    }

    boolean chunked() {
        return chunked;
    }

    /** Whether the client wants the connection kept open after this exchange. */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** Whether the client waits for {@code 100 Continue} before sending the body; the server sends it when the body is first read. */
    public boolean expectContinue() {
        return expectContinue;
    }

    /** The body: read it as a stream of chunks, or {@link HttpBody#aggregate(long) whole}. Empty without one. */
    public HttpBody body() {
        return body;
    }

    void body(HttpBody b) {
        this.body = b;
    }

    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    void remoteAddress(SocketAddress a) {
        this.remoteAddress = a;
    }

    /**
     * Runs {@code action} once, on this shard, if the client goes away before this request's response
     * has been written whole: while the handler's future is pending, while the body is still being
     * written, or while the request body is still arriving. Work done for the client (an upstream
     * exchange, a computation) can stop there; a response completed after it is dropped. One action
     * per request: a later call replaces the earlier one.
     *
     * <p>Going away is the connection closing or failing, and also (only for a request that set an
     * action, as nginx's proxy does) the client ending its input with nothing more asked: the connection
     * is then closed without the rest of the response. Without an action, a client that shuts its output
     * still gets every answer (HTTP/1.1 allows that half-close).
     */
    public void onAbort(Runnable action) {
        this.onAbort = action;
    }

    /** Whether the handler asked to hear of the client leaving (so an end of input closes the connection). */
    boolean abortsOnClose() {
        return onAbort != null;
    }

    /** The client went away before the response was whole: runs the abort action, once. */
    void aborted() {
        Runnable a = onAbort;
        if (a != null) {
            onAbort = null;
            a.run();
        }
    }

    /** The value the router matched for {@code {name}} in the route's pattern ({@code "*"} for a trailing star), or null. */
    public String param(String name) {
        for (int i = 0; i < params.length; i += 2) {
            if (params[i].equals(name)) {
                return params[i + 1];
            }
        }
        return null;
    }

    void params(String[] nameValuePairs) {
        this.params = nameValuePairs;
    }

    @Override
    public String toString() {
        return method + " " + target + " HTTP/1." + minorVersion;
    }
}
