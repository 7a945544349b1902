package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import io.shardline.examples.kv.store.Keyspace;
import io.shardline.examples.kv.store.ScanResult;
import java.util.List;

/**
 * CLUSTER and its subcommands, READONLY, READWRITE and ASKING, with Redis 7.2's replies. In cluster
 * mode each shard answers as the node it is ({@link ClusterTopology}); without it, CLUSTER KEYSLOT
 * answers (this server places keys by the same slots) and the rest say what a standalone Redis says,
 * that cluster support is disabled. Stateless; runs on the connection's shard.
 */
final class ClusterCommand {
    static final String DISABLED = "ERR This instance has cluster support disabled";
    private static final String INVALID_SLOT = "ERR Invalid slot";
    private static final String[] HELP = {
        "CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "COUNTKEYSINSLOT <slot>", "    Return the number of keys in <slot>.",
        "GETKEYSINSLOT <slot> <count>", "    Return key names stored by current node in a slot.",
        "INFO", "    Return information about the cluster.",
        "KEYSLOT <key>", "    Return the hash slot for <key>.",
        "MYID", "    Return the node id.",
        "MYSHARDID", "    Return the node's shard id.",
        "NODES", "    Return cluster configuration seen by node. Output format:",
        "    <id> <ip:port@bus-port[,hostname]> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
        "SLOTS", "    Return information about slots range mappings. Each range is made of:",
        "    start, end, master and replicas IP addresses, ports and ids",
        "SHARDS", "    Return information about slot range mappings and the nodes associated with them.",
        "HELP", "    Print this help.",
    };

    private ClusterCommand() {
    }

    static void run(KvConnection c, Argv argv, RespWriter out) {
        String sub = ConnectionCommands.lower(argv.bytes(1));
        ClusterTopology t = c.server.cluster();
        if (t == null && !sub.equals("keyslot")) {
            out.error(DISABLED);
            return;
        }
        int argc = argv.count();
        int arity = switch (sub) {
            case "keyslot", "countkeysinslot" -> 3;
            case "getkeysinslot" -> 4;
            case "slots", "shards", "nodes", "info", "myid", "myshardid", "help" -> 2;
            default -> -1;
        };
        if (arity < 0) {
            out.error(Errors.unknownSubcommand("cluster", argv.bytes(1)));
            return;
        }
        if (argc != arity) {
            out.error("ERR wrong number of arguments for 'cluster|" + sub + "' command");
            return;
        }
        int me = t == null ? -1 : t.localNode(c.shard().id());
        switch (sub) {
            case "keyslot" -> out.integer(HashSlot.of(argv.bytes(2)));
            case "myid" -> out.bulk(t.node(me).id());
            case "myshardid" -> out.bulk(t.node(me).shardId());
            case "info" -> out.raw(Info.verbatim(c.protocol, info(t, me)));
            case "nodes" -> out.raw(Info.verbatim(c.protocol, nodes(t, me)));
            case "slots" -> slots(t, out);
            case "shards" -> shards(t, out);
            case "countkeysinslot" -> countKeys(c, argv, out);
            case "getkeysinslot" -> getKeys(c, argv, out);
            default -> help(out);
        }
    }

    /** READONLY, READWRITE and ASKING: +OK in cluster mode (ASKING marks the next command). */
    static void flag(KvConnection c, Argv argv, RespWriter out) {
        if (c.server.cluster() == null) {
            out.error(DISABLED);
            return;
        }
        if (ConnectionCommands.lower(argv.bytes(0)).equals("asking")) {
            c.asking = true;
        }
        out.simple("OK");
    }

    private static String info(ClusterTopology t, int me) {
        int assigned = t.slotsAssigned();
        int size = 0;
        for (int n = 0; n < t.nodeCount(); n++) {
            if (!t.ranges(n).isEmpty()) {
                size++;
            }
        }
        return "cluster_state:" + (assigned == HashSlot.SLOTS ? "ok" : "fail") + "\r\n"
                + "cluster_slots_assigned:" + assigned + "\r\n"
                + "cluster_slots_ok:" + assigned + "\r\n"
                + "cluster_slots_pfail:0\r\n"
                + "cluster_slots_fail:0\r\n"
                + "cluster_known_nodes:" + t.nodeCount() + "\r\n"
                + "cluster_size:" + size + "\r\n"
                + "cluster_current_epoch:" + t.currentEpoch() + "\r\n"
                + "cluster_my_epoch:" + t.node(me).configEpoch() + "\r\n"
                + "cluster_stats_messages_sent:0\r\n"
                + "cluster_stats_messages_received:0\r\n"
                + "total_cluster_links_buffer_limit_exceeded:0\r\n";
    }

