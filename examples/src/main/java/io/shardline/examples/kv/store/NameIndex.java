package io.shardline.examples.kv.store;

import java.nio.charset.StandardCharsets;

/**
 * Finds a value by the name bytes a client sent, in any letter case, without allocating: an
 * open-addressing table hashed over the lowercased bytes. Filled once, then read-only; any thread
 * may read it after it has been published.
 *
 * @param <T> what a name stands for (a command, a command's spec)
 */
public final class NameIndex<T> {
    private static final int LONGEST_NAME = 24; // GEORADIUSBYMEMBER_RO is 20

    private final byte[][] names = new byte[512][];
    private final Object[] values = new Object[512];

    /** Adds {@code value} under {@code name} (ASCII, at most 24 bytes, any case). */
    public void add(String name, T value) {
        byte[] lower = lowerAscii(name);
        if (lower.length > LONGEST_NAME) {
            throw new IllegalArgumentException("command name longer than " + LONGEST_NAME + ": " + name);
        }
        int mask = names.length - 1;
        int i = hash(lower) & mask;
        while (names[i] != null) {
            if (same(lower, names[i])) {
                throw new IllegalStateException("name registered twice: " + name);
            }
            i = (i + 1) & mask;
        }
        names[i] = lower;
        values[i] = value;
    }

    /** The value named {@code sent} in any case, or null. */
    public T find(byte[] sent) {
        return find(sent, 0, sent.length);
    }

    /** The value named by {@code sent[offset, offset + length)} in any case, or null: no allocation. */
    @SuppressWarnings("unchecked")
    public T find(byte[] sent, int offset, int length) {
        if (length > LONGEST_NAME) {
            return null;
        }
        int mask = names.length - 1;
        for (int i = hash(sent, offset, length) & mask; names[i] != null; i = (i + 1) & mask) {
            if (same(sent, offset, length, names[i])) {
                return (T) values[i];
            }
        }
        return null;
    }

    /** Whether {@code sent} equals the lowercase {@code lower}, ignoring ASCII case. */
    static boolean same(byte[] sent, byte[] lower) {
        return same(sent, 0, sent.length, lower);
    }

    private static boolean same(byte[] sent, int offset, int length, byte[] lower) {
        if (length != lower.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (lower(sent[offset + i]) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
    }

    private static byte[] lowerAscii(String name) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < b.length; i++) {
            b[i] = lower(b[i]);
        }
        return b;
    }

    private static int hash(byte[] name) {
        return hash(name, 0, name.length);
    }

    private static int hash(byte[] name, int offset, int length) {
        int h = 0;
        for (int i = offset; i < offset + length; i++) {
            h = h * 31 + lower(name[i]);
        }
        return h ^ (h >>> 8);
    }
}
