package io.shardline.examples.kv.store;

import java.util.Arrays;

/**
 * One HyperLogLog string value being read or changed, in Redis's own byte format. Owned by the
 * command that made it, on the key's shard; not thread-safe.
 *
 * <p>Hand-written rather than taken from a sketch library because the bytes are the contract: a key
 * PFADDed here must GET (and DUMP) the same bytes as in redis-server, and PFCOUNT must give Redis's
 * estimate exactly. So this follows Redis's layout and its update rules step for step: a 16-byte
 * header ({@code HYLL}, the encoding, three unused bytes, the cached cardinality as 8 little-endian
 * bytes whose top bit marks it stale), then either 16384 registers of 6 bits packed LSB first
 * (dense) or run-length opcodes (sparse: {@code 00xxxxxx} up to 64 zero registers, {@code 01xxxxxx
 * yyyyyyyy} up to 16384, {@code 1vvvvvxx} a value 1..32 repeated 1..4 times). A sparse value turns
 * dense when a register needs more than 32 or the value would pass {@code hll-sparse-max-bytes};
 * after a sparse change, equal neighbouring value opcodes within five of the change merge, exactly
 * as far as Redis merges them, since a wider merge would give other bytes.
 *
 * <p>Over 400 lines: the two forms, the sparse opcodes and the update rules are one byte format; the
 * estimator ({@link HllEstimator}) and the hash ({@link Murmur64A}) live apart.
 */
public final class Hll {
    static final int P = 14;
    static final int Q = 64 - P;
    public static final int REGISTERS = 1 << P;
    static final int HEADER = 16;
    public static final int DENSE_SIZE = HEADER + REGISTERS * 6 / 8;
    static final int DENSE = 0;
    static final int SPARSE = 1;
    private static final int VAL_MAX_VALUE = 32;
    private static final int VAL_MAX_LEN = 4;
    private static final int ZERO_MAX_LEN = 64;
    private static final int XZERO_MAX_LEN = 16384;
    private static final long SEED = 0xadc83b19L;

    private byte[] buf;
    private int len;

    private Hll(byte[] buf, int len) {
        this.buf = buf;
        this.len = len;
    }

    /** A new, empty HLL as PFADD creates it: sparse, one XZERO run over every register. */
    public static Hll empty() {
        byte[] b = new byte[HEADER + 2 + 8];
        b[0] = 'H';
        b[1] = 'Y';
        b[2] = 'L';
        b[3] = 'L';
        b[4] = SPARSE;
        putXZero(b, HEADER, REGISTERS);
        return new Hll(b, HEADER + 2);
    }

    /**
     * A working copy of {@code value} if it is a valid HLL string, or null (Redis's test: at least a
     * header, the magic, a known encoding, and exactly the dense size when dense).
     */
    public static Hll of(byte[] value) {
        if (!isHll(value)) {
            return null;
        }
        return new Hll(Arrays.copyOf(value, value.length + 8), value.length);
    }

    public static boolean isHll(byte[] v) {
        return v.length >= HEADER && v[0] == 'H' && v[1] == 'Y' && v[2] == 'L' && v[3] == 'L'
                && (v[4] == DENSE || v[4] == SPARSE) && (v[4] != DENSE || v.length == DENSE_SIZE);
    }

    /** The value's bytes, exactly as long as the representation. */
    public byte[] bytes() {
        return Arrays.copyOf(buf, len);
    }

    public boolean isSparse() {
        return buf[4] == SPARSE;
    }

    /** Adds one element: 1 if a register grew, 0 if not, -1 if the sparse form is corrupt. */
    public int add(byte[] a, int off, int n, int sparseMaxBytes) {
        long h = Murmur64A.hash(a, off, n, SEED);
        int index = (int) (h & (REGISTERS - 1));
        long rest = (h >>> P) | (1L << Q);
        int count = Long.numberOfTrailingZeros(rest) + 1;
        return set(index, count, sparseMaxBytes);
    }

