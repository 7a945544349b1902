package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespArgs;
import io.shardline.examples.kv.resp.RespWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a run of requests on one shard in order and gives their replies as one array, with where each
 * ends: how a {@link Forwarded} run and a transaction's part ({@link TxPart}) are answered across the mesh
 * with one array rather than one per request. Stateless; runs on the shard's thread.
 */
final class ShardRun {
    /** The requests of a run, read by index on the shard. */
    interface Requests {
        int count();

        CommandSpec spec(int i);

        /** Request {@code i}'s arguments, possibly pointed at by the shard's reused {@code view}. */
        Argv argv(int i, RespArgs view);

        int db(int i);
    }

    private ShardRun() {
    }

    /**
     * Runs {@code run}'s requests on {@code shard} (its thread) in order, each one that throws answered
     * by an error in its place, as it would be alone; fills {@code ends} (one per request) with where
     * each reply ends. With no log ({@code noLog}) every reply is known at once and all are encoded into
     * the shard's reused {@code out}; with a log the array completes once the log holds what they
     * changed. {@code noTouch}: a CLIENT NO-TOUCH client's run, which leaves the LRU clocks alone.
     */
    static Future<byte[]> run(KvShard shard, Requests run, boolean noLog, RespWriter out, RespArgs view, int protocol,
            boolean noTouch, int[] ends) {
        int count = run.count();
        if (noLog) {
            out.clear();
            out.protocol(protocol);
            for (int i = 0; i < count; i++) {
                int mark = out.size();
                try {
                    shard.noTouch = noTouch;
                    shard.executeInto(run.spec(i), run.argv(i, view), out, run.db(i)); // no log: never waits
                } catch (RuntimeException e) {
                    out.truncate(mark);
                    out.error("ERR " + KvShard.failureText(e));
                }
                ends[i] = out.size();
            }
            return Future.succeeded(out.toByteArray());
        }
        List<Future<byte[]>> replies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Future<byte[]> one;
            try {
                shard.noTouch = noTouch;
                one = shard.execute(run.spec(i), run.argv(i, view), protocol, run.db(i));
            } catch (RuntimeException e) {
                one = Future.succeeded(RespWriter.errorBytes("ERR " + KvShard.failureText(e)));
            }
            replies.add(one);
        }
        return Futures.all(replies).map(parts -> concat(parts, ends));
    }

    private static byte[] concat(List<byte[]> parts, int[] ends) {
        int n = 0;
        for (int i = 0; i < parts.size(); i++) {
            n += parts.get(i).length;
            ends[i] = n;
        }
        byte[] all = new byte[n];
        for (int i = 0; i < parts.size(); i++) {
            byte[] p = parts.get(i);
            System.arraycopy(p, 0, all, ends[i] - p.length, p.length);
        }
        return all;
    }
}
