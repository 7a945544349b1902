package io.shardline.examples.kv.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One SORT as sortCommandGeneric runs it, split so the keys its BY and GET patterns name may be read on
 * other shards: {@link #load} takes the elements on the key's shard, then while {@link #done()} is false
 * the caller reads {@link #pending()} (key and hash field pairs) wherever they live and hands the
 * values to {@link #supply}; BY values come first, then the sort, then GET values for the range kept.
 * Owned by one thread at a time: it may be handed from shard to shard between steps.
 */
public final class SortJob {
    /** The reply when a BY value or an element is not a number (and ALPHA was not given). */
    public static final String NOT_DOUBLE = "ERR One or more scores can't be converted into double";
    private static final int NEED_BY = 0;
    private static final int NEED_GET = 1;
    private static final int DONE = 2;
    private static final byte[] ARROW = {'-', '>'};

    private final SortArgs args;
    private final boolean wrongType;
    private final boolean dontSort;
    private final boolean alpha;
    private final byte[] by;
    private byte[][] elements;
    private int start;
    private int end;
    private int stage;
    private boolean conversionError;
    /** For each pending lookup, which GET output slot it fills (-1 for none). */
    private int[] slots;
    private List<byte[][]> pending;
    private byte[][] output;

    private SortJob(SortArgs args, boolean wrongType, boolean dontSort, boolean alpha, byte[] by) {
        this.args = args;
        this.wrongType = wrongType;
        this.dontSort = dontSort;
        this.alpha = alpha;
        this.by = by;
    }

    /** Reads the elements of {@code key} on its shard; the job replies WRONGTYPE if it is not a list, set or zset. */
    public static SortJob load(Keyspace ks, byte[] key, SortArgs a) {
        Entry e = ks.lookup(new Bytes(key));
        if (e != null && e.type() != ValueType.LIST && e.type() != ValueType.SET && e.type() != ValueType.ZSET) {
            SortJob refused = new SortJob(a, true, false, false, null);
            refused.stage = DONE;
            return refused;
        }
        boolean dontSort = a.dontSort();
        boolean alpha = a.alpha();
        byte[] by = a.by();
        if (dontSort && e != null && e.type() == ValueType.SET && a.store() != null) {
            dontSort = false; // a stored result must not depend on the set's internal order
            alpha = true;
            by = null;
        }
        SortJob job = new SortJob(a, false, dontSort, alpha, dontSort ? null : by);
        List<byte[]> all = e == null ? List.of() : RdbObjects.of(e).items();
        int n = all.size();
        long start = Math.min(Math.max(a.limitStart(), 0), n);
        long count = Math.min(Math.max(a.limitCount(), -1), n);
        long end = count < 0 ? n : start + count - 1;
        if (start >= n) {
            start = n - 1;
            end = n - 2;
        }
        if (end >= n) {
            end = n - 1;
        }
        if (dontSort && e != null && e.type() != ValueType.SET) {
            // Lists and sorted sets keep their order: only the range is taken, from the tail for DESC.
            int len = (int) Math.max(end - start + 1, 0);
            job.elements = new byte[len][];
            for (int i = 0; i < len; i++) {
                job.elements[i] = all.get(a.desc() ? (int) (n - 1 - start - i) : (int) (start + i));
            }
            end -= start;
            start = 0;
        } else {
            job.elements = all.toArray(new byte[0][]);
        }
        job.start = (int) start;
        job.end = (int) end;
        job.stage = !dontSort && by != null ? NEED_BY : NEED_GET;
        job.prepare();
        return job;
    }

    public boolean wrongType() {
        return wrongType;
    }

    public boolean done() {
        return stage == DONE;
    }

    /** The keys to read next, each {key, hash field or null}, to be answered in order by {@link #supply}. */
    public List<byte[][]> pending() {
        return pending;
    }

    /** The values of {@link #pending()} in order (a copy each, null where none), as {@link #lookup} reads them. */
    public void supply(byte[][] values) {
        if (stage == NEED_BY) {
            sort(values);
            stage = NEED_GET;
        } else {
            for (int i = 0; i < values.length; i++) {
                output[slots[i]] = values[i];
            }
            stage = DONE;
        }
        prepare();
    }

    /** Some BY value or element could not be read as a double: the whole SORT fails, STORE included. */
    public boolean conversionError() {
        return conversionError;
    }

    /** The STORE destination, or null. */
    public byte[] storeKey() {
        return args.store();
    }

    /** The reply's elements once {@link #done()}: nulls where a GET found nothing. */
    public byte[][] output() {
        return output;
    }

    /**
     * lookupKeyByPattern for each {key, field} on this shard: the string at key, or with a field the
     * hash field's value; null when missing or of another type. Copies, free to leave the shard.
     */
    public static byte[][] lookup(Keyspace ks, List<byte[][]> keys) {
        byte[][] out = new byte[keys.size()][];
        for (int i = 0; i < out.length; i++) {
            byte[][] k = keys.get(i);
            Entry e = ks.lookup(new Bytes(k[0]));
            if (e == null) {
                continue;
            }
            if (k[1] != null) {
                byte[] v = e.type() == ValueType.HASH ? e.hash().get(new Bytes(k[1])) : null; // may be the stored array
                out[i] = v == null ? null : v.clone();
            } else if (e.type() == ValueType.STRING) {
                out[i] = e.stringCopy();
            }
        }
        return out;
    }

    /** Fills {@link #pending} for the current stage, moving on at once from a stage with nothing to read. */
    private void prepare() {
        if (stage == NEED_BY) {
            pending = new ArrayList<>(elements.length);
            slots = null;
            for (byte[] el : elements) {
                pending.add(substitute(by, el));
            }
            return;
        }
        if (stage == NEED_GET) {
            if (!dontSort && by == null) {
                sort(null);
            }
            int rows = Math.max(end - start + 1, 0);
            List<byte[]> gets = args.gets();
            output = new byte[gets.isEmpty() ? rows : rows * gets.size()][];
            pending = new ArrayList<>();
            List<Integer> fill = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                byte[] el = elements[start + r];
                if (gets.isEmpty()) {
                    output[r] = el;
                }
                for (int g = 0; g < gets.size(); g++) {
                    byte[] pattern = gets.get(g);
                    if (pattern.length == 1 && pattern[0] == '#') {
                        output[r * gets.size() + g] = el;
                        continue;
                    }
                    byte[][] k = substitute(pattern, el);
                    if (k != null) {
                        pending.add(k);
                        fill.add(r * gets.size() + g);
                    }
                }
            }
            slots = fill.stream().mapToInt(Integer::intValue).toArray();
            if (pending.isEmpty()) {
                stage = DONE;
            }
        }
    }

    /** Orders the elements by {@code byValues} (parallel to them), or by themselves when null. */
    private void sort(byte[][] byValues) {
        int n = elements.length;
        Integer[] order = new Integer[n];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            byte[] v = byValues == null ? elements[i] : byValues[i];
            if (!alpha && v != null) {
                scores[i] = score(v);
            }
        }
        boolean byPattern = byValues != null;
        Comparator<Integer> cmp = (x, y) -> {
            int c;
            if (!alpha) {
                c = scores[x] > scores[y] ? 1 : scores[x] < scores[y] ? -1 : Arrays.compareUnsigned(elements[x], elements[y]);
            } else if (byPattern) {
                byte[] a = byValues[x];
                byte[] b = byValues[y];
                c = a == null || b == null ? (a == b ? 0 : a == null ? -1 : 1) : Arrays.compareUnsigned(a, b);
            } else {
                c = Arrays.compareUnsigned(elements[x], elements[y]);
            }
            return args.desc() ? -c : c;
        };
        Arrays.sort(order, cmp);
        byte[][] sorted = new byte[n][];
        for (int i = 0; i < n; i++) {
            sorted[i] = elements[order[i]];
        }
        elements = sorted;
    }

    /** strtod as SORT uses it: the whole text must convert, without overflow, and not to NaN. */
    private double score(byte[] v) {
        double d = Numbers.toRangeBound(v, 0);
        if (Double.isNaN(d) || (Double.isInfinite(d) && !spellsInfinity(v))) {
            conversionError = true;
            return 0;
        }
        return d;
    }

    private static boolean spellsInfinity(byte[] v) {
        for (int i = 0; i + 2 < v.length; i++) {
            if ((v[i] | 0x20) == 'i' && (v[i + 1] | 0x20) == 'n' && (v[i + 2] | 0x20) == 'f') {
                return true;
            }
        }
        return false;
    }

    /**
     * The {key, field} a pattern names for {@code element}: the first {@code *} replaced by it, and a
     * {@code ->field} after the star (with a non-empty field) naming a hash field; null if no {@code *}.
     */
    static byte[][] substitute(byte[] pattern, byte[] element) {
        int star = SortArgs.indexOf(pattern, (byte) '*');
        if (star < 0) {
            return null;
        }
        int arrow = -1;
        for (int i = star + 1; i + 1 < pattern.length; i++) {
            if (pattern[i] == ARROW[0] && pattern[i + 1] == ARROW[1]) {
                arrow = i;
                break;
            }
        }
        byte[] field = null;
        int keyEnd = pattern.length;
        if (arrow >= 0 && arrow + 2 < pattern.length) {
            field = Arrays.copyOfRange(pattern, arrow + 2, pattern.length);
            keyEnd = arrow;
        }
        byte[] key = new byte[star + element.length + keyEnd - star - 1];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, keyEnd - star - 1);
        return new byte[][] {key, field};
    }
}
