package io.shardline.examples.router;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Maglev consistent hashing (Eisenbud et al., NSDI 2016): a lookup table of prime size M in which each
 * upstream owns about M/n entries. Immutable once built, so one table serves every shard and every
 * shard maps a key to the same upstream; each upstream's preference order depends on its name only,
 * so adding or removing one moves little more than the 1/n of the keys that must move.
 *
 * <p>Cost: the table is an int per entry (M between 2,053 and 65,521, about 100 entries per upstream
 * or more), built in O(M log M) when a config is loaded, never on the request path.
 */
public final class Maglev {
    private static final int[] SIZES = {2053, 8191, 65521};
    private final int[] table;

    /** A table over {@code names} (upstream i owns the entries holding i); names must be distinct. */
    public Maglev(List<String> names) {
        int n = names.size();
        if (n == 0) {
            throw new IllegalArgumentException("no upstreams");
        }
        int m = SIZES[SIZES.length - 1];
        for (int s : SIZES) {
            if (s >= 100L * n) {
                m = s;
                break;
            }
        }
        long[] offset = new long[n];
        long[] skip = new long[n];
        long[] next = new long[n];
        for (int i = 0; i < n; i++) {
            long h = hash(names.get(i));
            offset[i] = Long.remainderUnsigned(h, m);
            skip[i] = Long.remainderUnsigned(mix(h ^ 0x9E3779B97F4A7C15L), m - 1) + 1;
        }
        int[] t = new int[m];
        java.util.Arrays.fill(t, -1);
        int filled = 0;
        while (true) {
            for (int i = 0; i < n; i++) {
                int c = (int) ((offset[i] + next[i] * skip[i]) % m);
                while (t[c] >= 0) {
                    next[i]++;
                    c = (int) ((offset[i] + next[i] * skip[i]) % m);
                }
                t[c] = i;
                next[i]++;
                if (++filled == m) {
                    this.table = t;
                    return;
                }
            }
        }
    }

    /** The upstream for {@code key}. */
    public int pick(String key) {
        return table[(int) Long.remainderUnsigned(hash(key), table.length)];
    }

    /**
     * The upstream for {@code key} among those {@code usable} accepts: the key's own entry, else the
     * next entries in table order (the same on every shard with the same health view); -1 if none is.
     */
    public int pick(String key, IntPredicate usable) {
        int at = (int) Long.remainderUnsigned(hash(key), table.length);
        int first = table[at];
        if (usable.test(first)) {
            return first;
        }
        for (int k = 1; k < table.length; k++) { // walks the whole table only when every upstream is down
            int u = table[(at + k) % table.length];
            if (u != first && usable.test(u)) {
                return u;
            }
        }
        return -1;
    }

    public int size() {
        return table.length;
    }

    /** A 64-bit hash of the UTF-8 bytes of {@code s}, the same in every process: FNV-1a, then MurmurHash3's finalizer. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
