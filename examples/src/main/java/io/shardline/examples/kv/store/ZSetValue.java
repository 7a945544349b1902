package io.shardline.examples.kv.store;

import java.util.HashMap;

/**
 * A sorted-set value: member to node (which holds the score) for O(1) ZSCORE, and the same nodes in a
 * {@link ZSkipList} for order. Owned by one shard; not thread-safe.
 */
final class ZSetValue {
    private final HashMap<Bytes, ZSkipList.Node> nodes = new HashMap<>();
    private final ZSkipList order = new ZSkipList();

    int size() {
        return order.size();
    }

    /** The node of {@code member} (its score is {@code node.score}), or null. */
    ZSkipList.Node node(Bytes member) {
        return nodes.get(member);
    }

    ZSkipList order() {
        return order;
    }

    /** Adds a member that is not present. */
    void add(Bytes member, double score) {
        nodes.put(member, order.insert(score, member));
    }

    /** Gives a present member a new score (re-inserted: the position may change). */
    void rescore(ZSkipList.Node node, double score) {
        order.delete(node.score, node.member);
        nodes.put(node.member, order.insert(score, node.member));
    }

    /** Removes {@code member}; false if absent. */
    boolean remove(Bytes member) {
        ZSkipList.Node n = nodes.remove(member);
        if (n == null) {
            return false;
        }
        order.delete(n.score, n.member);
        return true;
    }
}
