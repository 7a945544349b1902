package io.shardline.examples.kv.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The arguments of one command as read-only slices, so a command reads them where they arrived:
 * argument {@code i} is {@code array(i)[offset(i) .. offset(i) + length(i))}. Owned by the thread
 * running the command. The parser's {@link RespArgs} is valid only while its request runs; a request
 * that leaves the shard or is kept takes {@link #copy()}, and a command that stores an argument takes
 * {@link #bytes(int)}.
 */
public interface Argv {

    /** Number of arguments, the command name included. */
    int count();

    /** The array holding argument {@code i}; read only {@link #offset}..{@link #offset}+{@link #length}. */
    byte[] array(int i);

    int offset(int i);

    int length(int i);

    /**
     * Argument {@code i} as an array the caller may keep (a copy, or an array nobody else changes):
     * for values a command stores, and for code that still wants a whole array.
     */
    byte[] bytes(int i);

    /** An owned copy of all arguments, valid after this request: what crosses to another shard. */
    default Argv copy() {
        int n = count();
        byte[][] all = new byte[n][];
        for (int i = 0; i < n; i++) {
            all[i] = bytes(i);
        }
        return new OwnedArgv(all);
    }

    /** All arguments as arrays the caller may keep, as {@link #bytes(int)}. */
    default byte[][] toArray() {
        int n = count();
        byte[][] all = new byte[n][];
        for (int i = 0; i < n; i++) {
            all[i] = bytes(i);
        }
        return all;
    }

    default byte byteAt(int i, int k) {
        if (k < 0 || k >= length(i)) {
            throw new IndexOutOfBoundsException("byte " + k + " of argument " + i);
        }
        return array(i)[offset(i) + k];
    }

    /** Whether argument {@code i} is {@code ascii}, ignoring ASCII case, as Redis' strcasecmp: no allocation. */
    default boolean equalsIgnoreCase(int i, String ascii) {
        int len = length(i);
        if (len != ascii.length()) {
            return false;
        }
        byte[] a = array(i);
        int off = offset(i);
        for (int k = 0; k < len; k++) {
            int b = a[off + k];
            int c = ascii.charAt(k);
            if (b != c && lower(b) != lower(c)) {
                return false;
            }
        }
        return true;
    }

    /** Whether argument {@code i} holds exactly the bytes of {@code other}. */
    default boolean contentEquals(int i, byte[] other) {
        int off = offset(i);
        return Arrays.equals(array(i), off, off + length(i), other, 0, other.length);
    }

    /** Writes argument {@code i} to {@code out} as a bulk string, straight from where it lies. */
    default void writeBulk(int i, ReplySink out) {
        out.bulk(array(i), offset(i), length(i));
    }

    /** Argument {@code i} decoded as UTF-8; allocates, for errors, logs and tests. */
    default String string(int i) {
        return new String(array(i), offset(i), length(i), StandardCharsets.UTF_8);
    }

    /** Arguments that own their arrays. */
    static Argv of(byte[]... argv) {
        return new OwnedArgv(argv);
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }
}
