package io.shardline.examples.kv.store;

import java.util.Arrays;

/**
 * One key and its value. Owned by one shard's {@link Keyspace}; not thread-safe.
 *
 * <p>Why this shape: an object per key costs a header, so the key, its type and flags, and a short
 * string value share one byte[] record with it instead of three more objects (Redis' embstr idea),
 * which puts a 16-byte key with a 100-byte value at about 150 heap bytes with its table slot. The
 * record is {@code [flags][LRU clock: 3 bytes][key length: 1 byte, or 255 then 4][key][string value]};
 * flags hold the type, whether the key has a TTL (kept in the keyspace's separate expiry table, so keys
 * without one pay nothing), and whether it left the keyspace. The LRU clock (OBJECT IDLETIME) lives in
 * the record too: 3 bytes there cost nothing where a field would grow every entry by 8.
 *
 * <p>A string is either embedded in the record or, when long or edited in place (SETBIT, SETRANGE,
 * APPEND...), a byte[] of its own in {@link #value} (Redis' raw encoding): {@link #string()} hands
 * out that array for in-place edits, converting an embedded string first; read-only callers use
 * {@link #stringBytes()}/{@link #stringOffset()}/{@link #stringLength()}, which never convert.
 * Other types keep their collection in {@link #value} ({@link ListValue}, {@link SetValue},
 * {@link ZSetValue} or {@link HashValue}).
 */
final class Entry {
    /** Expiry of a key without a TTL (Redis' -1). */
    static final long NO_EXPIRY = -1;
    /** Strings up to this length are embedded in the record; longer ones keep the caller's array. */
    static final int EMBED_MAX = 4096;
    /** Redis's LRU_CLOCK_MAX: {@link #lru()} keeps 24 bits. */
    static final int LRU_MAX = (1 << 24) - 1;
    /** Where the key length starts: after the flags and the 3-byte LRU clock. */
    private static final int KEY_LENGTH_AT = 4;

    private static final ValueType[] TYPES = ValueType.values();
    private static final int TYPE_MASK = 0x07;
    static final int HAS_TTL = 0x08;
    private static final int REMOVED = 0x10;
    private static final int TOUCHED = 0x20;
    /** A string APPEND, SETRANGE, SETBIT, BITFIELD or BITOP wrote: OBJECT ENCODING says raw, as Redis's unshared copy is. */
    private static final int RAW = 0x40;
    /** A string INCRBYFLOAT wrote: Redis makes it with createStringObject, never the int encoding. */
    private static final int NOT_INT = 0x80;
    private static final int LONG_KEY = 0xFF;

    /** {@code [flags][key length][key][embedded string]}; replaced, never resized, when the value changes. */
    private byte[] rec;
    /** A collection, a raw string's bytes, or null for an embedded string. */
    private Object value;

    private Entry(byte[] rec, Object value) {
        this.rec = rec;
        this.value = value;
    }

    /** A placeholder that is never in a keyspace and has no record: any use of it as a key fails at once. */
    static Entry sentinel() {
        return new Entry(null, null);
    }

    /** A new string entry for {@code key[off, off+len)} holding a copy of {@code v[voff, voff+vlen)}. */
    static Entry ofString(byte[] key, int off, int len, byte[] v, int voff, int vlen) {
        int type = ValueType.STRING.ordinal();
        if (vlen <= EMBED_MAX) {
            return new Entry(record(type, key, off, len, v, voff, vlen), null);
        }
        return new Entry(record(type, key, off, len, null, 0, 0), Arrays.copyOfRange(v, voff, voff + vlen));
    }

    /** A new entry for {@code key[off, off+len)} holding {@code value} of {@code type} (a string's array may be kept). */
    static Entry of(byte[] key, int off, int len, ValueType type, Object value) {
        if (type == ValueType.STRING) {
            byte[] s = (byte[]) value;
            if (s.length <= EMBED_MAX) {
                return new Entry(record(type.ordinal(), key, off, len, s, 0, s.length), null);
            }
            return new Entry(record(type.ordinal(), key, off, len, s, 0, 0), s);
        }
        return new Entry(record(type.ordinal(), key, off, len, null, 0, 0), value);
    }

