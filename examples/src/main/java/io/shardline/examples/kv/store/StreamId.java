package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.ReplySink;
import java.nio.charset.StandardCharsets;

/**
 * A stream entry id: two unsigned 64-bit halves, milliseconds and sequence, ordered as one 128-bit
 * number (Redis' streamID), with the parsing rules of t_stream.c. Immutable, any thread.
 */
record StreamId(long ms, long seq) implements Comparable<StreamId> {
    static final StreamId MIN = new StreamId(0, 0);
    static final StreamId MAX = new StreamId(-1L, -1L);
    static final String INVALID = "ERR Invalid stream ID specified as stream command argument";
    /** Redis copies an id argument into a 128-byte buffer: a longer one is invalid. */
    private static final int MAX_TEXT = 127;

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    boolean isZero() {
        return ms == 0 && seq == 0;
    }

    /** The next id, or null past the largest (streamIncrID's error). */
    StreamId next() {
        if (seq != -1L) {
            return new StreamId(ms, seq + 1);
        }
        return ms == -1L ? null : new StreamId(ms + 1, 0);
    }

    /** The previous id, or null before 0-0 (streamDecrID's error). */
    StreamId previous() {
        if (seq != 0) {
            return new StreamId(ms, seq - 1);
        }
        return ms == 0 ? null : new StreamId(ms - 1, -1L);
    }

    byte[] bytes() {
        return toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    /**
     * What a parse returns besides the id: for XADD, whether the sequence was given ({@code <ms>-*}
     * gives it as not given). Mutable scratch, owned by the caller.
     */
    static final class SeqGiven {
        boolean given = true;
    }

    /** {@code streamParseIDOrReply}: {@code -} and {@code +} allowed, a missing sequence is {@code missingSeq}. */
    static StreamId parse(byte[] s, long missingSeq, ReplySink out) {
        return parse(s, 0, missingSeq, false, null, out);
    }

    /** {@code streamParseStrictIDOrReply}: as {@link #parse} but {@code -} and {@code +} are invalid. */
    static StreamId parseStrict(byte[] s, long missingSeq, SeqGiven seqGiven, ReplySink out) {
        return parse(s, 0, missingSeq, true, seqGiven, out);
    }

    /**
     * {@code streamParseIntervalIDOrReply} followed by the increment or decrement of an exclusive
     * bound: {@code (id} excludes {@code id}. Null after replying an error. {@code start} says which
     * end it is, for the error text and the direction of the step.
     */
    static StreamId parseBound(byte[] s, long missingSeq, boolean start, ReplySink out) {
        boolean exclusive = s.length > 1 && s[0] == '(';
        StreamId id = exclusive ? parse(s, 1, missingSeq, true, null, out) : parse(s, 0, missingSeq, false, null, out);
        if (id == null || !exclusive) {
            return id;
        }
        StreamId stepped = start ? id.next() : id.previous();
        if (stepped == null) {
            out.error(start ? "ERR invalid start ID for the interval" : "ERR invalid end ID for the interval");
        }
        return stepped;
    }

    /** The id {@code s} spells, or null (no reply); for option loops that try an argument as an id first. */
    static StreamId tryParseStrict(byte[] s) {
        return parse(s, 0, 0, true, null, null);
    }

    private static StreamId parse(byte[] s, int from, long missingSeq, boolean strict, SeqGiven seqGiven, ReplySink out) {
        int end = from;
        while (end < s.length && s[end] != 0) {
            end++; // Redis reads the argument as a C string
        }
        if (s.length - from > MAX_TEXT) {
            return invalid(out);
        }
        int n = end - from;
        boolean special = n == 1 && (s[from] == '-' || s[from] == '+');
        if (strict && special) {
            return invalid(out);
        }
        if (seqGiven != null) {
            seqGiven.given = true;
        }
        if (special) {
            return s[from] == '-' ? MIN : MAX;
        }
        int dash = -1;
        for (int i = from; i < end; i++) {
            if (s[i] == '-') {
                dash = i;
                break;
            }
        }
        long[] ms = new long[1];
        if (!string2ull(s, from, dash < 0 ? end : dash, ms)) {
            return invalid(out);
        }
        long seq;
        if (dash >= 0) {
            if (seqGiven != null && end - dash == 2 && s[dash + 1] == '*') {
                seq = 0;
                seqGiven.given = false;
            } else {
                long[] q = new long[1];
                if (!string2ull(s, dash + 1, end, q)) {
                    return invalid(out);
                }
                seq = q[0];
            }
        } else {
            seq = missingSeq;
        }
        return new StreamId(ms[0], seq);
    }

    private static StreamId invalid(ReplySink out) {
        if (out != null) {
            out.error(INVALID);
        }
        return null;
    }

    /**
     * Redis' string2ull: a canonical integer must not be negative; anything else goes to strtoull,
     * which skips leading spaces, takes a sign (a minus wraps around) and fails on overflow or on
     * trailing bytes.
     */
    private static boolean string2ull(byte[] s, int from, int to, long[] value) {
        byte[] part = java.util.Arrays.copyOfRange(s, from, to);
        if (Numbers.isLong(part)) {
            long v = Numbers.toLong(part);
            if (v < 0) {
                return false;
            }
            value[0] = v;
            return true;
        }
        int i = from;
        while (i < to && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) {
            i++;
        }
        boolean negative = false;
        if (i < to && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            i++;
        }
        if (i == to) {
            return false; // no digits: strtoull leaves endptr at the start
        }
        long v = 0;
        for (; i < to; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
                return false; // ERANGE
            }
            v = v * 10 + d;
        }
        value[0] = negative ? -v : v;
        return true;
    }
}