    /** Raises register {@code index} to {@code count}: 1 if it grew, 0 if not, -1 if corrupt. */
    public int set(int index, int count, int sparseMaxBytes) {
        if (buf[4] == DENSE) {
            return denseSet(index, count);
        }
        if (count > VAL_MAX_VALUE) {
            return promoteAndSet(index, count);
        }
        int p = HEADER;
        int first = 0;
        int prev = -1;
        int span = 0;
        while (p < len) {
            span = span(p);
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += isXZero(p) ? 2 : 1;
            first += span;
        }
        if (span == 0 || p >= len) {
            return -1;
        }
        int next = isXZero(p) ? p + 2 : p + 1;
        boolean xzero = isXZero(p);
        boolean zero = isZero(p);
        int runLen = span;
        if (!zero && !xzero) {
            int old = valValue(p);
            if (old >= count) {
                return 0;
            }
            if (runLen == 1) {
                buf[p] = val(count, 1);
                return merged(prev);
            }
        }
        if (zero && runLen == 1) {
            buf[p] = val(count, 1);
            return merged(prev);
        }
        // split the opcode at p into at most three: before, the register, after
        byte[] seq = new byte[5];
        int n = 0;
        int last = first + span - 1;
        if (zero || xzero) {
            if (index != first) {
                n = putZeros(seq, n, index - first);
            }
            seq[n++] = val(count, 1);
            if (index != last) {
                n = putZeros(seq, n, last - index);
            }
        } else {
            int cur = valValue(p);
            if (index != first) {
                seq[n++] = val(cur, index - first);
            }
            seq[n++] = val(count, 1);
            if (index != last) {
                seq[n++] = val(cur, last - index);
            }
        }
        int delta = n - (xzero ? 2 : 1);
        if (delta > 0 && len + delta > sparseMaxBytes) {
            return promoteAndSet(index, count);
        }
        if (len + delta + 1 > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + delta + 8));
        }
        if (delta != 0 && next < len) {
            System.arraycopy(buf, next, buf, next + delta, len - next);
        }
        len += delta;
        if (delta < 0) {
            buf[len] = 0;
        }
        System.arraycopy(seq, 0, buf, p, n);
        return merged(prev);
    }

    /** Merges equal neighbouring value opcodes over the five opcodes from {@code prev}, then marks the cache stale. */
    private int merged(int prev) {
        int p = prev >= 0 ? prev : HEADER;
        int scan = 5;
        while (p < len && scan-- > 0) {
            if (isXZero(p)) {
                p += 2;
                continue;
            }
            if (isZero(p)) {
                p++;
                continue;
            }
            if (p + 1 < len && isVal(p + 1) && valValue(p) == valValue(p + 1)) {
                int run = valLen(p) + valLen(p + 1);
                if (run <= VAL_MAX_LEN) {
                    buf[p + 1] = val(valValue(p), run);
                    System.arraycopy(buf, p + 1, buf, p, len - p - 1);
                    len--;
                    buf[len] = 0;
                    continue; // the merged opcode may merge again with the one on its right
                }
            }
            p++;
        }
        invalidateCache();
        return 1;
    }

    private int promoteAndSet(int index, int count) {
        if (!toDense()) {
            return -1;
        }
        return denseSet(index, count);
    }

    /** Turns a sparse value dense, keeping the header (and so the cached cardinality); false if corrupt. */
    public boolean toDense() {
        if (buf[4] == DENSE) {
            return true;
        }
        byte[] dense = new byte[DENSE_SIZE + 1];
        System.arraycopy(buf, 0, dense, 0, HEADER);
        dense[4] = DENSE;
        int idx = 0;
        int p = HEADER;
        while (p < len) {
            int run = span(p);
            if (isVal(p)) {
                if (run + idx > REGISTERS) {
                    break;
                }
                int v = valValue(p);
                for (int i = 0; i < run; i++) {
                    setRegister(dense, idx++, v);
                }
                p++;
            } else {
                idx += run;
                p += isXZero(p) ? 2 : 1;
            }
        }
        if (idx != REGISTERS) {
            return false;
        }
        buf = dense;
        len = DENSE_SIZE;
        return true;
    }

    /** Raises every register to at least its value in {@code max} (one byte per register), as PFMERGE writes its target. */
    public int setAll(byte[] max, int sparseMaxBytes) {
        for (int i = 0; i < REGISTERS; i++) {
            if (max[i] != 0 && set(i, max[i], sparseMaxBytes) < 0) {
                return -1;
            }
        }
        invalidateCache();
        return 1;
    }

    /** Raises {@code max} (one byte per register) to this value's registers; false if the sparse form is corrupt. */
    public boolean mergeInto(byte[] max) {
        if (buf[4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                int v = register(buf, i);
                if (v > max[i]) {
                    max[i] = (byte) v;
                }
            }
            return true;
        }
        int i = 0;
        int p = HEADER;
        while (p < len) {
            int run = span(p);
            if (isVal(p)) {
                if (run + i > REGISTERS) {
                    break;
                }
                int v = valValue(p);
                for (int k = 0; k < run; k++, i++) {
                    if (v > max[i]) {
                        max[i] = (byte) v;
                    }
                }
                p++;
            } else {
                i += run;
                p += isXZero(p) ? 2 : 1;
            }
        }
        return i == REGISTERS;
    }

    /** The cached cardinality, or -1 when the cache is stale. */
    public long cached() {
        if ((buf[15] & 0x80) != 0) {
            return -1;
        }
        long c = 0;
        for (int i = 7; i >= 0; i--) {
            c = (c << 8) | (buf[8 + i] & 0xff);
        }
        return c;
    }

    public void cache(long card) {
        for (int i = 0; i < 8; i++) {
            buf[8 + i] = (byte) (card >>> (8 * i));
        }
    }

    /** Marks the cached cardinality stale, as every change does. */
    public void invalidateCache() {
        buf[15] |= (byte) 0x80;
    }

    /** The estimate from the registers, or -1 if the sparse form is corrupt. */
    public long count() {
        int[] histo = new int[64];
        if (buf[4] == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                histo[register(buf, i)]++;
            }
        } else {
            int idx = 0;
            int p = HEADER;
            while (p < len) {
                int run = span(p);
                histo[isVal(p) ? valValue(p) : 0] += run;
                idx += run;
                p += isXZero(p) ? 2 : 1;
            }
            if (idx != REGISTERS) {
                return -1;
            }
        }
        return HllEstimator.estimate(histo);
    }

    /** The registers one per line as PFDEBUG GETREG lists them (dense form). */
    public int register(int i) {
        return register(buf, i);
    }

    /** PFDEBUG DECODE's text for a sparse value: {@code z:<n>}, {@code Z:<n>}, {@code v:<value>,<n>}. */
    public String decode() {
        StringBuilder s = new StringBuilder();
        for (int p = HEADER; p < len; p += isXZero(p) ? 2 : 1) {
            if (!s.isEmpty()) {
                s.append(' ');
            }
            if (isZero(p)) {
                s.append("z:").append(span(p));
            } else if (isXZero(p)) {
                s.append("Z:").append(span(p));
            } else {
                s.append("v:").append(valValue(p)).append(',').append(valLen(p));
            }
        }
        return s.toString();
    }

    private int denseSet(int index, int count) {
        if (count > register(buf, index)) {
            setRegister(buf, index, count);
            return 1;
        }
        return 0;
    }

    private static int register(byte[] b, int i) {
        int bit = i * 6;
        int at = HEADER + (bit >>> 3);
        int fb = bit & 7;
        int b0 = b[at] & 0xff;
        int b1 = at + 1 < DENSE_SIZE ? b[at + 1] & 0xff : 0;
        return ((b0 >>> fb) | (b1 << (8 - fb))) & 63;
    }

    private static void setRegister(byte[] b, int i, int v) {
        int bit = i * 6;
        int at = HEADER + (bit >>> 3);
        int fb = bit & 7;
        b[at] = (byte) ((b[at] & ~(63 << fb)) | (v << fb));
        if (at + 1 < DENSE_SIZE) {
            b[at + 1] = (byte) ((b[at + 1] & ~(63 >>> (8 - fb))) | (v >>> (8 - fb)));
        }
    }

    private int at(int i) {
        return i < len ? buf[i] & 0xff : 0;
    }

    private boolean isZero(int p) {
        return (buf[p] & 0xc0) == 0;
    }

    private boolean isXZero(int p) {
        return (buf[p] & 0xc0) == 0x40;
    }

    private boolean isVal(int p) {
        return (buf[p] & 0x80) != 0;
    }

    private int span(int p) {
        int op = buf[p] & 0xff;
        if ((op & 0xc0) == 0) {
            return (op & 0x3f) + 1;
        }
        if ((op & 0x80) != 0) {
            return (op & 3) + 1;
        }
        return (((op & 0x3f) << 8) | at(p + 1)) + 1;
    }

    private int valValue(int p) {
        return ((buf[p] >>> 2) & 0x1f) + 1;
    }

    private int valLen(int p) {
        return (buf[p] & 3) + 1;
    }

    private static byte val(int value, int run) {
        return (byte) (0x80 | ((value - 1) << 2) | (run - 1));
    }

    private static int putZeros(byte[] seq, int n, int run) {
        if (run > ZERO_MAX_LEN) {
            putXZero(seq, n, run);
            return n + 2;
        }
        seq[n] = (byte) (run - 1);
        return n + 1;
    }

    private static void putXZero(byte[] b, int at, int run) {
        int l = Math.min(run, XZERO_MAX_LEN) - 1;
        b[at] = (byte) (0x40 | (l >>> 8));
        b[at + 1] = (byte) l;
    }
}
