package io.shardline.examples.kv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cluster as this process sees it: every node, which node owns each of the 16384 slots, and the
 * epochs. Immutable, any thread: made once at start and read by every shard.
 *
 * <p>The nodes are numbered in {@link ClusterConfig} order; this process' shard <i>i</i> is node
 * {@code firstLocal + i}. The slots start divided as {@link SlotTable#evenSplit} divides them over all
 * the nodes, so a one-process cluster places keys exactly as the server does without {@code --cluster}
 * and the same data directory serves both.
 *
 * <p>Kept in {@value #FILE} in the data directory (node ids, slot ownership, epochs), as a Redis node
 * keeps nodes.conf, and read back at the next start.
 */
public final class ClusterTopology {
    static final String FILE = "cluster.conf";
    private static final String HEADER = "shardline-cluster 1";

    private final ClusterNode[] nodes;
    /** The node index owning each slot, -1 for none. */
    private final short[] owner;
    private final long currentEpoch;
    private final int firstLocal;
    private final int localCount;
    private final String members;
    /** Whether this came from the data directory (its ids are settled) rather than made afresh. */
    private final boolean kept;

    private ClusterTopology(ClusterNode[] nodes, short[] owner, long currentEpoch, int firstLocal, int localCount,
                            String members, boolean kept) {
        this.kept = kept;
        this.nodes = nodes;
        this.owner = owner;
        this.currentEpoch = currentEpoch;
        this.firstLocal = firstLocal;
        this.localCount = localCount;
        this.members = members;
    }

    /** A new cluster's topology: ids from the addresses, node <i>n</i> with epoch <i>n</i> + 1, slots split evenly. */
    static ClusterTopology fresh(ClusterConfig config) {
        int total = config.nodes();
        ClusterNode[] nodes = new ClusterNode[total];
        int n = 0;
        for (ClusterConfig.Member m : config.members()) {
            for (int i = 0; i < m.shards(); i++, n++) {
                nodes[n] = ClusterNode.of(m.host(), m.port() + i, n + 1);
            }
        }
        short[] owner = new short[HashSlot.SLOTS];
        for (int slot = 0; slot < owner.length; slot++) {
            owner[slot] = (short) SlotTable.evenOwner(slot, total);
        }
        return new ClusterTopology(nodes, owner, total, config.firstLocalNode(), config.members().get(config.self()).shards(),
                config.text(), false);
    }

    /**
     * The topology kept in {@code dir}, or a fresh one written there when there is none; an
     * {@link IllegalArgumentException} when the kept one belongs to another node list.
     */
    static ClusterTopology open(Path dir, ClusterConfig config) throws IOException {
        ClusterTopology wanted = fresh(config);
        if (dir == null) {
            return wanted;
        }
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            Files.createDirectories(dir);
            wanted.save(dir);
            return wanted;
        }
        ClusterTopology kept = parse(Files.readAllLines(file, StandardCharsets.UTF_8), wanted);
        if (!kept.members.equals(wanted.members)) {
            throw new IllegalArgumentException("the data directory " + dir + " belongs to the cluster " + kept.members
                    + ", not to --cluster-nodes " + wanted.members);
        }
        return kept;
    }

    private static ClusterTopology parse(List<String> lines, ClusterTopology wanted) {
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IllegalArgumentException(FILE + " is not a Shardline cluster file");
        }
        String members = null;
        long epoch = 0;
        List<ClusterNode> nodes = new ArrayList<>();
        short[] owner = new short[HashSlot.SLOTS];
        Arrays.fill(owner, (short) -1);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "members" -> members = f[1];
                case "currentEpoch" -> epoch = Long.parseLong(f[1]);
                case "node" -> {
                    int index = nodes.size();
                    nodes.add(new ClusterNode(f[1], f[2], f[3], Integer.parseInt(f[4]), Long.parseLong(f[5])));
                    for (int i = 6; i < f.length; i++) {
                        int dash = f[i].indexOf('-');
                        int from = Integer.parseInt(dash < 0 ? f[i] : f[i].substring(0, dash));
                        int to = dash < 0 ? from : Integer.parseInt(f[i].substring(dash + 1));
                        Arrays.fill(owner, from, to + 1, (short) index);
                    }
                }
                default -> throw new IllegalArgumentException(FILE + ": unknown line '" + line + "'");
            }
        }
        if (members == null) {
            throw new IllegalArgumentException(FILE + " names no members");
        }
        if (!members.equals(wanted.members)) {
            return new ClusterTopology(wanted.nodes, owner, epoch, wanted.firstLocal, wanted.localCount, members, true);
        }
        if (nodes.size() != wanted.nodes.length) {
            throw new IllegalArgumentException(FILE + " lists " + nodes.size() + " nodes, the cluster has " + wanted.nodes.length);
        }
        return new ClusterTopology(nodes.toArray(ClusterNode[]::new), owner, epoch, wanted.firstLocal, wanted.localCount,
                members, true);
    }

    /** Writes this topology to {@code dir}, replacing the file at once (a crash leaves the old or the new). */
    void save(Path dir) throws IOException {
        StringBuilder s = new StringBuilder(HEADER).append('\n');
        s.append("members ").append(members).append('\n');
        s.append("currentEpoch ").append(currentEpoch).append('\n');
        for (int n = 0; n < nodes.length; n++) {
            ClusterNode node = nodes[n];
            s.append("node ").append(node.id()).append(' ').append(node.shardId()).append(' ').append(node.host())
                    .append(' ').append(node.port()).append(' ').append(node.configEpoch());
            for (int[] r : ranges(n)) {
                s.append(' ').append(r[0]);
                if (r[1] != r[0]) {
                    s.append('-').append(r[1]);
                }
            }
            s.append('\n');
        }
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.writeString(tmp, s, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * This topology with this process' nodes on the ports its listeners got ({@code ports[i]} for shard
     * <i>i</i>), written to {@code dir} when that changed it. A node first started on port 0 takes its id
     * from the port it got; a kept node keeps its id wherever it listens now.
     */
    ClusterTopology withLocalPorts(int[] ports, Path dir) throws IOException {
        ClusterNode[] moved = nodes.clone();
        boolean changed = false;
        for (int i = 0; i < localCount; i++) {
            ClusterNode n = nodes[firstLocal + i];
            if (n.port() != ports[i]) {
                moved[firstLocal + i] = kept ? new ClusterNode(n.id(), n.shardId(), n.host(), ports[i], n.configEpoch())
                        : ClusterNode.of(n.host(), ports[i], n.configEpoch());
                changed = true;
            }
        }
        if (!changed) {
            return this;
        }
        ClusterTopology t = new ClusterTopology(moved, owner, currentEpoch, firstLocal, localCount, members, true);
        if (dir != null) {
            t.save(dir);
        }
        return t;
    }

    /** The node index owning {@code slot}, -1 when no node serves it. */
    int ownerOf(int slot) {
        return owner[slot];
    }

    ClusterNode node(int index) {
        return nodes[index];
    }

    int nodeCount() {
        return nodes.length;
    }

    /** The node of this process' shard {@code shard}. */
    int localNode(int shard) {
        return firstLocal + shard;
    }

    /** This process' shard that is node {@code index}, or -1 if another process runs it. */
    int localShard(int index) {
        int s = index - firstLocal;
        return s >= 0 && s < localCount ? s : -1;
    }

    long currentEpoch() {
        return currentEpoch;
    }

    /** The contiguous slot ranges {@code [from, to]} node {@code index} owns, in slot order. */
    List<int[]> ranges(int index) {
        List<int[]> out = new ArrayList<>();
        int slot = 0;
        while (slot < owner.length) {
            if (owner[slot] != index) {
                slot++;
                continue;
            }
            int from = slot;
            while (slot < owner.length && owner[slot] == index) {
                slot++;
            }
            out.add(new int[] {from, slot - 1});
        }
        return out;
    }

    /** How many slots some node serves. */
    int slotsAssigned() {
        int n = 0;
        for (short o : owner) {
            if (o >= 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * Where this process keeps each slot's keys: a local node's slots on its shard; the slots other
     * processes own nowhere in particular (their keys are redirected, never stored), here shard 0.
     */
    SlotTable placement() {
        short[] shardOf = new short[HashSlot.SLOTS];
        for (int slot = 0; slot < shardOf.length; slot++) {
            int local = owner[slot] < 0 ? -1 : localShard(owner[slot]);
            shardOf[slot] = (short) Math.max(local, 0);
        }
        return SlotTable.of(shardOf, localCount);
    }
}
