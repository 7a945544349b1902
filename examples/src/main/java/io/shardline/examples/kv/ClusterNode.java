package io.shardline.examples.kv;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One master node of the cluster: a shard of some process, on its own port. Immutable, any thread.
 *
 * @param id          the node id, 40 hex characters
 * @param shardId     the id of its shard of masters and replicas (CLUSTER MYSHARDID), 40 hex characters
 * @param host        the address clients reach it at
 * @param port        its client port; its bus port is {@code port + 10000}, as Redis reports it
 * @param configEpoch the epoch of its slot ownership
 */
public record ClusterNode(String id, String shardId, String host, int port, long configEpoch) {
    /** Redis' bus port offset. */
    static final int BUS_OFFSET = 10000;

    /**
     * A node's id, from its address: every process computes the same ids for the same list without
     * talking to the others (a Redis node draws its id at random and gossips it). Kept in the data
     * directory once made, so it survives restarts as a Redis node's does in nodes.conf.
     */
    static ClusterNode of(String host, int port, long epoch) {
        String id = sha1("shardline cluster node " + host + ":" + port);
        return new ClusterNode(id, sha1("shardline cluster shard " + id), host, port, epoch);
    }

    int busPort() {
        return port + BUS_OFFSET;
    }

    /** {@code host:port} as MOVED and ASK name it. */
    String address() {
        return host + ":" + port;
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-1", e);
        }
    }
}
