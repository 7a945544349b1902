package io.shardline.examples.kv.resp;

import java.nio.charset.StandardCharsets;

/**
 * Immutable; any thread. Why a {@link RespRequestParser} gave up on a connection, with the exact
 * error Redis 7 replies before it closes.
 *
 * @param kind which check failed
 * @param got  for {@link Kind#EXPECTED_DOLLAR}, the byte found instead of {@code $}; else 0
 */
public record RespProtocolError(Kind kind, byte got) {

    /** The checks of Redis' processInlineBuffer / processMultibulkBuffer, plus one of our own. */
    public enum Kind {
        /** {@code *} count not a number (Redis' string2ll rules) or above the limit. */
        INVALID_MULTIBULK_LENGTH("invalid multibulk length"),
        /** {@code $} length not a number, negative, or above the limit. */
        INVALID_BULK_LENGTH("invalid bulk length"),
        /** An argument header that does not start with {@code $}. */
        EXPECTED_DOLLAR(null),
        /** An inline line longer than the limit with no newline yet. */
        TOO_BIG_INLINE_REQUEST("too big inline request"),
        /** A {@code *} line longer than the limit with no CR yet. */
        TOO_BIG_MBULK_COUNT_STRING("too big mbulk count string"),
        /** A {@code $} line longer than the limit with no CR yet. */
        TOO_BIG_BULK_COUNT_STRING("too big bulk count string"),
        /** An inline line whose quotes do not close, or a closing quote followed by a non-space. */
        UNBALANCED_QUOTES("unbalanced quotes in request"),
        /** More than 10 arguments before AUTH on a server with a password (Redis 7's pre-auth limit). */
        UNAUTHENTICATED_MULTIBULK_LENGTH("unauthenticated multibulk length"),
        /** A bulk over 16 KiB before AUTH on a server with a password. */
        UNAUTHENTICATED_BULK_LENGTH("unauthenticated bulk length"),
        /** One request would hold more than {@link RespLimits#maxRequestBytes()}; Redis sends nothing. */
        REQUEST_TOO_LARGE(null);

        private final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    /** False only for {@link Kind#REQUEST_TOO_LARGE}: close without a reply. */
    public boolean hasReply() {
        return kind != Kind.REQUEST_TOO_LARGE;
    }

    /**
     * The error line without its dash and CRLF, e.g. {@code ERR Protocol error: invalid bulk length},
     * in the bytes Redis sends: the byte of "expected '$', got 'c'" is raw, CR and LF become a space.
     * Hand it to {@link RespWriter#error(byte[])}. Null if {@link #hasReply()} is false.
     */
    public byte[] replyText() {
        String m = message();
        return m == null ? null : m.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** As {@link #replyText()}, as a string of one char per byte (ISO-8859-1); for logs. */
    public String message() {
        if (kind == Kind.EXPECTED_DOLLAR) {
            // Redis' addReplyErrorFormat turns CR and LF into spaces so the reply stays one line.
            char c = got == '\r' || got == '\n' ? ' ' : (char) (got & 0xFF);
            return "ERR Protocol error: expected '$', got '" + c + "'";
        }
        return kind.text == null ? null : "ERR Protocol error: " + kind.text;
    }

    @Override
    public String toString() {
        return kind == Kind.REQUEST_TOO_LARGE ? "request larger than the limit" : message();
    }
}
