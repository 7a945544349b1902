package io.shardline.examples.kv;

import io.shardline.core.Promise;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.PackedArgs;
import io.shardline.examples.kv.resp.RespWriter;

/**
 * The single-key requests of one connection for one other shard gathered from one batch of received
 * data, which cross the mesh as one message and come back as one reply: their replies concatenated in
 * request order, with where each ends, so each goes out at its own place among the connection's other
 * replies. Filled by the connection on its shard while one batch of received data is parsed, then handed
 * to the target shard, which only reads it ({@link KvShard#executeForwarded}); the mesh's hand-off
 * orders the writes before those reads.
 *
 * <p>So a pipelined burst for a key on another shard costs one hop, one wake-up and one reply, not one
 * each per request. Their arguments are copied once, into one array for the whole run.
 */
final class Forwarded {
    /** Most requests in one message, so one message does not hold the target shard for long. */
    static final int MAX_REQUESTS = 128;

    final int target;
    final int protocol;
    /** Completes on the connection's shard with the run's replies; it holds the run's place among the pending replies. */
    final Promise<byte[]> reply;
    /** Grown as requests come: at {@code -P 1} a run is one request, and should cost little more than one. */
    CommandSpec[] specs = new CommandSpec[4];
    /** The requests' arguments, copied out of the receive buffer, which is reused before the target runs them. */
    final PackedArgs args = new PackedArgs();
    int count;
    /** Set on the target with the replies: where each request's reply ends in the reply array. */
    int[] replyEnds;
    /** On the connection's shard: how many of the replies were taken. */
    private int taken;

    Forwarded(int target, int protocol, Promise<byte[]> reply) {
        this.target = target;
        this.protocol = protocol;
        this.reply = reply;
    }

    /** Adds a request, copying its arguments; false when the run is full. */
    boolean add(CommandSpec spec, Argv argv) {
        if (count == MAX_REQUESTS) {
            return false;
        }
        if (count == specs.length) {
            specs = java.util.Arrays.copyOf(specs, Math.min(MAX_REQUESTS, count * 4));
        }
        specs[count] = spec;
        args.add(argv);
        count++;
        return true;
    }

    /** Writes the next request's reply (once {@link #reply} has succeeded) to {@code out}. */
    void nextReply(RespWriter out) {
        byte[] all = reply.getNow();
        int from = taken == 0 ? 0 : replyEnds[taken - 1];
        out.raw(all, from, replyEnds[taken] - from);
        taken++;
    }

    boolean isFull() {
        return count == MAX_REQUESTS;
    }
}
