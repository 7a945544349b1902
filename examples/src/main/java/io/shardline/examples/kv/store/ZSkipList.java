package io.shardline.examples.kv.store;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * Sorted-set members in (score, member bytes) order: Redis' skip list with spans, so insert, delete,
 * rank lookups and "the n-th member" are O(log n) and a range walks node to node. Owned by one shard;
 * not thread-safe (the insert/delete scratch arrays are shared between calls).
 *
 * <p>Scores compare with {@code <} and {@code ==} as in C, so -0.0 and 0.0 are the same score and equal
 * scores fall back to memcmp order of the members.
 */
final class ZSkipList {
    static final int MAX_LEVEL = 32;

    /** One member. Its score never changes in place: a new score is a delete and an insert. */
    static final class Node {
        final Bytes member;
        final double score;
        Node backward;
        final Node[] forward;
        /** How many level-0 steps {@code forward[i]} skips. */
        final int[] span;

        Node(int level, double score, Bytes member) {
            this.member = member;
            this.score = score;
            this.forward = new Node[level];
            this.span = new int[level];
        }

        Node next() {
            return forward[0];
        }

        Node previous() {
            return backward;
        }
    }

    private final Node header = new Node(MAX_LEVEL, 0, null);
    private final Node[] update = new Node[MAX_LEVEL];
    private final int[] rank = new int[MAX_LEVEL];
    private Node tail;
    private int length;
    private int level = 1;
    private long random = 0x2545F4914F6CDD1DL;

    int size() {
        return length;
    }

    /** The lowest member, or null. */
    Node first() {
        return header.forward[0];
    }

    /** The highest member, or null. */
    Node last() {
        return tail;
    }

    /** Whether {@code n} sorts before (score, member). */
    private static boolean before(Node n, double score, Bytes member) {
        return n.score < score || (n.score == score && n.member.compareTo(member) < 0);
    }

    /** Inserts a member that is not present. */
    Node insert(double score, Bytes member) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            while (x.forward[i] != null && before(x.forward[i], score, member)) {
                rank[i] += x.span[i];
                x = x.forward[i];
            }
            update[i] = x;
        }
        int lvl = randomLevel();
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = header;
                header.span[i] = length;
            }
            level = lvl;
        }
        Node n = new Node(lvl, score, member);
        for (int i = 0; i < lvl; i++) {
            n.forward[i] = update[i].forward[i];
            update[i].forward[i] = n;
            n.span[i] = update[i].span[i] - (rank[0] - rank[i]);
            update[i].span[i] = rank[0] - rank[i] + 1;
        }
        for (int i = lvl; i < level; i++) {
            update[i].span[i]++;
        }
        n.backward = update[0] == header ? null : update[0];
        if (n.forward[0] != null) {
            n.forward[0].backward = n;
        } else {
            tail = n;
        }
        length++;
        Arrays.fill(update, 0, level, null); // keep no removed node reachable from scratch
        return n;
    }

    /** Removes the member with exactly this score; false if absent. */
    boolean delete(double score, Bytes member) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && before(x.forward[i], score, member)) {
                x = x.forward[i];
            }
            update[i] = x;
        }
        x = x.forward[0];
        boolean found = x != null && x.score == score && x.member.equals(member);
        if (found) {
            unlink(x);
        }
        Arrays.fill(update, 0, MAX_LEVEL, null);
        return found;
    }

    private void unlink(Node x) {
        for (int i = 0; i < level; i++) {
            if (update[i].forward[i] == x) {
                update[i].span[i] += x.span[i] - 1;
                update[i].forward[i] = x.forward[i];
            } else {
                update[i].span[i]--;
            }
        }
        if (x.forward[0] != null) {
            x.forward[0].backward = x.backward;
        } else {
            tail = x.backward;
        }
        while (level > 1 && header.forward[level - 1] == null) {
            level--;
        }
        length--;
    }

    /** The member at 1-based {@code rank}, or null if out of range. */
    Node byRank(long rank) {
        if (rank < 1 || rank > length) {
            return null;
        }
        Node x = header;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && traversed + x.span[i] <= rank) {
                traversed += x.span[i];
                x = x.forward[i];
            }
            if (traversed == rank) {
                return x;
            }
        }
        return null;
    }

    /**
     * How many leading members satisfy {@code prefix}, a test that holds for a prefix of the order
     * (e.g. "score below the range"). O(log n); that count is also the rank of the last such member.
     */
    int countPrefix(Predicate<Node> prefix) {
        Node x = header;
        int traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && prefix.test(x.forward[i])) {
                traversed += x.span[i];
                x = x.forward[i];
            }
        }
        return traversed;
    }

    /** Redis' level draw: each extra level with probability 1/4 (xorshift64; quality is not critical). */
    private int randomLevel() {
        int lvl = 1;
        while (lvl < MAX_LEVEL) {
            random ^= random << 13;
            random ^= random >>> 7;
            random ^= random << 17;
            if ((random & 0xFFFF) >= 0x4000) {
                break;
            }
            lvl++;
        }
        return lvl;
    }
}
