package io.shardline.net.http;

import java.nio.charset.StandardCharsets;

/**
 * A response a handler returns: status, fields, and a body given whole or produced in parts. Built
 * and written on the connection's shard; not thread-safe. A response with a whole body and no
 * per-request fields may be shared by many requests of its shard (the codec only reads it).
 *
 * <p>The codec writes {@code Content-Length}, {@code Transfer-Encoding}, {@code Connection} and
 * {@code Date} itself; fields of those names set here are ignored but for {@code Date}.
 */
public final class HttpResponse {
    private static final byte[] EMPTY = new byte[0];
    private final int status;
    private final HttpHeaders headers = new HttpHeaders();
    private byte[] body = EMPTY;
    private BodyProducer producer;
    private long producedLength = -1;
    private boolean close;
    /** How often {@link ResponseHead} wrote this response's fields one by one. */
    private int fieldWrites;
    /** The fields as {@link ResponseHead} writes them, kept once the response is written again (it is shared). */
    private byte[] encodedFields;
    /** {@link HttpHeaders#version()} when {@link #encodedFields} was made. */
    private int encodedVersion;
    private boolean encodedHasDate;

    private HttpResponse(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must have three digits, was " + status);
        }
        this.status = status;
    }

    /** A response with {@code status} and no body. */
    public static HttpResponse status(int status) {
        return new HttpResponse(status);
    }

    /** 200 with a {@code text/plain; charset=utf-8} body. */
    public static HttpResponse ok(String text) {
        return text(200, text);
    }

    /** {@code status} with a {@code text/plain; charset=utf-8} body. */
    public static HttpResponse text(int status, String text) {
        return new HttpResponse(status).header("Content-Type", "text/plain; charset=utf-8")
                .body(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code status} with a body in one array (not copied: do not change it afterwards). */
    public static HttpResponse of(int status, String contentType, byte[] body) {
        return new HttpResponse(status).header("Content-Type", contentType).body(body);
    }

    /** Adds a field. */
    public HttpResponse header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    /** The whole body (not copied). */
    public HttpResponse body(byte[] b) {
        this.body = b;
        this.producer = null;
        return this;
    }

    /** A body produced in parts; sent chunked to an HTTP/1.1 client, until close to an HTTP/1.0 one. */
    public HttpResponse body(BodyProducer p) {
        return body(-1, p);
    }

    /** A body of exactly {@code length} bytes produced in parts, sent with a Content-Length. */
    public HttpResponse body(long length, BodyProducer p) {
        this.producer = p;
        this.producedLength = length;
        this.body = EMPTY;
        return this;
    }

    /** Asks for the connection to be closed after this response. */
    public HttpResponse closeConnection() {
        this.close = true;
        return this;
    }

    public int statusCode() {
        return status;
    }

    public HttpHeaders headers() {
        return headers;
    }

    /** The fields as last encoded, if this response was written before and they have not changed since; else null. */
    byte[] encodedFields() {
        return encodedFields != null && encodedVersion == headers.version() ? encodedFields : null;
    }

    /** Whether {@link #encodedFields()} holds a Date field. */
    boolean encodedHasDate() {
        return encodedHasDate;
    }

    /**
     * Counts a write of the fields one by one; true from the second on, when a shared response is worth
     * keeping encoded (a response made per request is written once and never pays for the copy).
     */
    boolean writtenBefore() {
        return ++fieldWrites > 1;
    }

    void encodedFields(byte[] fields, boolean hasDate) {
        this.encodedFields = fields;
        this.encodedVersion = headers.version();
        this.encodedHasDate = hasDate;
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

    boolean close() {
        return close;
    }

    @Override
    public String toString() {
        return status + " " + HttpStatus.reason(status);
    }
}
