package io.shardline.examples.kv.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Owned by the parser's connection; not thread-safe; valid only during
 * {@link RespRequestSink#onRequest}, after which the parser reuses it. The arguments of one request,
 * as views into the parser's memory: argument {@code i} is
 * {@code array(i)[offset(i) .. offset(i) + length(i))}.
 *
 * <p>One instance per parser, reused for every request, so reading arguments allocates nothing;
 * {@link #get(int)}, {@link #copy()} and {@link #toArray()} copy for callers that keep them.
 */
public final class RespArgs implements Argv {
    private byte[][] arrays = new byte[8][];
    private int[] offsets = new int[8];
    private int[] lengths = new int[8];
    /** Whether the argument has an array of its own (a large one), which {@link #get} may hand over. */
    private boolean[] own = new boolean[8];
    private int count;
    /** The parser's buffer: arguments stored with a null array live there (it may move while they arrive). */
    private byte[] buffer;

    RespArgs() {
    }

    /** Number of arguments, at least 1 during a callback. */
    public int count() {
        return count;
    }

    /** The array holding argument {@code i}; read only {@link #offset}..{@link #offset}+{@link #length}. */
    public byte[] array(int i) {
        byte[] a = arrays[check(i)];
        return a != null ? a : buffer;
    }

    public int offset(int i) {
        return offsets[check(i)];
    }

    public int length(int i) {
        return lengths[check(i)];
    }

    /**
     * Argument {@code i} as an array the caller may keep. A large argument (32 KiB or more) is handed
     * over without a copy: the parser never touches it again, so treat it as read-only and ask once.
     */
    public byte[] get(int i) {
        check(i);
        if (own[i]) {
            return arrays[i];
        }
        byte[] a = array(i);
        return Arrays.copyOfRange(a, offsets[i], offsets[i] + lengths[i]);
    }

    @Override
    public byte[] bytes(int i) {
        return get(i);
    }

    /** All arguments as arrays the caller may keep, as {@link #get(int)}. */
    @Override
    public byte[][] toArray() {
        byte[][] all = new byte[count][];
        for (int i = 0; i < count; i++) {
            all[i] = get(i);
        }
        return all;
    }

    /** Whether argument {@code i} is {@code ascii}, ignoring ASCII case, as Redis' strcasecmp: no allocation. */
    public boolean equalsIgnoreCase(int i, String ascii) {
        int len = length(i);
        if (len != ascii.length()) {
            return false;
        }
        byte[] a = array(i);
        int off = offsets[i];
        for (int k = 0; k < len; k++) {
            int b = a[off + k];
            int c = ascii.charAt(k);
            if (b != c && lower(b) != lower(c)) {
                return false;
            }
        }
        return true;
    }

    /** Argument {@code i} decoded as UTF-8; allocates, for logs and tests. */
    public String string(int i) {
        return new String(array(i), offsets[i], lengths[i], StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            s.append(i == 0 ? "" : ", ").append(string(i));
        }
        return s.append(']').toString();
    }

    // ---- parser side ----

    /** Drops the arguments, and the references to large ones so they can be collected. */
    void clear() {
        Arrays.fill(arrays, 0, count, null);
        count = 0;
    }

    /** Adds an argument; {@code array == null} means the parser's buffer, bound at delivery. */
    void add(byte[] array, int offset, int length, boolean ownArray) {
        if (count == arrays.length) {
            // Grown as arguments arrive, not by the declared count: "*1048576" alone costs nothing.
            int n = count * 2;
            arrays = Arrays.copyOf(arrays, n);
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
            own = Arrays.copyOf(own, n);
        }
        arrays[count] = array;
        offsets[count] = offset;
        lengths[count] = length;
        own[count] = ownArray;
        count++;
    }

    void bind(byte[] parserBuffer) {
        buffer = parserBuffer;
    }

    private int check(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("argument " + i + " of " + count);
        }
        return i;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }
}
