package io.shardline.perf;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The replies one load connection of the {@code kv-features} suite expects, owned by the load
 * generator's thread and checked on it as they stream in: a RESP2 framer that finds where each top-level reply ends (in any split of the bytes over reads)
 * and compares its bytes with the expected reply's, with no allocation while they match. The
 * expected replies are a sequence said {@code once} (a SUBSCRIBE's confirmation), then a {@code cycle}
 * repeated (a transaction's +OK, +QUEUED, +QUEUED, EXEC's array). A reply either equals its expected
 * bytes, or, for an expectation made by {@link Reply#startingWith}, begins with them (PUBLISH's
 * integer, whose value is kept: {@link #integer()}). The first reply that differs ends the check
 * with a message saying what came instead of what.
 */
final class RespExpect {
    /** What a reply should be: {@code what} names it for messages ("EXEC"); {@code exact} or a prefix. */
    record Reply(String what, byte[] bytes, boolean exact) {
        static Reply of(String what, String resp) {
            return new Reply(what, Resp.ascii(resp), true);
        }

        static Reply startingWith(String what, String resp) {
            return new Reply(what, Resp.ascii(resp), false);
        }
    }

    /** Told of each reply that matched: its index in once + cycle (a cycle's replies repeat their indexes). */
    interface Listener {
        void matched(int index);
    }

    private static final int TYPE = 0;
    private static final int TEXT = 1;
    private static final int NUMBER = 2;
    private static final int LF = 3;
    private static final int BULK = 4;
    /** How much of a differing reply its message shows. */
    private static final int SHOWN = 200;

    private final Reply[] replies;
    private final int once;
    private int next;
    private long count;

    private int state = TYPE;
    private byte type;
    private long number;
    private boolean negative;
    private long bulkLeft;
    /** Elements still to come in each aggregate the parser is inside, outermost first. */
    private long[] open = new long[8];
    private int depth;
    private long integer;

    private byte[] expected;
    private boolean exact;
    private int matchedUpTo;
    private boolean differs;
    private final byte[] seen = new byte[SHOWN];
    private int seenLength;

    RespExpect(List<Reply> once, List<Reply> cycle) {
        if (cycle.isEmpty()) {
            throw new IllegalArgumentException("a cycle needs replies");
        }
        this.replies = new Reply[once.size() + cycle.size()];
        for (int i = 0; i < replies.length; i++) {
            replies[i] = i < once.size() ? once.get(i) : cycle.get(i - once.size());
        }
        this.once = once.size();
        for (Reply r : replies) {
            if (r.exact() && !oneReply(r.bytes())) {
                throw new IllegalArgumentException(r.what() + ": " + Resp.printable(r.bytes(), r.bytes().length)
                        + " is not one complete RESP2 reply");
            }
        }
        expect(0);
    }

    /** Whether {@code bytes} frame as exactly one complete reply. */
    private static boolean oneReply(byte[] bytes) {
        RespExpect any = new RespExpect(List.of(), List.of(new Reply("any", new byte[0], false)));
        return any.feed(ByteBuffer.wrap(bytes), i -> { }) == null && any.count == 1 && any.state == TYPE;
    }

    /** Replies that matched so far. */
    long count() {
        return count;
    }

    /** The value of the last top-level integer reply the framer read (a prefix expectation's always are). */
    long integer() {
        return integer;
    }

    /**
     * Reads all of {@code in}, telling {@code listener} of each reply that matched; returns null, or at
     * the first reply that did not (or bytes that are not RESP2) the message about it, after which
     * this checker is done with.
     */
    String feed(ByteBuffer in, Listener listener) {
        while (in.hasRemaining()) {
            if (state == TYPE && depth == 0 && exact && in.hasArray() && in.remaining() >= expected.length) {
                int at = in.arrayOffset() + in.position();
                if (Arrays.mismatch(in.array(), at, at + expected.length, expected, 0, expected.length) < 0) {
                    in.position(in.position() + expected.length);
                    replyMatched(listener);
                    continue;
                }
            }
            if (state == BULK && bulkLeft > 2) {
                // A bulk string's body: compared in one go, not byte by byte through the state machine.
                int n = (int) Math.min(in.remaining(), bulkLeft - 2);
                for (int i = 0; i < n; i++) {
                    see(in.get());
                }
                bulkLeft -= n;
                continue;
            }
            byte b = in.get();
            see(b);
            switch (state) {
                case TYPE -> {
                    type = b;
                    number = 0;
                    negative = false;
                    switch (b) {
                        case '+', '-' -> state = TEXT;
                        case ':', '$', '*' -> state = NUMBER;
                        default -> {
                            return "not a RESP2 reply for " + replies[next].what() + ": " + shown();
                        }
                    }
                }
                case TEXT -> {
                    if (b == '\r') {
                        state = LF;
                    }
                }
                case NUMBER -> {
                    if (b == '\r') {
                        state = LF;
                    } else if (b == '-' && number == 0 && !negative) {
                        negative = true;
                    } else if (b >= '0' && b <= '9') {
                        number = number * 10 + (b - '0');
                    } else {
                        return "a malformed number in the reply to " + replies[next].what() + ": " + shown();
                    }
                }
                case LF -> {
                    if (b != '\n') {
                        return "a reply line without its \\n, for " + replies[next].what() + ": " + shown();
                    }
                    String failure = lineDone(listener);
                    if (failure != null) {
                        return failure;
                    }
                }
                case BULK -> { // the \r\n after the body
                    if (--bulkLeft == 0) {
                        String failure = elementDone(listener);
                        if (failure != null) {
                            return failure;
                        }
                    }
                }
                default -> throw new IllegalStateException("state " + state);
            }
        }
        return null;
    }

    private String lineDone(Listener listener) {
        long n = negative ? -number : number;
        switch (type) {
            case '$' -> {
                if (n >= 0) {
                    bulkLeft = n + 2;
                    state = BULK;
                    return null;
                }
            }
            case '*' -> {
                if (n > 0) {
                    if (depth == open.length) {
                        open = Arrays.copyOf(open, depth * 2);
                    }
                    open[depth++] = n;
                    state = TYPE;
                    return null;
                }
            }
            case ':' -> {
                if (depth == 0) {
                    integer = n;
                }
            }
            default -> {
                // a simple string or an error: the line was all of it
            }
        }
        return elementDone(listener);
    }

    /** An element ended: it may end the aggregates around it, and the last of those the reply. */
    private String elementDone(Listener listener) {
        state = TYPE;
        while (depth > 0) {
            if (--open[depth - 1] > 0) {
                return null;
            }
            depth--;
        }
        Reply r = replies[next];
        if (differs || matchedUpTo < expected.length) {
            return r.what() + " answered " + shown() + " instead of " + (r.exact() ? "" : "a reply starting with ")
                    + Resp.printable(r.bytes(), r.bytes().length) + " (after " + count + " matching replies)";
        }
        replyMatched(listener);
        return null;
    }

    private void replyMatched(Listener listener) {
        count++;
        int index = next;
        expect(next + 1 < replies.length ? next + 1 : once);
        listener.matched(index);
    }

    private void expect(int index) {
        next = index;
        expected = replies[index].bytes();
        exact = replies[index].exact();
        matchedUpTo = 0;
        differs = false;
        seenLength = 0;
    }

    private void see(byte b) {
        if (seenLength < SHOWN) {
            seen[seenLength++] = b;
        }
        if (!differs) {
            if (matchedUpTo < expected.length) {
                if (expected[matchedUpTo] == b) {
                    matchedUpTo++;
                } else {
                    differs = true;
                }
            } else if (exact) {
                differs = true;
            }
        }
    }

    private String shown() {
        return Resp.printable(seen, seenLength) + (seenLength == SHOWN ? "..." : "");
    }
}
