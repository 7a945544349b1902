package io.shardline.examples.kv.resp;

import java.nio.ByteBuffer;

/**
 * Stateless; any thread. UTF-8 encoding of a String straight into a ByteBuffer, without the byte[]
 * that {@link String#getBytes} would allocate.
 *
 * <p>An unpaired surrogate becomes '?', as {@code getBytes(UTF_8)} does.
 */
final class Utf8 {
    private Utf8() {
    }

    /** Bytes {@link #encode} writes for {@code s}. */
    static int length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // 4 bytes for the two chars of the pair
                    i++;
                } else if (!Character.isSurrogate(c)) { // an unpaired surrogate is one byte, '?'
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /** Writes {@code s}; with {@code oneLine}, CR and LF are written as spaces. The caller made room. */
    static void encode(String s, ByteBuffer out, boolean oneLine) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out.put(oneLine && (c == '\r' || c == '\n') ? (byte) ' ' : (byte) c);
            } else if (c < 0x800) {
                out.put((byte) (0xC0 | c >> 6)).put((byte) (0x80 | c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.put((byte) (0xF0 | cp >> 18)).put((byte) (0x80 | cp >> 12 & 0x3F))
                        .put((byte) (0x80 | cp >> 6 & 0x3F)).put((byte) (0x80 | cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                out.put((byte) '?');
            } else {
                out.put((byte) (0xE0 | c >> 12)).put((byte) (0x80 | c >> 6 & 0x3F)).put((byte) (0x80 | c & 0x3F));
            }
        }
    }
}
