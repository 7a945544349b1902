package io.shardline.examples.kv.resp;

/**
 * Where a command writes its reply, in the connection's protocol (RESP2, or RESP3 after
 * {@code HELLO 3}). Owned by the thread that executes the command; not thread-safe.
 *
 * <p>Aggregates are a header followed by their elements: {@code arrayHeader(2); bulk(a); bulk(b);}.
 * {@link RespWriter} is the sink that encodes to the wire; each method returns the sink so calls chain.
 */
public interface ReplySink {

    /** 2 or 3. */
    int protocol();

    /** {@code +text}: a status such as OK or PONG. */
    ReplySink simple(String text);

    /** {@code -text}: the whole error line without the dash, e.g. {@code "ERR syntax error"}. */
    ReplySink error(String text);

    /** {@code :value}. */
    ReplySink integer(long value);

    /** A bulk string. */
    ReplySink bulk(byte[] value);

    /** A bulk string of {@code value[offset, offset + length)}, e.g. an argument where it arrived. */
    default ReplySink bulk(byte[] value, int offset, int length) {
        return bulk(java.util.Arrays.copyOfRange(value, offset, offset + length));
    }

    /** A bulk string of the UTF-8 bytes of {@code value}. */
    ReplySink bulk(String value);

    /** The null bulk string (RESP2 {@code $-1}, RESP3 {@code _}). */
    ReplySink nullBulk();

    /** The null array (RESP2 {@code *-1}, RESP3 {@code _}). */
    ReplySink nullArray();

    /** An array of {@code count} elements follows. */
    ReplySink arrayHeader(long count);

    /** A map of {@code pairs} key/value pairs follows (RESP2: an array of 2 × pairs). */
    ReplySink mapHeader(long pairs);

    /** A set of {@code count} elements follows (RESP2: an array). */
    ReplySink setHeader(long count);

    /**
     * A double already spelled as Redis spells it for this reply (addReplyHumanLongDouble): a RESP3
     * double or, in RESP2, a bulk string of the same text.
     */
    default ReplySink doubleText(String text) {
        return protocol() == 3 ? doubleValue(Double.parseDouble(text)) : bulk(text);
    }

    /** A double (RESP3 {@code ,}; RESP2 a bulk string formatted as Redis formats scores). */
    ReplySink doubleValue(double value);

    /** A boolean (RESP3 {@code #t}/{@code #f}; RESP2 the integer 1 or 0). */
    ReplySink bool(boolean value);

    /**
     * Whether {@link #defer} takes the rest of the reply being written: only a connection's own writer
     * does, for a command it runs at once and alone (not inside EXEC, not for another shard).
     */
    default boolean canDefer() {
        return false;
    }

    /**
     * Hands over the rest of the reply being written, whose header is written already: the connection
     * writes it in slices over several loop passes. Only after {@link #canDefer} said yes.
     */
    default void defer(SlicedReply rest) {
        throw new IllegalStateException("this sink writes replies whole");
    }
}