    private static byte[] record(int flags, byte[] key, int off, int len, byte[] v, int voff, int vlen) {
        int head = len < LONG_KEY ? KEY_LENGTH_AT + 1 : KEY_LENGTH_AT + 5;
        byte[] r = new byte[head + len + vlen];
        r[0] = (byte) flags;
        int at = KEY_LENGTH_AT;
        if (len < LONG_KEY) {
            r[at] = (byte) len;
        } else {
            r[at] = (byte) LONG_KEY;
            r[at + 1] = (byte) (len >>> 24);
            r[at + 2] = (byte) (len >>> 16);
            r[at + 3] = (byte) (len >>> 8);
            r[at + 4] = (byte) len;
        }
        System.arraycopy(key, off, r, head, len);
        if (vlen > 0) {
            System.arraycopy(v, voff, r, head + len, vlen);
        }
        return r;
    }

    ValueType type() {
        return TYPES[rec[0] & TYPE_MASK];
    }

    boolean hasTtl() {
        return (rec[0] & HAS_TTL) != 0;
    }

    void markTtl(boolean on) {
        rec[0] = (byte) (on ? rec[0] | HAS_TTL : rec[0] & ~HAS_TTL);
    }

    boolean removed() {
        return (rec[0] & REMOVED) != 0;
    }

    void markRemoved() {
        rec[0] |= REMOVED;
    }

    /** Whether the running command looked this entry up already (see {@link Touched}). */
    boolean touched() {
        return (rec[0] & TOUCHED) != 0;
    }

    void markTouched(boolean on) {
        rec[0] = (byte) (on ? rec[0] | TOUCHED : rec[0] & ~TOUCHED);
    }

    /** Whether this string was edited in place (see {@link #markRaw}) since it was last set whole. */
    boolean rawString() {
        return (rec[0] & RAW) != 0;
    }

    /**
     * Redis edits a string in place only in a raw object of its own (dbUnshareStringValue), so the key
     * reports {@code raw} from then on, whatever its length, until a write sets it whole.
     */
    void markRaw() {
        rec[0] = (byte) (rec[0] | RAW);
    }

    /** Whether this string was made with no try at the int encoding (see {@link #markNotInt}). */
    boolean notIntString() {
        return (rec[0] & NOT_INT) != 0;
    }

    /** INCRBYFLOAT's result is {@code embstr} (or {@code raw} if long) even when it reads as an integer. */
    void markNotInt() {
        rec[0] = (byte) (rec[0] | NOT_INT);
    }

    /** Redis's LRU clock at the last access ({@link Keyspace#lruClock()}), 24 bits: for OBJECT IDLETIME. */
    int lru() {
        return (rec[1] & 0xFF) << 16 | (rec[2] & 0xFF) << 8 | (rec[3] & 0xFF);
    }

    void lru(int clock) {
        rec[1] = (byte) (clock >>> 16);
        rec[2] = (byte) (clock >>> 8);
        rec[3] = (byte) clock;
    }

    int keyOffset() {
        return (rec[KEY_LENGTH_AT] & 0xFF) < LONG_KEY ? KEY_LENGTH_AT + 1 : KEY_LENGTH_AT + 5;
    }

    int keyLength() {
        int at = KEY_LENGTH_AT;
        int n = rec[at] & 0xFF;
        return n < LONG_KEY ? n
                : (rec[at + 1] & 0xFF) << 24 | (rec[at + 2] & 0xFF) << 16 | (rec[at + 3] & 0xFF) << 8 | (rec[at + 4] & 0xFF);
    }

    /** The array holding the key at {@link #keyOffset()}; read it, never change it. */
    byte[] keyBytes() {
        return rec;
    }

    /** A copy of the key. */
    byte[] key() {
        int off = keyOffset();
        return Arrays.copyOfRange(rec, off, off + keyLength());
    }

    boolean keyEquals(byte[] a, int off, int len) {
        int ko = keyOffset();
        return keyLength() == len && Arrays.equals(rec, ko, ko + len, a, off, off + len);
    }

    /** The key's hash for the keyspace's tables. */
    int keyHash() {
        return KeyHash.of(rec, keyOffset(), keyLength());
    }

