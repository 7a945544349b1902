package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hash value: field/value pairs in a {@link Listpack} while small, as Redis's listpack hash, and in
 * a map once {@code hash-max-listpack-entries} or {@code hash-max-listpack-value} is passed (one way:
 * Redis never converts a hash back). Fields keep insertion order in both, as a small Redis hash
 * replies. Owned by one shard; not thread-safe.
 */
final class HashValue {
    private final EncodingLimits limits;
    /** Fields at even indexes, their values after them; null once converted. */
    private Listpack pairs = new Listpack();
    private LinkedHashMap<Bytes, byte[]> map;

    HashValue(EncodingLimits limits) {
        this.limits = limits;
    }

    /** A scratch hash with Redis's default limits. */
    HashValue() {
        this(EncodingLimits.DEFAULTS);
    }

    /** {@code listpack} or {@code hashtable}, as OBJECT ENCODING names it. */
    String encoding() {
        return pairs != null ? "listpack" : "hashtable";
    }

    int size() {
        return pairs != null ? pairs.size() / 2 : map.size();
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** The value of {@code field}, or null. */
    byte[] get(Bytes field) {
        if (pairs == null) {
            return map.get(field);
        }
        int i = pairs.indexOf(field, 0, 2);
        return i < 0 ? null : pairs.get(i + 1);
    }

    boolean containsKey(Bytes field) {
        return pairs == null ? map.containsKey(field) : pairs.indexOf(field, 0, 2) >= 0;
    }

    /**
     * Redis's hashTypeTryConversion before a write of these fields and values: a field or value longer
     * than {@code hash-max-listpack-value} sends the hash to the map first.
     */
    void prepareFor(Argv argv, int from, int to) {
        if (pairs == null) {
            return;
        }
        for (int i = from; i < to; i++) {
            if (argv.length(i) > limits.hashValue) {
                convert();
                return;
            }
        }
    }

    /** Sets {@code field} (a probe is copied) to {@code value} (the array is kept); true if the field is new. */
    boolean put(Bytes field, byte[] value) {
        if (pairs != null && (field.length() > limits.hashValue || value.length > limits.hashValue)) {
            convert();
        }
        if (pairs == null) {
            return map.put(field.owned(), value) == null;
        }
        int i = pairs.indexOf(field, 0, 2);
        if (i >= 0) {
            pairs.set(i + 1, value);
            return false;
        }
        pairs.add(field);
        pairs.add(value);
        if (pairs.size() / 2 > limits.hashEntries) {
            convert();
        }
        return true;
    }

    /** Sets {@code field} only if absent; true if it was set. */
    boolean putIfAbsent(Bytes field, byte[] value) {
        if (containsKey(field)) {
            return false;
        }
        put(field, value);
        return true;
    }

    /** Removes {@code field}; true if it was there. */
    boolean remove(Bytes field) {
        if (pairs == null) {
            return map.remove(field) != null;
        }
        int i = pairs.indexOf(field, 0, 2);
        if (i < 0) {
            return false;
        }
        pairs.remove(i, 2);
        return true;
    }

    /** Calls {@code visit} with every field and value, in order; the arrays may be copies. */
    void forEach(PairVisitor visit) {
        if (pairs == null) {
            for (Map.Entry<Bytes, byte[]> e : map.entrySet()) {
                visit.pair(e.getKey().bytes, e.getValue());
            }
            return;
        }
        for (int i = 0; i < pairs.size(); i += 2) {
            visit.pair(pairs.get(i), pairs.get(i + 1));
        }
    }

    /** Every field and value as {field, value} arrays, in order: for walks that pick at random. */
    List<byte[][]> pairList() {
        List<byte[][]> out = new ArrayList<>(size());
        forEach((f, v) -> out.add(new byte[][] {f, v}));
        return out;
    }

    /** An independent copy (COPY), in the same encoding, under the same limits. */
    HashValue copy() {
        HashValue c = new HashValue(limits);
        if (pairs == null) {
            c.pairs = null;
            c.map = new LinkedHashMap<>(map);
        } else {
            for (int i = 0; i < pairs.size(); i++) {
                c.pairs.add(pairs.get(i));
            }
        }
        return c;
    }

    private void convert() {
        LinkedHashMap<Bytes, byte[]> m = new LinkedHashMap<>(pairs.size());
        for (int i = 0; i < pairs.size(); i += 2) {
            m.put(new Bytes(pairs.get(i)), pairs.get(i + 1));
        }
        map = m;
        pairs = null;
    }

    /** One field and its value. */
    @FunctionalInterface
    interface PairVisitor {
        void pair(byte[] field, byte[] value);
    }
}
