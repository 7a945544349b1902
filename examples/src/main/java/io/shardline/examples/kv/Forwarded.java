package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Promise;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.PackedArgs;
import io.shardline.examples.kv.resp.RespArgs;
import io.shardline.examples.kv.resp.RespWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The single-key requests of one connection for one other shard gathered from one batch of received
 * data, which cross the mesh as one message and come back as one reply: their replies concatenated in
 * request order, with where each ends, so each goes out at its own place among the connection's other
 * replies. Filled by the connection on its shard while one batch of received data is parsed, then handed
 * to the target shard, which runs it ({@link #runOn}) and notes where each reply ends; the mesh's
 * hand-offs order each side's writes before the other side's reads.
 *
 * <p>So a pipelined burst for a key on another shard costs one hop, one wake-up and one reply, not one
 * each per request. Their arguments are copied once, into one array for the whole run.
 */
final class Forwarded implements ShardRun.Requests {
    /** Most requests in one message, so one message does not hold the target shard for long. */
    static final int MAX_REQUESTS = 128;

    final int target;
    final int protocol;
    /** The database every request of the run runs in: a SELECT between requests starts another run. */
    final int db;
    /** Whether the run comes from a CLIENT NO-TOUCH client: its commands leave the LRU clocks alone. */
    boolean noTouch;
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
        this(target, protocol, 0, reply);
    }

    Forwarded(int target, int protocol, int db, Promise<byte[]> reply) {
        this.target = target;
        this.protocol = protocol;
        this.db = db;
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

    /**
     * Runs this run's requests on {@code shard} (the target, on its thread), in order, and gives their
     * replies as one array, noting where each ends: each request's reply as {@link KvShard#execute} gives
     * it, one that throws answered by an error in its place, as a request run alone would be. With no log
     * ({@code noLog}) every reply is known at once and all are encoded into the shard's {@code out}; with
     * a log the array completes once the log holds what they changed. {@code view} is the shard's reused
     * view of one request's arguments.
     */
    Future<byte[]> runOn(KvShard shard, boolean noLog, RespWriter out, RespArgs view) {
        if (!shard.locks().idle()) {
            TxLocks.Key[] keys = keys(view);
            if (shard.locks().conflicts(keys)) { // a transaction holds one of its keys: the run waits, in turn
                return shard.locks().whenFree(keys, shard.loop(), () -> runNow(shard, noLog, out, view));
            }
        }
        return runNow(shard, noLog, out, view);
    }

    /** The keys of every request of the run, in its database. */
    private TxLocks.Key[] keys(RespArgs view) {
        List<TxLocks.Key> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.addAll(java.util.Arrays.asList(TxLocks.keysOf(specs[i], args.view(i, view), db)));
        }
        return all.toArray(new TxLocks.Key[0]);
    }

    private Future<byte[]> runNow(KvShard shard, boolean noLog, RespWriter out, RespArgs view) {
        int[] ends = new int[count];
        replyEnds = ends; // filled on the target; read by the connection's shard after the reply crosses back
        return ShardRun.run(shard, this, noLog, out, view, protocol, noTouch, ends);
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public CommandSpec spec(int i) {
        return specs[i];
    }

    @Override
    public Argv argv(int i, RespArgs view) {
        return args.view(i, view);
    }

    @Override
    public int db(int i) {
        return db;
    }

    /** The command of the request whose reply {@link #nextReply} gives next. */
    CommandSpec nextSpec() {
        return specs[taken];
    }

    /** Writes the next request's reply (once {@link #reply} has succeeded) to {@code out}. */
    void nextReply(RespWriter out) {
        byte[] all = reply.getNow();
        int from = taken == 0 ? 0 : replyEnds[taken - 1];
        out.raw(all, from, replyEnds[taken] - from);
        taken++;
    }

    /** Skips the next request's reply (the whole run failed: the connection writes the error itself). */
    void skipReply() {
        taken++;
    }

    boolean isFull() {
        return count == MAX_REQUESTS;
    }
}
