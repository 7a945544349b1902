package io.shardline.net.http;

import java.nio.charset.StandardCharsets;

/**
 * Parses message heads (RFC 9112 sections 3 to 6) from bytes: the request line or status line and the
 * field lines, with the limits and the anti-smuggling rules; stateless, any thread.
 *
 * <p>Strict where leniency lets two parsers disagree on where a message ends: obs-fold, whitespace
 * before a colon, bare CR, Content-Length beside Transfer-Encoding, conflicting Content-Lengths, and
 * a Transfer-Encoding that does not end in chunked are all refused. Bare LF line ends are accepted
 * (RFC 9112 2.2 allows it) as they cannot change the framing.
 */
final class HeadParser {
    /** Bytes a request line may take beyond the target: the method, the version, spaces, CRLF. */
    static final int REQUEST_LINE_SLACK = 32;

    private HeadParser() {
    }

    /**
     * The index just past the blank line that ends a head starting at {@code from}, or -1 if the
     * head is not complete in {@code [from, to)}. {@code scanFrom} (at least {@code from}) is where
     * earlier calls left off, so bytes are scanned about once.
     */
    static int findEnd(byte[] a, int from, int scanFrom, int to) {
        for (int i = Math.max(from, scanFrom - 3); i < to; i++) {
            if (a[i] == '\n') {
                if (i + 1 < to && a[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < to && a[i + 1] == '\r' && a[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /** The index of the first LF in {@code [from, to)}, or -1. */
    static int lineEnd(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Checks an incomplete head in {@code [from, to)} against the limits: 414 while a request line
     * runs past the URI limit, 431 once the fields pass theirs.
     */
    static void checkIncomplete(byte[] a, int from, int to, int maxUri, int maxHeaders) {
        int eol = lineEnd(a, from, Math.min(to, from + maxUri + REQUEST_LINE_SLACK + 1));
        if (eol < 0) {
            if (to - from > maxUri + REQUEST_LINE_SLACK) {
                throw new HttpException(414, "request line longer than " + maxUri + " bytes");
            }
            return;
        }
        if (to - eol - 1 > maxHeaders) {
            throw new HttpException(431, "header fields longer than " + maxHeaders + " bytes");
        }
    }

    /** Parses a complete request head {@code h} (leading blank lines already skipped). */
    static HttpRequest parseRequest(byte[] h, int maxUri, int maxHeaders) {
        int eol = lineEnd(h, 0, h.length);
        int lineEndsAt = contentEnd(h, 0, eol);
        int sp1 = indexOf(h, ' ', 0, lineEndsAt);
        if (sp1 <= 0) {
            throw bad("no method in the request line");
        }
        for (int i = 0; i < sp1; i++) {
            if (!Ascii.isTchar(h[i])) {
                throw bad("bad method");
            }
        }
        int sp2 = indexOf(h, ' ', sp1 + 1, lineEndsAt);
        if (sp2 < 0) {
            throw bad("no version in the request line");
        }
        if (sp2 - sp1 - 1 > maxUri) {
            throw new HttpException(414, "request target longer than " + maxUri + " bytes");
        }
        if (sp2 == sp1 + 1) {
            throw bad("empty request target");
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            int b = h[i] & 0xff;
            if (b <= 0x20 || b == 0x7f) {
                throw bad("bad character in the request target");
            }
        }
        int minor = version(h, sp2 + 1, lineEndsAt);
        String method = method(h, sp1);
        String target = new String(h, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.ISO_8859_1);
        HttpHeaders headers = HttpHeaders.parsed(h);
        parseFields(h, eol + 1, headers, maxHeaders);

        String host = null;
        String path;
        int hostCount = 0;
        for (int i = 0; i < headers.size(); i++) {
            if (headers.nameIs(i, "host")) {
                hostCount++;
                host = headers.value(i);
            }
        }
        if (hostCount > 1) {
            throw bad("more than one Host field");
        }
        if (minor == 1 && hostCount == 0) {
            throw bad("HTTP/1.1 request without Host");
        }
        if (target.charAt(0) == '/') {
            path = target;
        } else if (startsWithIgnoreCase(target, "http://") || startsWithIgnoreCase(target, "https://")) {
            int a = target.indexOf("//") + 2;
            int end = a;
            while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
                end++;
            }
            if (end == a) {
                throw bad("absolute-form target without a host");
            }
            host = target.substring(a, end); // RFC 9112 3.2.2: the target's authority wins over Host
            path = end == target.length() ? "/" : target.charAt(end) == '?' ? "/" + target.substring(end) : target.substring(end);
        } else if (target.equals("*") && method.equals("OPTIONS")) {
            path = "*";
        } else {
            throw bad("unsupported request target form");
        }
        String query = null;
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }

        Framing f = Framing.of(headers, minor, true);
        boolean close = headers.containsToken("connection", "close");
        boolean keepAlive = minor == 1 ? !close : !close && headers.containsToken("connection", "keep-alive");
        boolean expect = false;
        int e = headers.indexOf("expect");
        if (e >= 0) {
            if (!headers.valueIs(e, "100-continue")) {
                throw new HttpException(417, "unsupported expectation");
            }
            expect = minor == 1 && (f.chunked() || f.length() > 0);
        }
        return new HttpRequest(method, target, path, query, minor, headers, host, Math.max(f.length(), 0), f.chunked(),
                keepAlive, expect);
    }

    /** A response head's parts; the client decides its framing, which depends on the request. */
    record StatusLine(int minorVersion, int status, String reason, HttpHeaders headers) {
    }

    /** Parses a complete response head {@code h}. */
    static StatusLine parseResponse(byte[] h, int maxHeaders) {
        int eol = lineEnd(h, 0, h.length);
        int end = contentEnd(h, 0, eol);
        if (end < 12 || h[8] != ' ' || (end > 12 && h[12] != ' ')) {
            throw new HttpException(502, "bad status line");
        }
        int minor = version(h, 0, 8);
        int status = 0;
        for (int i = 9; i < 12; i++) {
            if (h[i] < '0' || h[i] > '9') {
                throw new HttpException(502, "bad status code");
            }
            status = status * 10 + h[i] - '0';
        }
        if (status < 100) {
            throw new HttpException(502, "bad status code " + status);
        }
        String reason = end == 15 && h[13] == 'O' && h[14] == 'K' ? "OK" // the usual reason, shared
                : end > 13 ? new String(h, 13, end - 13, StandardCharsets.ISO_8859_1) : "";
        // Servers send more fields than clients (Date, Server, Content-Type, Content-Length and more): room for eight.
        HttpHeaders headers = HttpHeaders.parsed(h, 8);
        parseFields(h, eol + 1, headers, maxHeaders);
        return new StatusLine(minor, status, reason, headers);
    }

    /**
     * Parses field lines from {@code from} up to and including the blank line into {@code into}; used
     * for heads and for chunked trailers. Returns the index past the blank line.
     */
    static int parseFields(byte[] h, int from, HttpHeaders into, int maxBytes) {
        int at = from;
        while (true) {
            int eol = lineEnd(h, at, h.length);
            if (eol < 0) {
                throw bad("field section not terminated");
            }
            int end = contentEnd(h, at, eol);
            if (end == at) {
                if (eol + 1 - from > maxBytes + 2) {
                    throw new HttpException(431, "header fields longer than " + maxBytes + " bytes");
                }
                return eol + 1;
            }
            if (h[at] == ' ' || h[at] == '\t') {
                throw bad("obsolete line folding");
            }
            int colon = at;
            while (colon < end && h[colon] != ':') {
                if (!Ascii.isTchar(h[colon])) {
                    throw bad(h[colon] == ' ' || h[colon] == '\t' ? "whitespace before a colon" : "bad field name");
                }
                colon++;
            }
            if (colon == end || colon == at) {
                throw bad("field line without a name and colon");
            }
            int vs = colon + 1;
            while (vs < end && (h[vs] == ' ' || h[vs] == '\t')) {
                vs++;
            }
            int ve = end;
            while (ve > vs && (h[ve - 1] == ' ' || h[ve - 1] == '\t')) {
                ve--;
            }
            for (int i = vs; i < ve; i++) {
                int b = h[i] & 0xff;
                if ((b < 0x20 && b != '\t') || b == 0x7f) {
                    throw bad("control character in a field value");
                }
            }
            into.addSlice(at, colon, vs, ve);
            at = eol + 1;
        }
    }

    private static int version(byte[] h, int from, int to) {
        if (to - from != 8 || h[from] != 'H' || h[from + 1] != 'T' || h[from + 2] != 'T' || h[from + 3] != 'P'
                || h[from + 4] != '/' || h[from + 6] != '.' || !digit(h[from + 5]) || !digit(h[from + 7])) {
            throw bad("bad HTTP version");
        }
        if (h[from + 5] != '1' || h[from + 7] > '1') {
            throw new HttpException(505, "HTTP version not supported");
        }
        return h[from + 7] - '0';
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** The end of a line's content ending at LF {@code eol}: before its CR. A CR anywhere else is refused. */
    private static int contentEnd(byte[] h, int from, int eol) {
        int end = eol > from && h[eol - 1] == '\r' ? eol - 1 : eol;
        for (int i = from; i < end; i++) {
            if (h[i] == '\r') {
                throw bad("bare CR");
            }
        }
        return end;
    }

    private static int indexOf(byte[] h, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (h[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE", "CONNECT"};

    /** The method in {@code h[0, len)}, the shared constant for a standard one. */
    private static String method(byte[] h, int len) {
        if (len == 3 && h[0] == 'G' && h[1] == 'E' && h[2] == 'T') {
            return "GET"; // most requests: no walk over the table
        }
        for (String m : METHODS) {
            if (m.length() == len && matches(h, m)) {
                return m;
            }
        }
        return new String(h, 0, len, StandardCharsets.US_ASCII);
    }

    private static boolean matches(byte[] h, String m) {
        for (int i = 0; i < m.length(); i++) {
            if (h[i] != m.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    private static HttpException bad(String why) {
        return new HttpException(400, why);
    }
}
