package io.shardline.net.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Finds a message body's bytes in a stream: a fixed length, chunked (RFC 9112 7.1, extensions ignored,
 * trailers parsed and kept) or until the connection closes. Owned by one connection's shard; not
 * thread-safe. Reused from message to message with {@link #reset}.
 *
 * <p>It never copies body bytes: {@link #next} says how many of the input's next bytes are body, and
 * the caller hands them on as a slice and advances past them.
 */
final class BodyDecoder {
    private static final int LENGTH = 0;
    private static final int SIZE = 1;
    private static final int DATA = 2;
    private static final int DATA_END = 3;
    private static final int TRAILERS = 4;
    private static final int UNTIL_CLOSE = 5;
    private static final int DONE = 6;
    /** Longest chunk-size line, extensions included (nginx and Go allow a few KiB). */
    private static final int MAX_SIZE_LINE = 4096;

    private int state = DONE;
    private long remaining;
    private long total;
    private long maxBody;
    private int maxTrailers;
    private HttpHeaders trailers;

    /** Starts a body of {@code length} bytes. */
    void fixed(long length, long maxBody) {
        start(maxBody, 0);
        remaining = length;
        state = length == 0 ? DONE : LENGTH;
    }

    /** Starts a chunked body whose trailers may take {@code maxTrailers} bytes. */
    void chunked(long maxBody, int maxTrailers) {
        start(maxBody, maxTrailers);
        state = SIZE;
    }

    /** Starts a body that ends when the input does. */
    void untilClose(long maxBody) {
        start(maxBody, 0);
        state = UNTIL_CLOSE;
    }

    private void start(long maxBody, int maxTrailers) {
        this.maxBody = maxBody;
        this.maxTrailers = maxTrailers;
        this.total = 0;
        this.trailers = null;
    }

    boolean done() {
        return state == DONE;
    }

    /** Body bytes decoded so far. */
    long total() {
        return total;
    }

    /** The trailer fields of a chunked body, once done; null if it had none. */
    HttpHeaders trailers() {
        return trailers;
    }

    /**
     * The number of body bytes at {@code in}'s position (at least 1), past any framing it consumed;
     * the caller advances {@code in} past them. 0 if more input is needed or the body is done.
     *
     * @throws HttpException 400 for bad chunk framing, 413 past the body limit
     */
    int next(ByteBuffer in) {
        while (true) {
            switch (state) {
                case LENGTH, DATA -> {
                    int n = (int) Math.min(remaining, in.remaining());
                    if (n == 0) {
                        return 0;
                    }
                    remaining -= n;
                    if (remaining == 0) {
                        state = state == LENGTH ? DONE : DATA_END;
                    }
                    return n;
                }
                case UNTIL_CLOSE -> {
                    int n = in.remaining();
                    count(n);
                    return n;
                }
                case SIZE -> {
                    if (!sizeLine(in)) {
                        return 0;
                    }
                }
                case DATA_END -> {
                    if (in.remaining() < 1) {
                        return 0;
                    }
                    int p = in.position();
                    byte b = in.get(p);
                    if (b == '\n') {
                        in.position(p + 1);
                    } else if (b == '\r') {
                        if (in.remaining() < 2) {
                            return 0;
                        }
                        if (in.get(p + 1) != '\n') {
                            throw new HttpException(400, "chunk data not followed by CRLF");
                        }
                        in.position(p + 2);
                    } else {
                        throw new HttpException(400, "chunk data not followed by CRLF");
                    }
                    state = SIZE;
                }
                case TRAILERS -> {
                    if (!trailerSection(in)) {
                        return 0;
                    }
                }
                default -> {
                    return 0;
                }
            }
        }
    }

    /** The input ended; throws unless the body could end there. */
    void inputEnded() {
        if (state == UNTIL_CLOSE) {
            state = DONE;
        } else if (state != DONE) {
            throw new HttpException(400, "connection closed inside a message body");
        }
    }

    private boolean sizeLine(ByteBuffer in) {
        byte[] a = in.array();
        int from = in.arrayOffset() + in.position();
        int to = in.arrayOffset() + in.limit();
        int eol = HeadParser.lineEnd(a, from, Math.min(to, from + MAX_SIZE_LINE));
        if (eol < 0) {
            if (to - from >= MAX_SIZE_LINE) {
                throw new HttpException(400, "chunk size line too long");
            }
            return false;
        }
        long size = 0;
        int i = from;
        for (; i < eol; i++) {
            int d = Character.digit(a[i], 16);
            if (d < 0) {
                break;
            }
            if (i - from >= 15) {
                throw new HttpException(400, "chunk size too large");
            }
            size = size << 4 | d;
        }
        if (i == from) {
            throw new HttpException(400, "bad chunk size");
        }
        // After the size: BWS, then ";" extensions (ignored), then CRLF.
        int end = eol > from && a[eol - 1] == '\r' ? eol - 1 : eol;
        while (i < end && (a[i] == ' ' || a[i] == '\t')) {
            i++;
        }
        if (i < end && a[i] != ';') {
            throw new HttpException(400, "bad chunk size");
        }
        for (int k = i; k < end; k++) {
            if (a[k] == '\r' || (a[k] & 0xff) < 0x20 && a[k] != '\t') {
                throw new HttpException(400, "bad chunk extension");
            }
        }
        in.position(eol + 1 - in.arrayOffset());
        if (size == 0) {
            state = TRAILERS;
        } else {
            count(size);
            remaining = size;
            state = DATA;
        }
        return true;
    }

    private boolean trailerSection(ByteBuffer in) {
        byte[] a = in.array();
        int from = in.arrayOffset() + in.position();
        int to = in.arrayOffset() + in.limit();
        if (to - from >= 1 && a[from] == '\n') {
            in.position(in.position() + 1);
            state = DONE;
            return true;
        }
        if (to - from >= 2 && a[from] == '\r' && a[from + 1] == '\n') {
            in.position(in.position() + 2);
            state = DONE;
            return true;
        }
        int end = HeadParser.findEnd(a, from, from, to);
        if (end < 0) {
            if (to - from > maxTrailers) {
                throw new HttpException(400, "trailer section longer than " + maxTrailers + " bytes");
            }
            return false;
        }
        byte[] t = Arrays.copyOfRange(a, from, end);
        trailers = HttpHeaders.parsed(t);
        HeadParser.parseFields(t, 0, trailers, maxTrailers);
        in.position(end - in.arrayOffset());
        state = DONE;
        return true;
    }

    private void count(long n) {
        total += n;
        if (total > maxBody) {
            throw new HttpException(413, "body longer than " + maxBody + " bytes");
        }
    }

    /**
     * Hands {@code body} what of it {@code inbound} holds, while its reader wants data, and ends it with
     * the trailers once the framing says it is complete: one loop for the server's and the client's bodies.
     */
    void pump(Inbound inbound, HttpBody body) {
        while (!body.isEnded() && body.wantsData()) {
            int n = next(inbound.buffer());
            if (n > 0) {
                body.deliver(inbound.take(n));
            } else if (done()) {
                body.end(trailers());
            } else {
                return;
            }
        }
    }
}
