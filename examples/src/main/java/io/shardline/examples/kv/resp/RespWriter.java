package io.shardline.examples.kv.resp;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Owned by one connection on one shard; not thread-safe. Encodes replies in RESP2 or RESP3, byte for
 * byte as Redis 7 does, into a buffer it owns and reuses between flushes.
 *
 * <p>Use: write replies, {@link #take()} the bytes and hand them to the connection (which copies what
 * the socket does not take at once), then {@link #clear()}. The protocol can change between replies
 * ({@code HELLO 3}); aggregates are a header followed by their elements. Numbers are written as
 * digits straight into the buffer: no String, no allocation once the buffer is big enough.
 *
 * <p>Text given as a String is sent as UTF-8. Simple strings and errors must be one line, so CR and
 * LF in them are sent as spaces, as Redis' addReplyErrorFormat does.
 */
public final class RespWriter implements ReplySink {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NULL3 = {'_', '\r', '\n'};
    private static final byte[] NULL_BULK2 = {'$', '-', '1', '\r', '\n'};
    private static final byte[] NULL_ARRAY2 = {'*', '-', '1', '\r', '\n'};
    private static final byte[] TRUE3 = {'#', 't', '\r', '\n'};
    private static final byte[] FALSE3 = {'#', 'f', '\r', '\n'};
    private static final byte[] ONE2 = {':', '1', '\r', '\n'};
    private static final byte[] ZERO2 = {':', '0', '\r', '\n'};

    private final boolean direct;
    private final int initialCapacity;
    /** A buffer grown past this is replaced by a fresh one on {@link #clear()}, so one huge reply does not pin memory. */
    private final int keepCapacity;
    private ByteBuffer out;
    private boolean taken;
    private int protocol = 2;
    private DoubleFormat doubleFormat = DoubleFormat.REDIS_7_2;
    private final byte[] num = new byte[Math.max(Digits.MAX_LONG_CHARS, DoubleFormat.MAX_CHARS) + 4];
    private final byte[] digitScratch = new byte[DoubleFormat.SCRATCH];
    /** Set by the connection around a command it runs at once and alone: then {@link #defer} is taken. */
    private boolean acceptSlices;
    private SlicedReply deferred;

    /** A heap buffer of 16 KiB, kept up to 1 MiB. */
    public RespWriter() {
        this(16 * 1024, 1 << 20, false);
    }

    /**
     * @param initialCapacity bytes to start with
     * @param keepCapacity    largest buffer kept across {@link #clear()}
     * @param direct          a direct buffer (saves the socket write a copy) or a heap one
     */
    public RespWriter(int initialCapacity, int keepCapacity, boolean direct) {
        if (initialCapacity < 16 || keepCapacity < initialCapacity) {
            throw new IllegalArgumentException("need 16 <= initialCapacity <= keepCapacity, was "
                    + initialCapacity + ", " + keepCapacity);
        }
        this.direct = direct;
        this.initialCapacity = initialCapacity;
        this.keepCapacity = keepCapacity;
        this.out = allocate(initialCapacity);
    }

    /** A writer for one reply that travels as bytes (between shards, into a pipeline's queue): 64 bytes to start. */
    public static RespWriter forReply(int protocol) {
        RespWriter w = new RespWriter(64, 1 << 20, false);
        w.protocol(protocol);
        return w;
    }

    /** One error reply as bytes; errors are spelled the same in RESP2 and RESP3. */
    public static byte[] errorBytes(String text) {
        return forReply(2).error(text).toByteArray();
    }

    /** 2 or 3. */
    @Override
    public int protocol() {
        return protocol;
    }

    /** Switches the encoding of the replies written from now on, as {@code HELLO 2|3} does. */
    public void protocol(int version) {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("protocol must be 2 or 3, was " + version);
        }
        protocol = version;
    }

    /** How doubles are spelled: {@link DoubleFormat#REDIS_7_2} by default. */
    public void doubleFormat(DoubleFormat format) {
        doubleFormat = Objects.requireNonNull(format);
    }

    public DoubleFormat doubleFormat() {
        return doubleFormat;
    }

    // ---- replies ----

    /** {@code +text\r\n}, e.g. OK or PONG. */
    @Override
    public RespWriter simple(String text) {
        return line('+', text);
    }

    /** {@code -text\r\n}: the whole error, code included, e.g. {@code "ERR syntax error"}. */
    @Override
    public RespWriter error(String text) {
        return line('-', text);
    }

    /** {@code -text\r\n} from bytes sent as they are (but CR, LF as spaces), e.g. {@link RespProtocolError#replyText()}. */
    public RespWriter error(byte[] text) {
        ensure(text.length + 3);
        out.put((byte) '-');
        for (byte b : text) {
            out.put(b == '\r' || b == '\n' ? (byte) ' ' : b);
        }
        out.put(CRLF);
        return this;
    }

    /** {@code :value\r\n}. */
    @Override
    public RespWriter integer(long value) {
        return number(':', value);
    }

    /** {@code $len\r\nbytes\r\n}. */
    @Override
    public RespWriter bulk(byte[] value) {
        return bulk(value, 0, value.length);
    }

    public RespWriter bulk(byte[] value, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, value.length);
        number('$', length);
        ensure(length + 2);
        out.put(value, offset, length).put(CRLF);
        return this;
    }

    /** A bulk string of the UTF-8 bytes of {@code value}, encoded straight into the buffer. */
    @Override
    public RespWriter bulk(String value) {
        int len = Utf8.length(value);
        number('$', len);
        ensure(len + 2);
        Utf8.encode(value, out, false);
        out.put(CRLF);
        return this;
    }

    /**
     * Only the {@code $len\r\n} of a bulk string: the caller then sends {@code len} bytes itself (a large
     * value, without copying it here) followed by {@link #crlf()}.
     */
    public RespWriter bulkHeader(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("bulk length must not be negative, was " + length);
        }
        return number('$', length);
    }

    /** The CRLF that ends a bulk string begun with {@link #bulkHeader(long)}. */
    public RespWriter crlf() {
        return raw(CRLF);
    }

    /** The null bulk string: RESP2 {@code $-1}, RESP3 {@code _}. */
    @Override
    public RespWriter nullBulk() {
        return raw(protocol == 3 ? NULL3 : NULL_BULK2);
    }

    /** The null array: RESP2 {@code *-1}, RESP3 {@code _}. */
    @Override
    public RespWriter nullArray() {
        return raw(protocol == 3 ? NULL3 : NULL_ARRAY2);
    }

    /** {@code *count}: that many elements follow. */
    @Override
    public RespWriter arrayHeader(long count) {
        return number('*', nonNegative(count));
    }

    /** RESP3 {@code %pairs}; RESP2 {@code *(2 × pairs)}: that many key, value pairs follow. */
    @Override
    public RespWriter mapHeader(long pairs) {
        nonNegative(pairs);
        return protocol == 3 ? number('%', pairs) : number('*', 2 * pairs);
    }

    /** RESP3 {@code ~count}; RESP2 {@code *count}. */
    @Override
    public RespWriter setHeader(long count) {
        nonNegative(count);
        return number(protocol == 3 ? '~' : '*', count);
    }

    /** RESP3 {@code ,text}; RESP2 a bulk string of the same text, in {@link #doubleFormat()}. */
    @Override
    public RespWriter doubleValue(double value) {
        int n = doubleFormat.format(value, num, 0, digitScratch);
        if (protocol == 3) {
            ensure(n + 3);
            out.put((byte) ',').put(num, 0, n).put(CRLF);
            return this;
        }
        ensure(n + 7);
        out.put((byte) '$');
        putDigits(n);
        out.put(CRLF).put(num, 0, n).put(CRLF);
        return this;
    }

    @Override
    public RespWriter doubleText(String text) {
        if (protocol == 3) {
            byte[] b = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            ensure(b.length + 3);
            out.put((byte) ',').put(b, 0, b.length).put(CRLF);
            return this;
        }
        bulk(text);
        return this;
    }

    /** RESP3 {@code #t} / {@code #f}; RESP2 the integer 1 / 0. */
    @Override
    public RespWriter bool(boolean value) {
        if (protocol == 3) {
            return raw(value ? TRUE3 : FALSE3);
        }
        return raw(value ? ONE2 : ZERO2);
    }

    /** Bytes already in RESP, sent as they are. */
    public RespWriter raw(byte[] resp) {
        ensure(resp.length);
        out.put(resp);
        return this;
    }

    /** Appends {@code length} bytes of already-encoded RESP from {@code resp} at {@code offset}. */
    public RespWriter raw(byte[] resp, int offset, int length) {
        ensure(length);
        out.put(resp, offset, length);
        return this;
    }

    // ---- output ----

    /** Bytes written since the last {@link #clear()}. */
    public int size() {
        return taken ? out.limit() : out.position();
    }

    /**
     * The bytes written so far, as the owned buffer flipped for reading. Write it out, then call
     * {@link #clear()} before writing more replies.
     */
    public ByteBuffer take() {
        assert !taken : "take() twice without clear()";
        taken = true;
        return out.flip();
    }

    /** A copy of the bytes written since the last {@link #clear()}; the writer is then empty again. */
    public byte[] toByteArray() {
        ByteBuffer b = taken ? out.duplicate() : out.duplicate().flip();
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        clear();
        return copy;
    }

    /** Drops the bytes written after the first {@code size} (a reply that must not go out after all). */
    public void truncate(int size) {
        assert !taken : "truncate after take() without clear()";
        if (size < 0 || size > out.position()) {
            throw new IndexOutOfBoundsException("size " + size + " of " + out.position());
        }
        out.position(size);
        deferred = null; // the header it belonged to is gone
    }

    /** Lets the command about to run hand the rest of a long reply over ({@link #defer}), or stops that. */
    public void acceptSlices(boolean accept) {
        acceptSlices = accept;
    }

    @Override
    public boolean canDefer() {
        return acceptSlices && deferred == null;
    }

    @Override
    public void defer(SlicedReply rest) {
        if (!canDefer()) {
            throw new IllegalStateException("this writer takes no slices now");
        }
        deferred = Objects.requireNonNull(rest);
    }

    /** The rest of the reply the last command handed over, or null; the writer forgets it. */
    public SlicedReply takeDeferred() {
        SlicedReply d = deferred;
        deferred = null;
        return d;
    }

    /** A copy of the bytes written after the first {@code from}, which are then dropped: a reply to send later. */
    public byte[] cut(int from) {
        int end = size();
        truncate(from); // checks from
        byte[] copy = new byte[end - from];
        out.get(from, copy);
        return copy;
    }

    /** Forgets the written bytes (taken or not) and makes the buffer ready for new replies. */
    public void clear() {
        taken = false;
        if (out.capacity() > keepCapacity) {
            out = allocate(initialCapacity);
        } else {
            out.clear();
        }
    }

    /** The byte at {@code index} of what was written (INFO errorstats reads a reply's error prefix there). */
    public byte byteAt(int index) {
        return out.get(index);
    }

    /** Capacity of the owned buffer. */
    public int capacity() {
        return out.capacity();
    }

    // ---- encoding ----

    private RespWriter line(char type, String text) {
        ensure(Utf8.length(text) + 3);
        out.put((byte) type);
        Utf8.encode(text, out, true);
        out.put(CRLF);
        return this;
    }

    private RespWriter number(char type, long value) {
        int n = Digits.write(value, num, 0);
        ensure(n + 3);
        out.put((byte) type).put(num, 0, n).put(CRLF);
        return this;
    }

    /** Digits of {@code 0 <= v < 100} without touching {@link #num}, which may hold the text being sent. */
    private void putDigits(int v) {
        if (v >= 10) {
            out.put((byte) ('0' + v / 10));
        }
        out.put((byte) ('0' + v % 10));
    }

    private static long nonNegative(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative (use nullArray), was " + count);
        }
        return count;
    }

    /** Room for {@code n} more bytes; grows by doubling. */
    private void ensure(int n) {
        assert !taken : "writing after take() without clear()";
        if (out.remaining() >= n) {
            return;
        }
        long need = (long) out.position() + n;
        if (need > RespLimits.MAX_ARRAY) {
            throw new IllegalStateException("reply buffer would pass " + RespLimits.MAX_ARRAY + " bytes");
        }
        ByteBuffer bigger = allocate((int) Math.min(RespLimits.MAX_ARRAY, Math.max(need, 2L * out.capacity())));
        bigger.put(out.flip());
        out = bigger;
    }

    private ByteBuffer allocate(int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }
}
