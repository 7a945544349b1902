package io.shardline.examples.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a KV server takes part in a Redis Cluster ({@code --cluster}, {@code --cluster-nodes}): the
 * processes of the cluster in the order every one of them lists them, and which of them this one is.
 * Immutable, any thread.
 *
 * <p>Each process is a base port and a shard count: its shard <i>i</i> is one master node on port
 * base + <i>i</i>. The slots are divided evenly over all the nodes of all the processes in list order,
 * so that every process computes the same topology from the same list, with no gossip.
 *
 * @param members every process of the cluster, this one included
 * @param self    the index of this process in {@code members}
 */
public record ClusterConfig(List<Member> members, int self) {

    /** One process of the cluster: its host, base port and shard count. */
    public record Member(String host, int port, int shards) {
        public Member {
            if (port < 0 || port + shards - 1 > 55535) { // 0: any free ports (tests) // the bus port, port + 10000, must be a port too
                throw new IllegalArgumentException("cluster node " + host + ":" + port + "/" + shards
                        + ": its ports and bus ports (port + 10000) must lie in 1..65535");
            }
            if (shards < 1) {
                throw new IllegalArgumentException("cluster node " + host + ":" + port + " needs at least one shard");
            }
        }

        @Override
        public String toString() {
            return host + ":" + port + "/" + shards;
        }
    }

    public ClusterConfig {
        members = List.copyOf(members);
        if (self < 0 || self >= members.size()) {
            throw new IllegalArgumentException("this process is not in the cluster's node list");
        }
        for (int i = 0; i < members.size(); i++) {
            for (int j = i + 1; j < members.size(); j++) {
                Member a = members.get(i);
                Member b = members.get(j);
                if (a.host().equalsIgnoreCase(b.host()) && a.port() < b.port() + b.shards() && b.port() < a.port() + a.shards()) {
                    throw new IllegalArgumentException("cluster nodes " + a + " and " + b + " use the same ports");
                }
            }
        }
        int nodes = members.stream().mapToInt(Member::shards).sum();
        if (nodes > HashSlot.SLOTS) {
            throw new IllegalArgumentException("a cluster of " + nodes + " nodes has more nodes than the 16384 slots");
        }
    }

    /** A cluster of this one process. */
    public static ClusterConfig single(String host, int port, int shards) {
        return new ClusterConfig(List.of(new Member(host, port, shards)), 0);
    }

    /**
     * Parses {@code --cluster-nodes host:port/N,...} and finds this process in it by its host, port and
     * shard count; an {@link IllegalArgumentException} that says what is wrong otherwise.
     */
    public static ClusterConfig parse(String list, String host, int port, int shards) {
        List<Member> members = new ArrayList<>();
        int self = -1;
        for (String item : list.split(",", -1)) {
            String s = item.trim();
            int slash = s.lastIndexOf('/');
            int colon = slash < 0 ? -1 : s.lastIndexOf(':', slash);
            if (slash < 0 || colon <= 0) {
                throw new IllegalArgumentException("--cluster-nodes: '" + s + "' is not host:port/shards");
            }
            Member m;
            try {
                m = new Member(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1, slash)),
                        Integer.parseInt(s.substring(slash + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--cluster-nodes: '" + s + "' is not host:port/shards");
            }
            if (m.port() == port && sameHost(m.host(), host)) {
                if (m.shards() != shards) {
                    throw new IllegalArgumentException("--cluster-nodes lists this process (" + host + ":" + port + ") with "
                            + m.shards() + " shards, but it runs " + shards);
                }
                if (self >= 0) {
                    throw new IllegalArgumentException("--cluster-nodes lists this process (" + host + ":" + port + ") twice");
                }
                self = members.size();
            }
            members.add(m);
        }
        if (self < 0) {
            throw new IllegalArgumentException("--cluster-nodes does not list this process (" + host + ":" + port + "/" + shards + ")");
        }
        return new ClusterConfig(members, self);
    }

    private static boolean sameHost(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        return x.equals(y) || (isLoopback(x) && isLoopback(y));
    }

    private static boolean isLoopback(String h) {
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1");
    }

    /** The global index of this process' first node: the nodes of the processes before it come first. */
    public int firstLocalNode() {
        int n = 0;
        for (int i = 0; i < self; i++) {
            n += members.get(i).shards();
        }
        return n;
    }

    /** How many nodes the cluster has. */
    public int nodes() {
        return members.stream().mapToInt(Member::shards).sum();
    }

    /** The list as {@code --cluster-nodes} takes it, for the data directory's record of it. */
    public String text() {
        return String.join(",", members.stream().map(Member::toString).toList());
    }
}
