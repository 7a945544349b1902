package io.shardline.net.http;

import java.nio.charset.StandardCharsets;

/**
 * Reason phrases and pre-encoded status lines; stateless, any thread.
 *
 * <p>The status lines of the common codes are encoded once, so writing a response head copies bytes
 * and allocates nothing.
 */
public final class HttpStatus {
    private static final byte[][] LINES = new byte[600][];

    static {
        for (int code = 100; code < 600; code++) {
            String reason = reason(code);
            if (!reason.isEmpty()) {
                LINES[code] = ("HTTP/1.1 " + code + " " + reason + "\r\n").getBytes(StandardCharsets.US_ASCII);
            }
        }
    }

    private HttpStatus() {
    }

    /** The RFC 9110 reason phrase of {@code code}, or "" for a code it does not name. */
    public static String reason(int code) {
        return switch (code) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 417 -> "Expectation Failed";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "";
        };
    }

    /** {@code "HTTP/1.1 <code> <reason>\r\n"}, shared: do not modify. */
    static byte[] statusLine(int code) {
        byte[] line = code >= 100 && code < 600 ? LINES[code] : null;
        if (line == null) {
            if (code < 100 || code > 999) {
                throw new IllegalArgumentException("status must have three digits, was " + code);
            }
            line = ("HTTP/1.1 " + code + " \r\n").getBytes(StandardCharsets.US_ASCII);
        }
        return line;
    }

    /** Whether a response with {@code code} never has a body (1xx, 204, 304). */
    static boolean bodyless(int code) {
        return code < 200 || code == 204 || code == 304;
    }
}
