package io.shardline.net.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A message's header (or trailer) fields in order, as slices of one byte array; owned by the shard of
 * the message, not thread-safe.
 *
 * <p>Parsed fields point into the copy of the message head the parser made, so reading a field by name
 * compares bytes and allocates nothing until a value is asked for as a String. Built fields are
 * appended to the same kind of array, so encoding a head copies slices. Names compare
 * case-insensitively (RFC 9110 5.1); values are ISO-8859-1 (obs-text survives a round trip).
 */
public final class HttpHeaders {
    private byte[] buf;
    private int used;
    /** Per field: name start, name end, value start, value end. */
    private int[] at;
    private int count;
    /** Bumped by every change, so a response's encoded copy of these fields knows when it is stale. */
    private int version;

    /** An empty, growable set of fields. */
    public HttpHeaders() {
        this(new byte[128], 0, new int[32]);
    }

    HttpHeaders(byte[] buf, int used, int[] at) {
        this.buf = buf;
        this.used = used;
        this.at = at;
    }

    /** Fields parsed from {@code head}: the parser records each with {@link #addSlice}. */
    static HttpHeaders parsed(byte[] head) {
        return parsed(head, 4); // four fields, doubling: browsers and wrk send three or more
    }

    /** As {@link #parsed(byte[])}, with room for {@code fields} fields before the first doubling. */
    static HttpHeaders parsed(byte[] head, int fields) {
        return new HttpHeaders(head, head.length, new int[fields * 4]);
    }

    void addSlice(int nameStart, int nameEnd, int valueStart, int valueEnd) {
        version++;
        if (count * 4 == at.length) {
            at = Arrays.copyOf(at, at.length * 2);
        }
        int i = count++ * 4;
        at[i] = nameStart;
        at[i + 1] = nameEnd;
        at[i + 2] = valueStart;
        at[i + 3] = valueEnd;
    }

