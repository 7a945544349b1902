// Over 400 lines: one incremental state machine over RESP multibulk and inline requests, whose byte-level
// quirks must match redis-server's (byte parity with Redis is why it is hand-written, not a library's).
package io.shardline.examples.kv.resp;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Owned by one connection on one shard; not thread-safe. An incremental parser of Redis client
 * requests (RESP multibulk and inline): feed it each read with {@link #parse}; it hands every
 * complete request to a {@link RespRequestSink} and keeps a partial one for the next read.
 *
 * <p>It answers as Redis 7 does, checked against redis-server 7.0.15: the same requests, the same
 * protocol errors at the same points (see {@link RespProtocolError}), the same quirks. The CRLF
 * after a bulk argument and the byte after a header's CR are skipped unchecked; {@code *0} and
 * negative counts, and empty or blank inline lines, are ignored; a NUL byte inside a header or
 * inline line hides its terminator (Redis searches with strchr), so such a line is never complete
 * and ends in a "too big" error once the limit of pending bytes is passed. Like Redis, the "too
 * big" checks look at what is pending after a read, so they depend on how the stream is split into
 * reads only as much as Redis' do.
 *
 * <p>Memory: each input byte is copied once, into either the request buffer (headers, arguments
 * under 32 KiB) or, for a larger argument, an array of its own that the handler may keep without a
 * copy. A declared length is never allocated ahead of the data: a large argument's array starts at
 * min(length, 1 MiB) when its first byte arrives and doubles as bytes come (so an argument over
 * 1 MiB is copied again as it grows, less than once more per byte in all), ending exactly as long
 * as the argument. Buffers grown by a big request are dropped again between reads.
 */
public final class RespRequestParser {
    /** Arguments at least this long get an array of their own (Redis' PROTO_MBULK_BIG_ARG). */
    static final int BIG_ARG = 32 * 1024;
    /** First array of a large argument: its whole length up to this much. */
    static final int BIG_ARG_FIRST = 1 << 20;
    private static final int INITIAL_BUFFER = 1024;
    /** Buffer capacity kept between reads; a larger one is dropped once no request is in progress. */
    private static final int KEEP_BUFFER = 64 * 1024;
    private static final long ULLONG_MAX_DIV_10 = 1844674407370955161L;

    private enum State { START, INLINE, COUNT, BULK_HEADER, BULK_DATA, BIG_DATA, BIG_TRAILER, STUCK, FAILED }

    /** What reading a line came to: the whole line is in the buffer, more input is needed, or an error. */
    private static final int LINE_READ = 0;
    private static final int LINE_PENDING = 1;
    private static final int LINE_FAILED = 2;

    private RespLimits limits;
    private final RespArgs args = new RespArgs();
    private final InlineSplitter splitter = new InlineSplitter();
    private final ByteBuffer empty = ByteBuffer.allocate(0);

    private State state = State.START;
    /** The current request's small arguments, then the line being read, from index 0 to {@link #wpos}. */
    private byte[] buf = new byte[INITIAL_BUFFER];
    private int wpos;
    private int lineStart;
    /** Index in {@link #buf} of the terminator of the line at {@link #lineStart}, or -1 while not seen. */
    private int lineEnd = -1;
    private int argsLeft;
    private int bulkLen;
    private byte[] big;
    private int bigFill;
    /** Bytes in large arguments' arrays of the current request, counted against maxRequestBytes. */
    private long bigHeld;
    private int trailer;
    private RespProtocolError.Kind stuckKind;
    private long stuckPending;
    private boolean numberOk;
    private boolean paused;
    /** Input that arrived after the sink paused, kept because the caller's buffer is reused. */
    private ByteBuffer stash;
    private RespProtocolError error;
    private boolean unauthenticated;
    static final int UNAUTH_MAX_ARGS = 10;
    static final int UNAUTH_MAX_BULK = 16384;

    public RespRequestParser() {
        this(RespLimits.DEFAULT);
    }

    public RespRequestParser(RespLimits limits) {
        this.limits = limits;
    }

    /** New limits (CONFIG SET proto-max-bulk-len), checked from the next header read on. */
    public void limits(RespLimits limits) {
        this.limits = limits;
    }

    public RespLimits limits() {
        return limits;
    }

    /**
     * While true, requests are held to Redis' limits for clients that have not authenticated yet: at
     * most {@value #UNAUTH_MAX_ARGS} arguments and {@value #UNAUTH_MAX_BULK} bytes per argument, so a
     * stranger cannot make the server buffer much. Takes effect from the next request header on.
     */
    public void unauthenticated(boolean value) {
        unauthenticated = value;
    }

    /**
     * Consumes all of {@code in}, handing each complete request to {@code sink} in order, and returns
     * how many it handed. Stops early if the sink returns false (the rest of {@code in} is copied and
     * waits for {@link #resume}) or at a protocol error ({@link #error()} then says which; the
     * requests before it were handed over, as Redis runs them before replying the error).
     * After an error it refuses input: returns 0 and leaves {@code in} alone.
     */
    public int parse(ByteBuffer in, RespRequestSink sink) {
        if (error != null) {
            return 0;
        }
        ByteBuffer src = in;
        if (stash != null) {
            stash = appendTo(stash, in);
            src = stash;
        }
        paused = false;
        int delivered = run(src, sink);
        if (src == stash) {
            if (!stash.hasRemaining()) {
                stash = null;
            }
        } else if (paused && in.hasRemaining()) {
            stash = appendTo(ByteBuffer.allocate(in.remaining()).flip(), in);
        }
        if (state == State.START) {
            if (buf.length > KEEP_BUFFER) {
                buf = new byte[INITIAL_BUFFER];
            }
            splitter.shrink(KEEP_BUFFER);
        }
        return delivered;
    }

    /** Goes on after the sink paused, with the input kept since; returns how many requests it handed. */
    public int resume(RespRequestSink sink) {
        return parse(empty, sink);
    }

    /** The protocol error that stopped this parser, or null. */
    public RespProtocolError error() {
        return error;
    }

    /** Whether the sink paused parsing and input may be waiting for {@link #resume}. */
    public boolean isPaused() {
        return paused;
    }

    /** Whether part of a request has been read and the rest is awaited. */
    public boolean hasPartialRequest() {
        return state != State.START && state != State.FAILED;
    }

    /**
     * Bytes of memory the parser holds now: its buffers, the arrays of large arguments being received,
     * and kept input. What a declared but unsent length costs shows here.
     */
    public long memoryFootprint() {
        return buf.length + (long) splitter.capacity() + bigHeld + (stash == null ? 0 : stash.capacity());
    }

    private int run(ByteBuffer src, RespRequestSink sink) {
        int delivered = 0;
        while (true) {
            switch (state) {
                case START -> {
                    if (paused || !src.hasRemaining()) {
                        return delivered;
                    }
                    wpos = 0;
                    lineStart = 0;
                    lineEnd = -1;
                    state = src.get(src.position()) == '*' ? State.COUNT : State.INLINE;
                }
                case INLINE -> {
                    if (readLine(src, (byte) '\n', 0, RespProtocolError.Kind.TOO_BIG_INLINE_REQUEST) != LINE_READ) {
                        return delivered;
                    }
                    int end = lineEnd;
                    if (end > lineStart && buf[end - 1] == '\r') {
                        end--;
                    }
                    int n = splitter.split(buf, lineStart, end, args);
                    if (n < 0) {
                        args.clear();
                        fail(RespProtocolError.Kind.UNBALANCED_QUOTES, 0);
                        return delivered;
                    }
                    state = State.START;
                    if (n > 0) { // an empty or blank line is no request
                        delivered++;
                        paused = !deliver(sink);
                    }
                }
                case COUNT -> {
                    if (readLine(src, (byte) '\r', 1, RespProtocolError.Kind.TOO_BIG_MBULK_COUNT_STRING) != LINE_READ) {
                        return delivered;
                    }
                    long n = number(buf, lineStart + 1, lineEnd);
                    if (!numberOk || n > limits.maxMultibulkLength()) {
                        fail(RespProtocolError.Kind.INVALID_MULTIBULK_LENGTH, 0);
                        return delivered;
                    }
                    if (unauthenticated && n > UNAUTH_MAX_ARGS) {
                        fail(RespProtocolError.Kind.UNAUTHENTICATED_MULTIBULK_LENGTH, 0);
                        return delivered;
                    }
                    wpos = lineStart;
                    lineEnd = -1;
                    if (n <= 0) { // Redis takes *0 and *-1 as an empty request and skips it
                        state = State.START;
                    } else {
                        argsLeft = (int) n;
                        state = State.BULK_HEADER;
                    }
                }
                case BULK_HEADER -> {
                    if (readLine(src, (byte) '\r', 1, RespProtocolError.Kind.TOO_BIG_BULK_COUNT_STRING) != LINE_READ) {
                        return delivered;
                    }
                    byte first = buf[lineStart];
                    if (first != '$') {
                        fail(RespProtocolError.Kind.EXPECTED_DOLLAR, first);
                        return delivered;
                    }
                    long len = number(buf, lineStart + 1, lineEnd);
                    if (!numberOk || len < 0 || len > limits.maxBulkLength()) {
                        fail(RespProtocolError.Kind.INVALID_BULK_LENGTH, 0);
                        return delivered;
                    }
                    if (unauthenticated && len > UNAUTH_MAX_BULK) {
                        fail(RespProtocolError.Kind.UNAUTHENTICATED_BULK_LENGTH, 0);
                        return delivered;
                    }
                    wpos = lineStart; // the header is spent: the argument's bytes take its place
                    lineEnd = -1;
                    bulkLen = (int) len;
                    big = null;
                    bigFill = 0;
                    state = len >= BIG_ARG ? State.BIG_DATA : State.BULK_DATA;
                }
                case BULK_DATA -> {
                    int need = lineStart + bulkLen + 2 - wpos;
                    if (need > 0) {
                        int take = Math.min(need, src.remaining());
                        if (!append(src, take) || take < need) {
                            return delivered;
                        }
                    }
                    args.add(null, lineStart, bulkLen, false);
                    wpos = lineStart + bulkLen; // drop the CRLF, which Redis does not check either
                    if (argumentDone(sink)) {
                        delivered++;
                    }
                }
                case BIG_DATA -> {
                    int take = Math.min(bulkLen - bigFill, src.remaining());
                    if (take > 0) {
                        if ((big == null || big.length - bigFill < take) && !growBig(take)) {
                            return delivered;
                        }
                        src.get(src.position(), big, bigFill, take);
                        src.position(src.position() + take);
                        bigFill += take;
                    }
                    if (bigFill < bulkLen) {
                        return delivered;
                    }
                    args.add(big, 0, bulkLen, true);
                    big = null;
                    trailer = 2;
                    state = State.BIG_TRAILER;
                }
                case BIG_TRAILER -> {
                    int take = Math.min(trailer, src.remaining());
                    src.position(src.position() + take);
                    trailer -= take;
                    if (trailer > 0) {
                        return delivered;
                    }
                    if (argumentDone(sink)) {
                        delivered++;
                    }
                }
                case STUCK -> {
                    stuckPending += src.remaining();
                    src.position(src.limit());
                    if (stuckPending > limits.maxInlineSize()) {
                        fail(stuckKind, 0);
                    }
                    return delivered;
                }
                case FAILED -> {
                    return delivered;
                }
            }
        }
    }

    /**
     * Reads the line at {@link #lineStart} up to {@code term} and then {@code after} more bytes (Redis
     * steps over the byte after a header's CR without looking at it). Like Redis, it fails only when
     * no terminator is pending and more than maxInlineSize bytes are.
     */
    private int readLine(ByteBuffer src, byte term, int after, RespProtocolError.Kind tooBig) {
        if (lineEnd < 0) {
            int p = src.position();
            int lim = src.limit();
            int i = p;
            byte b = 0;
            while (i < lim && (b = src.get(i)) != term && b != 0) {
                i++;
            }
            if (i < lim && b == term) {
                if (!append(src, i + 1 - p)) {
                    return LINE_FAILED;
                }
                lineEnd = wpos - 1;
            } else {
                long pending = (long) (wpos - lineStart) + (lim - p);
                if (pending > limits.maxInlineSize()) {
                    fail(tooBig, 0);
                    return LINE_FAILED;
                }
                if (i < lim) { // a NUL: Redis' strchr stops there and will never see the terminator
                    stuckKind = tooBig;
                    stuckPending = pending;
                    src.position(lim);
                    wpos = lineStart;
                    state = State.STUCK;
                    return LINE_PENDING;
                }
                return append(src, lim - p) ? LINE_PENDING : LINE_FAILED;
            }
        }
        int need = lineEnd + 1 + after - wpos;
        if (need > 0) {
            int take = Math.min(need, src.remaining());
            if (!append(src, take)) {
                return LINE_FAILED;
            }
            if (take < need) {
                return LINE_PENDING;
            }
        }
        return LINE_READ;
    }

    /** Moves {@code k} bytes from {@code src} to the end of the buffer, growing it; false if over the limit. */
    private boolean append(ByteBuffer src, int k) {
        if (k == 0) {
            return true;
        }
        long need = (long) wpos + k;
        if (need + bigHeld > limits.maxRequestBytes() || need > RespLimits.MAX_ARRAY) {
            fail(RespProtocolError.Kind.REQUEST_TOO_LARGE, 0);
            return false;
        }
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(RespLimits.MAX_ARRAY, Math.max(need, 2L * buf.length)));
        }
        src.get(src.position(), buf, wpos, k);
        src.position(src.position() + k);
        wpos += k;
        return true;
    }

    /** Makes room for {@code take} more bytes of the large argument, never beyond its declared length. */
    private boolean growBig(int take) {
        long want = big == null ? Math.max(take, BIG_ARG_FIRST) : Math.max(bigFill + (long) take, 2L * big.length);
        int cap = (int) Math.min(bulkLen, want);
        long held = bigHeld - (big == null ? 0 : big.length) + cap;
        if (wpos + held > limits.maxRequestBytes()) {
            fail(RespProtocolError.Kind.REQUEST_TOO_LARGE, 0);
            return false;
        }
        big = big == null ? new byte[cap] : Arrays.copyOf(big, cap);
        bigHeld = held;
        return true;
    }

    /** One argument complete; true if that completed the request and it was handed over. */
    private boolean argumentDone(RespRequestSink sink) {
        if (--argsLeft > 0) {
            lineStart = wpos;
            lineEnd = -1;
            state = State.BULK_HEADER;
            return false;
        }
        state = State.START;
        paused = !deliver(sink);
        return true;
    }

    private boolean deliver(RespRequestSink sink) {
        args.bind(buf);
        try {
            return sink.onRequest(args);
        } finally {
            args.clear();
            args.bind(null);
            wpos = 0;
            bigHeld = 0;
        }
    }

    private void fail(RespProtocolError.Kind kind, int got) {
        error = new RespProtocolError(kind, (byte) got);
        state = State.FAILED;
        args.clear();
        big = null;
        bigHeld = 0;
        stash = null;
    }

    /**
     * Redis' string2ll over {@code b[from, to)}: optional '-', no '+', no leading zeros, no "-0", fewer
     * than 21 chars, within a long. Sets {@link #numberOk}.
     */
    private long number(byte[] b, int from, int to) {
        numberOk = false;
        int len = to - from;
        if (len <= 0 || len >= 21) {
            return 0;
        }
        if (len == 1 && b[from] == '0') {
            numberOk = true;
            return 0;
        }
        int p = from;
        boolean neg = b[p] == '-';
        if (neg && ++p == to) {
            return 0;
        }
        if (b[p] < '1' || b[p] > '9') {
            return 0;
        }
        long v = b[p++] - '0';
        for (; p < to && b[p] >= '0' && b[p] <= '9'; p++) { // v is unsigned, as Redis' unsigned long long
            if (Long.compareUnsigned(v, ULLONG_MAX_DIV_10) > 0) {
                return 0;
            }
            v *= 10;
            int d = b[p] - '0';
            if (Long.compareUnsigned(v, -1L - d) > 0) {
                return 0;
            }
            v += d;
        }
        if (p < to) {
            return 0;
        }
        if (neg) {
            if (Long.compareUnsigned(v, Long.MIN_VALUE) > 0) {
                return 0;
            }
            numberOk = true;
            return -v;
        }
        if (v < 0) {
            return 0;
        }
        numberOk = true;
        return v;
    }

    /** {@code dst} with all of {@code src} appended, in a larger buffer if needed; {@code dst} is in read mode. */
    private static ByteBuffer appendTo(ByteBuffer dst, ByteBuffer src) {
        if (!src.hasRemaining()) {
            return dst;
        }
        dst.compact();
        if (dst.remaining() < src.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(dst.position() + src.remaining(), 2 * dst.capacity()));
            bigger.put(dst.flip());
            dst = bigger;
        }
        dst.put(src);
        return dst.flip();
    }
}
