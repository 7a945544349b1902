package io.shardline.net.http;

/**
 * How a message's body is delimited (RFC 9112 6.1-6.3): {@code chunked}, else {@code length} bytes,
 * -1 when no length is given (no body for a request, read until close for a response). Immutable.
 *
 * <p>Built by {@link #of}, which refuses what could let two parsers disagree on where a message
 * ends: Content-Length beside Transfer-Encoding, Content-Length values that differ, and a request
 * whose codings do not end in chunked.
 */
record Framing(boolean chunked, long length) {

    /**
     * The framing the fields give (RFC 9112 6.1-6.3), refusing what could smuggle a second message.
     * For a response whose codings do not end in chunked, {@code length} is -1: read until close.
     */
    static Framing of(HttpHeaders headers, int minor, boolean request) {
        long length = -1;
        boolean te = false;
        int codings = 0; // bit 1: some coding other than chunked; bit 2: the last one is chunked; bit 4: chunked not last
        for (int i = 0; i < headers.size(); i++) {
            if (headers.nameIs(i, "content-length")) {
                length = contentLength(headers, i, length);
            } else if (headers.nameIs(i, "transfer-encoding")) {
                te = true;
                codings = transferCodings(headers, i, codings);
            }
        }
        if (!te) {
            return new Framing(false, length);
        }
        if (length >= 0 && request) {
            throw bad("both Content-Length and Transfer-Encoding");
        }
        if (minor == 0 && request) {
            throw bad("Transfer-Encoding in an HTTP/1.0 message");
        }
        if ((codings & 4) != 0 || (codings & 2) == 0) {
            if (request) {
                throw bad("Transfer-Encoding does not end in chunked");
            }
            return new Framing(false, -1);
        }
        if ((codings & 1) != 0) {
            // RFC 9112 6.1: a coding the recipient does not understand gets 501 (Not Implemented); we
            // decode chunked only, and pass no other coding through undecoded
            throw new HttpException(request ? 501 : 502, "unsupported transfer coding");
        }
        return new Framing(true, -1);
    }

    /** Folds the codings listed in field {@code i} into {@code codings} (bits as in {@link #of}). */
    private static int transferCodings(HttpHeaders headers, int i, int codings) {
        byte[] b = headers.bytes();
        int at = headers.valueStart(i);
        int to = headers.valueEnd(i);
        boolean any = false;
        while (at <= to) {
            int s = at;
            while (at < to && b[at] != ',') {
                at++;
            }
            int e = trimEnd(b, s, at);
            s = trimStart(b, s, e);
            at++;
            if (s == e) {
                continue; // empty list elements are allowed and ignored (RFC 9110 5.6.1)
            }
            any = true;
            if ((codings & 2) != 0) {
                codings |= 4; // something follows chunked
            }
            if (e - s == 7 && Ascii.equalsIgnoreCase(b, s, "chunked")) {
                codings |= 2;
            } else {
                int t = s;
                while (t < e && Ascii.isTchar(b[t])) {
                    t++;
                }
                if (t == s) {
                    throw bad("bad transfer coding");
                }
                codings = (codings | 1) & ~2;
            }
        }
        if (!any) {
            throw bad("empty Transfer-Encoding");
        }
        return codings;
    }

    /** Where {@code b[s, e)}, an element of a comma list, starts once its leading OWS is skipped. */
    private static int trimStart(byte[] b, int s, int e) {
        while (s < e && (b[s] == ' ' || b[s] == '\t')) {
            s++;
        }
        return s;
    }

    /** Where {@code b[s, e)} ends once its trailing OWS is cut. */
    private static int trimEnd(byte[] b, int s, int e) {
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
            e--;
        }
        return e;
    }

    /** The length field {@code i} gives, checked against {@code sofar} (-1 if none yet): all must agree. */
    private static long contentLength(HttpHeaders headers, int i, long sofar) {
        byte[] b = headers.bytes();
        int at = headers.valueStart(i);
        int to = headers.valueEnd(i);
        long result = sofar;
        while (at <= to) {
            int s = at;
            while (at < to && b[at] != ',') {
                at++;
            }
            int e = trimEnd(b, s, at);
            s = trimStart(b, s, e);
            at++;
            if (s == e || e - s > 18) {
                throw bad("bad Content-Length");
            }
            long v = 0;
            for (int k = s; k < e; k++) {
                if (b[k] < '0' || b[k] > '9') {
                    throw bad("bad Content-Length");
                }
                v = v * 10 + b[k] - '0';
            }
            if (result >= 0 && v != result) {
                throw bad("conflicting Content-Length values");
            }
            result = v;
        }
        return result;
    }

    private static HttpException bad(String why) {
        return new HttpException(400, why);
    }
}
