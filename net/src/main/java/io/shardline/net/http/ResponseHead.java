package io.shardline.net.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes a server response's head into a connection's staging buffer: status line, the handler's
 * fields, then the fields the codec owns (Date, framing, Connection). Stateless, any thread; the
 * buffer belongs to the connection's shard.
 */
final class ResponseHead {
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);

    private ResponseHead() {
    }

    /**
     * Writes {@code r}'s head; {@code length} -2: no length field (1xx, 204, 304), -1: unknown (chunked
     * if {@code chunked}, else until close). The handler's framing and Connection fields are dropped:
     * the codec decides them.
     */
    static void write(Outbound out, HttpDate date, HttpResponse r, long length, boolean chunked, boolean close,
                      int minorVersion) {
        out.put(HttpStatus.statusLine(r.statusCode()));
        byte[] fields = r.encodedFields();
        boolean hasDate;
        if (fields != null) {
            out.put(fields);
            hasDate = r.encodedHasDate();
        } else if (r.writtenBefore()) {
            // A response written again is shared by many requests: its fields are kept encoded, once.
            ByteBuffer b = ByteBuffer.allocate(encodedLength(r.headers()));
            hasDate = encode(r.headers(), b);
            r.encodedFields(b.array(), hasDate);
            out.put(b.array());
        } else {
            hasDate = encode(r.headers(), out.room(encodedLength(r.headers())));
        }
        if (!hasDate) {
            out.put(date.line());
        }
        if (length >= 0) {
            out.put(CONTENT_LENGTH);
            out.putDecimal(length);
            out.crlf();
        } else if (chunked) {
            out.put(CHUNKED);
        }
        if (close) {
            out.put(CLOSE);
        } else if (minorVersion == 0) {
            out.put(KEEP_ALIVE); // an HTTP/1.0 client that asked to keep the connection is told it is kept
        }
        out.crlf();
    }

    /** The bytes {@link #encode} writes for {@code h}. */
    private static int encodedLength(HttpHeaders h) {
        int n = 0;
        for (int i = 0; i < h.size(); i++) {
            if (!codecOwned(h, i)) {
                n += h.encodedLength(i);
            }
        }
        return n;
    }

    /** Writes {@code h}'s fields but the codec's own into {@code b}; whether one of them is Date. */
    private static boolean encode(HttpHeaders h, ByteBuffer b) {
        boolean hasDate = false;
        for (int i = 0; i < h.size(); i++) {
            if (!codecOwned(h, i)) {
                hasDate |= h.nameIs(i, "date");
                h.encode(i, b);
            }
        }
        return hasDate;
    }

    private static boolean codecOwned(HttpHeaders h, int i) {
        return h.nameIs(i, "content-length") || h.nameIs(i, "transfer-encoding") || h.nameIs(i, "connection");
    }

    /** A short plain-text response for {@code status}, as the codec answers errors. */
    static HttpResponse error(int status) {
        return HttpResponse.text(status, HttpStatus.reason(status) + "\n");
    }
}
