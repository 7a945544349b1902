package io.shardline.net.http;

import java.nio.charset.StandardCharsets;

/**
 * A request for {@link HttpClientConnection#send}: method, target, fields and a body given whole or
 * produced in parts. Built and sent on one shard; not thread-safe.
 *
 * <p>The codec adds {@code Host} (the connection's address) when absent, and writes
 * {@code Content-Length} or {@code Transfer-Encoding: chunked} itself.
 */
public final class ClientRequest {
    private static final byte[] EMPTY = new byte[0];
    private final String method;
    private final String target;
    private final HttpHeaders headers = new HttpHeaders();
    private byte[] body = EMPTY;
    private BodyProducer producer;
    private long producedLength = -1;

    private ClientRequest(String method, String target) {
        if (method.isEmpty() || !Ascii.isToken(method)) {
            throw new IllegalArgumentException("not a method: " + method);
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new IllegalArgumentException("request target must be encoded: " + target);
            }
        }
        if (target.isEmpty()) {
            throw new IllegalArgumentException("empty request target");
        }
        this.method = method;
        this.target = target;
    }

    public static ClientRequest of(String method, String target) {
        return new ClientRequest(method, target);
    }

    public static ClientRequest get(String target) {
        return new ClientRequest("GET", target);
    }

    public static ClientRequest head(String target) {
        return new ClientRequest("HEAD", target);
    }

    public static ClientRequest post(String target, byte[] body) {
        return new ClientRequest("POST", target).body(body);
    }

    public ClientRequest header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    public ClientRequest body(byte[] b) {
        this.body = b;
        this.producer = null;
        return this;
    }

    public ClientRequest body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A body produced in parts: chunked, or with a Content-Length when {@code length} is not -1. */
    public ClientRequest body(long length, BodyProducer p) {
        this.producer = p;
        this.producedLength = length;
        this.body = EMPTY;
        return this;
    }

    public String method() {
        return method;
    }

    public String target() {
        return target;
    }

    public HttpHeaders headers() {
        return headers;
    }

    byte[] fixedBody() {
        return body;
    }

    BodyProducer producer() {
        return producer;
    }

    long producedLength() {
        return producedLength;
    }

    @Override
    public String toString() {
        return method + " " + target;
    }
}