    // ---- strings ----

    /** The array holding the string (with {@link #stringOffset()} and {@link #stringLength()}); read only. */
    byte[] stringBytes() {
        return value != null ? (byte[]) value : rec;
    }

    int stringOffset() {
        return value != null ? 0 : keyOffset() + keyLength();
    }

    int stringLength() {
        return value != null ? ((byte[]) value).length : rec.length - keyOffset() - keyLength();
    }

    /** Whether the string equals {@code b} exactly. */
    boolean stringEquals(byte[] b) {
        int off = stringOffset();
        return Arrays.equals(stringBytes(), off, off + stringLength(), b, 0, b.length);
    }

    /** A copy of the string, for a reader that needs an array but must not move the string out of its record. */
    byte[] stringCopy() {
        int off = stringOffset();
        return Arrays.copyOfRange(stringBytes(), off, off + stringLength());
    }

    /**
     * The string as an array of its own, which the caller may change in place (SETBIT, SETRANGE): an
     * embedded string is moved out of the record first, as Redis turns an embstr raw when edited.
     */
    byte[] string() {
        if (value == null) {
            int off = keyOffset() + keyLength();
            value = Arrays.copyOfRange(rec, off, rec.length);
            rec = Arrays.copyOf(rec, off);
        }
        return (byte[]) value;
    }

    /** Makes this entry the string {@code s} (embedded if short; else the array is kept), keeping its flags. */
    void setString(byte[] s) {
        setString(s, 0, s.length, true);
    }

    /** Makes this entry the string {@code s[off, off+len)}, copied (a slice of a request, say), keeping its flags. */
    void setString(byte[] s, int off, int len) {
        setString(s, off, len, false);
    }

    private void setString(byte[] s, int off, int len, boolean mayKeep) {
        int flags = (rec[0] & ~(TYPE_MASK | RAW | NOT_INT)) | ValueType.STRING.ordinal(); // set whole: Redis's encoding by length again
        int ko = keyOffset();
        int kl = keyLength();
        if (value == null && rec.length - ko - kl == len && (rec[0] & TYPE_MASK) == ValueType.STRING.ordinal()) {
            // Same length: overwrite in place. No allocation, and no new young object for an old entry
            // to point at, which is what keeps an overwrite-heavy load from promoting a record per SET.
            System.arraycopy(s, off, rec, ko + kl, len);
            rec[0] = (byte) flags;
            return;
        }
        if (len <= EMBED_MAX) {
            byte[] r = new byte[ko + kl + len];
            System.arraycopy(rec, 0, r, 0, ko + kl);
            System.arraycopy(s, off, r, ko + kl, len);
            rec = r;
            value = null;
        } else {
            if (value == null && rec.length != ko + kl) {
                rec = Arrays.copyOf(rec, ko + kl);
            }
            value = mayKeep && off == 0 && len == s.length ? s : Arrays.copyOfRange(s, off, off + len);
        }
        rec[0] = (byte) flags;
    }

    /** The value as a type-neutral object: a string's own array (see {@link #string()}) or the collection. */
    Object value() {
        return type() == ValueType.STRING ? string() : value;
    }

    ListValue list() {
        return (ListValue) value;
    }

    SetValue set() {
        return (SetValue) value;
    }

    ZSetValue zset() {
        return (ZSetValue) value;
    }

    HashValue hash() {
        return (HashValue) value;
    }

    /** Elements of a collection, 0 for a string. */
    int elements() {
        return switch (type()) {
            case STRING -> 0;
            case LIST -> list().size();
            case SET -> set().size();
            case ZSET -> zset().size();
            case HASH -> hash().size();
            case STREAM -> (int) Math.min(Integer.MAX_VALUE, ((StreamValue) value).length);
        };
    }

    /** Heap bytes of this entry, its record and a raw string's array; a collection's contents are estimated by the keyspace. */
    long ownBytes() {
        long b = ENTRY_BYTES + HeapLayout.byteArray(rec.length);
        if (value instanceof byte[] s) {
            b += HeapLayout.byteArray(s.length);
        }
        return b;
    }

    private static final long ENTRY_BYTES = HeapLayout.object(2, 0);
}
