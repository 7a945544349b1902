package io.shardline.examples.kv;

/**
 * Where a command writes its reply, in the connection's protocol (RESP2, or RESP3 after
 * {@code HELLO 3}). Owned by the thread that executes the command; not thread-safe.
 *
 * <p>Aggregates are a header followed by their elements: {@code arrayHeader(2); bulk(a); bulk(b);}.
 */
public interface ReplySink {

    /** 2 or 3. */
    int protocol();

    /** {@code +text}: a status such as OK or PONG. */
    void simple(String text);

    /** {@code -text}: the whole error line without the dash, e.g. {@code "ERR syntax error"}. */
    void error(String text);

    /** {@code :value}. */
    void integer(long value);

    /** A bulk string. */
    void bulk(byte[] value);

    /** A bulk string of the UTF-8 bytes of {@code value}. */
    void bulk(String value);

    /** The null bulk string (RESP2 {@code $-1}, RESP3 {@code _}). */
    void nullBulk();

    /** The null array (RESP2 {@code *-1}, RESP3 {@code _}). */
    void nullArray();

    /** An array of {@code count} elements follows. */
    void arrayHeader(int count);

    /** A map of {@code pairs} key/value pairs follows (RESP2: an array of 2 × pairs). */
    void mapHeader(int pairs);

    /** A set of {@code count} elements follows (RESP2: an array). */
    void setHeader(int count);

    /** A double (RESP3 {@code ,}; RESP2 a bulk string formatted as Redis formats scores). */
    void doubleValue(double value);

    /** A boolean (RESP3 {@code #t}/{@code #f}; RESP2 the integer 1 or 0). */
    void bool(boolean value);
}
