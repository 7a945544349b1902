package io.shardline.examples.kv.store;

import java.util.Arrays;
import java.util.HashMap;

/**
 * A sorted-set value in Redis's two encodings, converted one way as t_zset.c does: while it has at
 * most {@code zset-max-listpack-entries} members none longer than {@code zset-max-listpack-value},
 * members sit in (score, member) order in a {@link Listpack} with their scores in a parallel array;
 * past that, member to node (which holds the score) for O(1) ZSCORE, and the same nodes in a
 * {@link ZSkipList} for order. Owned by one shard; not thread-safe.
 *
 * <p>Reads are by 0-based rank ({@link #memberAt}, {@link #scoreAt}); walking ranks one step at a time
 * costs O(1) per step in both encodings (a cursor remembers the last position), a jump O(log n) in the
 * skip list and O(n) in the small listpack.
 */
final class ZSetValue {
    private final EncodingLimits limits;
    private Listpack pack;
    private double[] scores;
    private HashMap<Bytes, ZSkipList.Node> nodes;
    private ZSkipList order;
    /** The skip list node at {@link #cursorRank}, or null; cleared by every change. */
    private ZSkipList.Node cursorNode;
    private int cursorRank;

    /** An empty set in the listpack encoding. */
    ZSetValue(EncodingLimits limits) {
        this.limits = limits;
        this.pack = new Listpack();
        this.scores = new double[1];
    }

    /** An empty scratch set with Redis's default limits. */
    ZSetValue() {
        this(EncodingLimits.DEFAULTS);
    }

    /**
     * ZADD's new key (Redis 7.0): the skip list at once if listpacks are off or the first member is
     * longer than {@code zset-max-listpack-value}.
     */
    static ZSetValue create(EncodingLimits limits, int firstMemberLength) {
        ZSetValue z = new ZSetValue(limits);
        if (limits.zsetEntries == 0 || firstMemberLength > limits.zsetValue) {
            z.toSkipList();
        }
        return z;
    }

    /** {@code listpack} or {@code skiplist}, as OBJECT ENCODING names it. */
    String encoding() {
        return pack != null ? "listpack" : "skiplist";
    }

    int size() {
        return pack != null ? pack.size() : order.size();
    }

    /** The score of {@code member}, or NaN if absent (a stored score is never NaN). */
    double scoreOf(Bytes member) {
        if (pack != null) {
            int i = pack.indexOf(member, 0, 1);
            return i < 0 ? Double.NaN : scores[i];
        }
        ZSkipList.Node n = nodes.get(member);
        return n == null ? Double.NaN : n.score;
    }

    /** Adds a member that is not present (a probe is copied; zsetAdd: a listpack that would outgrow its limits converts first). */
    void add(Bytes member, double score) {
        if (pack != null && (pack.size() + 1 > limits.zsetEntries || member.length() > limits.zsetValue)) {
            toSkipList();
        }
        cursorNode = null;
        if (pack == null) {
            Bytes owned = member.owned();
            nodes.put(owned, order.insert(score, owned));
            return;
        }
        int at = insertionPoint(score, member);
        int n = pack.size();
        if (n == scores.length) {
            scores = Arrays.copyOf(scores, n + 1 + (n >> 3)); // little slack: a small set's memory is the point
        }
        System.arraycopy(scores, at, scores, at + 1, n - at);
        scores[at] = score;
        pack.insert(at, member);
    }

    /** Gives a present member a new score (re-inserted: the position may change). */
    void rescore(Bytes member, double score) {
        remove(member);
        if (pack != null) {
            int at = insertionPoint(score, member);
            int n = pack.size();
            if (n == scores.length) {
                scores = Arrays.copyOf(scores, n + 1 + (n >> 3)); // little slack: a small set's memory is the point
            }
            System.arraycopy(scores, at, scores, at + 1, n - at);
            scores[at] = score;
            pack.insert(at, member);
        } else {
            Bytes owned = member.owned();
            nodes.put(owned, order.insert(score, owned));
        }
    }

    /** Removes {@code member}; false if absent. */
    boolean remove(Bytes member) {
        cursorNode = null;
        if (pack != null) {
            int i = pack.indexOf(member, 0, 1);
            if (i < 0) {
                return false;
            }
            System.arraycopy(scores, i + 1, scores, i, pack.size() - i - 1);
            pack.remove(i, 1);
            return true;
        }
        ZSkipList.Node n = nodes.remove(member);
        if (n == null) {
            return false;
        }
        order.delete(n.score, n.member);
        return true;
    }

    /** The member at 0-based {@code rank} (lowest score first). */
    byte[] memberAt(int rank) {
        return pack != null ? pack.get(rank) : nodeAt(rank).member.bytes;
    }

    /** The score at 0-based {@code rank}. */
    double scoreAt(int rank) {
        if (pack != null) {
            if (rank < 0 || rank >= pack.size()) {
                throw new IndexOutOfBoundsException(rank);
            }
            return scores[rank];
        }
        return nodeAt(rank).score;
    }

    /**
     * How many leading members satisfy {@code prefix}, a test that holds for a prefix of the order
     * (e.g. "score below the range"): O(log n) in the skip list, O(n) in the listpack.
     */
    int countPrefix(ZRange.Test prefix) {
        if (pack == null) {
            return order.countPrefix(n -> prefix.test(n.score, n.member.bytes));
        }
        int i = 0;
        while (i < pack.size() && prefix.test(scores[i], pack.get(i))) {
            i++;
        }
        return i;
    }

    /** An independent copy in the same encoding (COPY, as zsetDup). */
    ZSetValue copy() {
        ZSetValue c = new ZSetValue(limits);
        if (pack == null) {
            c.toSkipList();
        }
        for (int i = 0; i < size(); i++) {
            c.add(new Bytes(memberAt(i)), scoreAt(i));
        }
        return c;
    }

    /** Where (score, member) goes in the listpack's order: after every member that sorts before it. */
    private int insertionPoint(double score, Bytes member) {
        int n = pack.size();
        int i = 0;
        while (i < n && (scores[i] < score || (scores[i] == score && pack.compareAt(i, member) < 0))) {
            i++;
        }
        return i;
    }

    private ZSkipList.Node nodeAt(int rank) {
        ZSkipList.Node n;
        if (cursorNode != null && rank == cursorRank) {
            n = cursorNode;
        } else if (cursorNode != null && rank == cursorRank + 1) {
            n = cursorNode.next();
        } else if (cursorNode != null && rank == cursorRank - 1) {
            n = cursorNode.previous();
        } else {
            n = order.byRank(rank + 1L);
        }
        if (n == null) {
            throw new IndexOutOfBoundsException(rank);
        }
        cursorNode = n;
        cursorRank = rank;
        return n;
    }

    private void toSkipList() {
        HashMap<Bytes, ZSkipList.Node> map = new HashMap<>();
        ZSkipList list = new ZSkipList();
        for (int i = 0; i < pack.size(); i++) {
            Bytes m = new Bytes(pack.get(i));
            map.put(m, list.insert(scores[i], m));
        }
        nodes = map;
        order = list;
        pack = null;
        scores = null;
        cursorNode = null;
    }
}