    /** One line per node, as Redis' clusterGenNodesDescription writes them; every other node is up, so its pong is now; a node has no pong from itself. */
    static String nodes(ClusterTopology t, int me) {
        long now = System.currentTimeMillis();
        StringBuilder s = new StringBuilder();
        for (int n = 0; n < t.nodeCount(); n++) {
            ClusterNode node = t.node(n);
            s.append(node.id()).append(' ').append(node.address()).append('@').append(node.busPort())
                    .append(n == me ? " myself,master" : " master").append(" - 0 ").append(n == me ? 0 : now)
                    .append(' ').append(node.configEpoch()).append(" connected");
            for (int[] r : t.ranges(n)) {
                s.append(' ').append(r[0]);
                if (r[1] != r[0]) {
                    s.append('-').append(r[1]);
                }
            }
            s.append('\n');
        }
        return s.toString();
    }

    private static void slots(ClusterTopology t, RespWriter out) {
        int count = 0;
        for (int n = 0; n < t.nodeCount(); n++) {
            count += t.ranges(n).size();
        }
        out.arrayHeader(count);
        for (int slot = 0; slot < HashSlot.SLOTS; ) { // in slot order, as Redis lists them
            int owner = t.ownerOf(slot);
            int end = slot;
            while (end + 1 < HashSlot.SLOTS && t.ownerOf(end + 1) == owner) {
                end++;
            }
            if (owner >= 0) {
                ClusterNode node = t.node(owner);
                out.arrayHeader(3).integer(slot).integer(end);
                out.arrayHeader(4).bulk(node.host()).integer(node.port()).bulk(node.id()).mapHeader(0);
            }
            slot = end + 1;
        }
    }

    private static void shards(ClusterTopology t, RespWriter out) {
        out.arrayHeader(t.nodeCount());
        for (int n = 0; n < t.nodeCount(); n++) {
            ClusterNode node = t.node(n);
            List<int[]> ranges = t.ranges(n);
            out.mapHeader(2).bulk("slots").arrayHeader(2L * ranges.size());
            for (int[] r : ranges) {
                out.integer(r[0]).integer(r[1]);
            }
            out.bulk("nodes").arrayHeader(1).mapHeader(7)
                    .bulk("id").bulk(node.id())
                    .bulk("port").integer(node.port())
                    .bulk("ip").bulk(node.host())
                    .bulk("endpoint").bulk(node.host())
                    .bulk("role").bulk("master")
                    .bulk("replication-offset").integer(0)
                    .bulk("health").bulk("online");
        }
    }

    /** A slot argument, or -1 after writing Redis' error. */
    private static int slot(byte[] arg, RespWriter out, String invalid) {
        Long n = ConnectionCommands.parseLong(arg);
        if (n == null) {
            out.error(Errors.NOT_INTEGER);
            return -1;
        }
        if (n < 0 || n >= HashSlot.SLOTS) {
            out.error(invalid);
            return -1;
        }
        return n.intValue();
    }

    private static void countKeys(KvConnection c, Argv argv, RespWriter out) {
        int slot = slot(argv.bytes(2), out, INVALID_SLOT);
        if (slot >= 0) {
            out.integer(keysInSlot(c, slot, Long.MAX_VALUE, null));
        }
    }

    private static void getKeys(KvConnection c, Argv argv, RespWriter out) {
        Long max = ConnectionCommands.parseLong(argv.bytes(3));
        Long slotArg = ConnectionCommands.parseLong(argv.bytes(2));
        if (slotArg == null || max == null) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        if (slotArg < 0 || slotArg >= HashSlot.SLOTS || max < 0) {
            out.error("ERR Invalid slot or number of keys");
            return;
        }
        java.util.ArrayList<byte[]> keys = new java.util.ArrayList<>();
        keysInSlot(c, slotArg.intValue(), max, keys);
        out.arrayHeader(keys.size());
        for (byte[] k : keys) {
            out.bulk(k);
        }
    }

    /**
     * Counts (and collects into {@code into}, when given) up to {@code max} keys of database 0 in
     * {@code slot}, walking the shard's key space: the node's keys all live on the shard it is.
     */
    private static long keysInSlot(KvConnection c, int slot, long max, List<byte[]> into) {
        Keyspace ks = c.server.shards().local().keyspace(0);
        long n = 0;
        long cursor = 0;
        do {
            ScanResult r = ks.scan(cursor, 1024, null, null);
            for (byte[] k : r.keys()) {
                if (n < max && HashSlot.of(k) == slot) {
                    n++;
                    if (into != null) {
                        into.add(k);
                    }
                }
            }
            cursor = r.cursor();
        } while (cursor != 0 && n < max);
        return n;
    }

    private static void help(RespWriter out) {
        out.arrayHeader(HELP.length);
        for (String line : HELP) {
            out.simple(line);
        }
    }
}
