package io.shardline.perf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code kv} suite's cluster helpers: forming a Redis Cluster of started redis-servers, and waiting
 * until every node of a cluster (Redis's or Shardline's) says it is whole. Stateless; called from the
 * suite's thread.
 */
final class KvCluster {
    static final String REDIS_CLI = "redis-cli";
    static final int SLOTS = 16_384;
    private static final long READY_MILLIS = 60_000;

    private KvCluster() {
    }

    /**
     * Makes the redis-servers on {@code ports} (cluster mode, empty) one cluster of masters with the
     * slots spread evenly: {@code redis-cli --cluster create ... --cluster-yes}, its output in
     * {@code log}. redis-cli refuses fewer than 3 masters, so for 1 or 2 nodes this does by hand what it
     * does: a distinct config epoch per node, a contiguous slot range each, and CLUSTER MEET.
     */
    static void create(List<Integer> ports, Path log) throws IOException, InterruptedException {
        if (ports.size() < 3) {
            createByHand(ports);
            return;
        }
        List<String> command = new ArrayList<>(List.of(REDIS_CLI, "--cluster", "create"));
        for (int port : ports) {
            command.add("127.0.0.1:" + port);
        }
        command.add("--cluster-yes");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(READY_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new IOException("redis-cli --cluster create did not finish within " + READY_MILLIS / 1000 + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("redis-cli --cluster create exited with " + p.exitValue() + ": see " + log);
            }
        } finally {
            p.destroyForcibly();
        }
    }

    private static void createByHand(List<Integer> ports) throws IOException {
        for (int i = 0; i < ports.size(); i++) {
            try (RespClient c = RespClient.connect(ports.get(i))) {
                c.call("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
                c.call("CLUSTER", "ADDSLOTSRANGE", Integer.toString(SLOTS * i / ports.size()),
                        Integer.toString(SLOTS * (i + 1) / ports.size() - 1));
            }
        }
        try (RespClient c = RespClient.connect(ports.getFirst())) {
            for (int port : ports.subList(1, ports.size())) {
                c.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(port));
            }
        }
    }

    /**
     * Waits until every node on {@code ports} answers CLUSTER INFO with {@code cluster_state:ok} and
     * {@code cluster_known_nodes:<ports.size()>}; fails with the last answer after a minute.
     */
    static void awaitOk(List<Integer> ports) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_MILLIS);
        for (int port : ports) {
            String last;
            while (!isWhole(last = info(port), ports.size())) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the cluster on ports " + ports + " was not ok within " + READY_MILLIS / 1000
                            + " s; node " + port + " says: " + (last.isEmpty() ? "nothing" : last.replaceAll("\\s+", " ").strip()));
                }
                Thread.sleep(100); // gossip settles on its own schedule: nothing to wait on but the answer
            }
        }
    }

    /** Whether CLUSTER INFO's text says the cluster is ok and knows {@code nodes} nodes. */
    static boolean isWhole(String info, int nodes) {
        var fields = MemoryProbe.infoFields(info);
        return "ok".equals(fields.get("cluster_state")) && Integer.toString(nodes).equals(fields.get("cluster_known_nodes"));
    }

    /** CLUSTER INFO from {@code port}, or "" if it does not answer (yet). */
    private static String info(int port) {
        try (RespClient c = RespClient.connect(port)) {
            return c.call("CLUSTER", "INFO");
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code n} consecutive ports from {@code base}. */
    static List<Integer> ports(int base, int n) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ports.add(base + i);
        }
        return ports;
    }
}