    /** Appends a field; the value must hold no CR, LF or NUL (response splitting). Returns this. */
    public HttpHeaders add(String name, String value) {
        if (name.isEmpty() || !Ascii.isToken(name)) {
            throw new IllegalArgumentException("not a header name: '" + name + "'");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                throw new IllegalArgumentException("header " + name + ": value holds a forbidden character");
            }
        }
        int need = used + name.length() + value.length();
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
        }
        int ns = used;
        used = put(name, used);
        int vs = used;
        used = put(value, used);
        addSlice(ns, vs, vs, used);
        return this;
    }

    /** Appends field {@code i} of {@code from} as it is (a proxy's copy: no String made, no check again). Returns this. */
    public HttpHeaders add(HttpHeaders from, int i) {
        int j = i * 4;
        int ns = from.at[j];
        int n = from.at[j + 1] - ns;
        int vs = from.at[j + 2];
        int v = from.at[j + 3] - vs;
        if (used + n + v > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(used + n + v, buf.length * 2));
        }
        System.arraycopy(from.buf, ns, buf, used, n);
        System.arraycopy(from.buf, vs, buf, used + n, v);
        addSlice(used, used + n, used + n, used + n + v);
        used += n + v;
        return this;
    }

    /** Replaces every field named {@code name} with one of {@code value}. Returns this. */
    public HttpHeaders set(String name, String value) {
        remove(name);
        return add(name, value);
    }

    /** Removes every field named {@code name}; returns how many. */
    public int remove(String name) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (!nameIs(i, name)) {
                System.arraycopy(at, i * 4, at, kept * 4, 4);
                kept++;
            }
        }
        int removed = count - kept;
        count = kept;
        version++;
        return removed;
    }

    private int put(String s, int from) {
        for (int i = 0; i < s.length(); i++) {
            buf[from++] = (byte) s.charAt(i);
        }
        return from;
    }

    /** Changes so far: equal counts mean the same fields. */
    int version() {
        return version;
    }

    public int size() {
        return count;
    }

    public String name(int i) {
        return new String(buf, at[i * 4], at[i * 4 + 1] - at[i * 4], StandardCharsets.ISO_8859_1);
    }

    public String value(int i) {
        return new String(buf, at[i * 4 + 2], at[i * 4 + 3] - at[i * 4 + 2], StandardCharsets.ISO_8859_1);
    }

    /** Whether field {@code i} is named {@code name}, ignoring case; allocates nothing. */
    public boolean nameIs(int i, String name) {
        int s = at[i * 4];
        int n = at[i * 4 + 1] - s;
        return n == name.length() && Ascii.equalsIgnoreCase(buf, s, name);
    }

    /** Whether field {@code i}'s name starts with {@code prefix}, ignoring case; allocates nothing. */
    public boolean nameStartsWith(int i, String prefix) {
        int s = at[i * 4];
        return at[i * 4 + 1] - s >= prefix.length() && Ascii.equalsIgnoreCase(buf, s, prefix);
    }

    /** Whether field {@code i}'s value is {@code value}, ignoring case; allocates nothing. */
    boolean valueIs(int i, String value) {
        int s = at[i * 4 + 2];
        return at[i * 4 + 3] - s == value.length() && Ascii.equalsIgnoreCase(buf, s, value);
    }

    /** The index of the first field named {@code name}, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < count; i++) {
            if (nameIs(i, name)) {
                return i;
            }
        }
        return -1;
    }

    /** The first value of {@code name}, or null. */
    public String get(String name) {
        int i = indexOf(name);
        return i < 0 ? null : value(i);
    }

    /** Every value of {@code name}, in order. */
    public List<String> getAll(String name) {
        List<String> all = new ArrayList<>(2);
        for (int i = 0; i < count; i++) {
            if (nameIs(i, name)) {
                all.add(value(i));
            }
        }
        return all;
    }

    public boolean contains(String name) {
        return indexOf(name) >= 0;
    }

    /** Whether any value of {@code name}, read as a comma-separated list, holds {@code token} (any case). */
    public boolean containsToken(String name, String token) {
        for (int i = 0; i < count; i++) {
            if (nameIs(i, name) && Ascii.listContains(buf, at[i * 4 + 2], at[i * 4 + 3], token)) {
                return true;
            }
        }
        return false;
    }

    /** Writes field {@code i} as {@code name: value\r\n} into {@code b}, which has {@link #encodedLength(int)} room. */
    void encode(int i, ByteBuffer b) {
        int j = i * 4;
        b.put(buf, at[j], at[j + 1] - at[j]).put((byte) ':').put((byte) ' ').put(buf, at[j + 2], at[j + 3] - at[j + 2])
                .put((byte) '\r').put((byte) '\n');
    }

    /** Writes field {@code i} as {@code name: value\r\n}. */
    void encode(int i, Outbound out) {
        encode(i, out.room(encodedLength(i)));
    }

    /** Bytes {@link #encode(int, ByteBuffer)} writes for field {@code i}. */
    int encodedLength(int i) {
        int j = i * 4;
        return at[j + 1] - at[j] + at[j + 3] - at[j + 2] + 4;
    }

    int valueStart(int i) {
        return at[i * 4 + 2];
    }

    int valueEnd(int i) {
        return at[i * 4 + 3];
    }

    byte[] bytes() {
        return buf;
    }

    /** Bytes {@link #encode} writes. */
    int encodedLength() {
        int n = 0;
        for (int i = 0; i < count; i++) {
            int j = i * 4;
            n += at[j + 1] - at[j] + at[j + 3] - at[j + 2] + 4;
        }
        return n;
    }

    /** Writes each field as {@code name: value\r\n}; {@code out} must have {@link #encodedLength()} room. */
    void encode(ByteBuffer out) {
        for (int i = 0; i < count; i++) {
            int j = i * 4;
            out.put(buf, at[j], at[j + 1] - at[j]).put((byte) ':').put((byte) ' ')
                    .put(buf, at[j + 2], at[j + 3] - at[j + 2]).put((byte) '\r').put((byte) '\n');
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ", ").append(name(i)).append(": ").append(value(i));
        }
        return sb.append('}').toString();
    }
}
