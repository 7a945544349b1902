package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.core.Promise;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * One shard's part of a transaction or of a cross-shard command ({@link TxExec}): the keys it locks
 * there and the queued commands it runs there, and the steps it takes on that shard. Built on the
 * connection's shard and not changed after it is sent; its steps run on the part's shard, whose
 * {@link KvShard} they are given.
 */
final class TxPart {
    /** The highest shard's answer when a WATCHed key there had changed. */
    static final List<byte[]> ABORTED = List.of();

    final int shard;
    final LinkedHashSet<TxLocks.Key> keySet = new LinkedHashSet<>();
    final List<Integer> index = new ArrayList<>();
    final List<CommandSpec> specs = new ArrayList<>();
    final List<Argv> argv = new ArrayList<>();
    final List<Integer> dbs = new ArrayList<>();
    /** {@link #keySet} as sent: set by {@link #seal} before the part leaves its builder's shard. */
    TxLocks.Key[] keys;

    TxPart(int shard) {
        this.shard = shard;
    }

    void add(int at, CommandSpec spec, Argv args, int db) {
        index.add(at);
        specs.add(spec);
        argv.add(args);
        dbs.add(db);
    }

    void seal() {
        keys = keySet.toArray(new TxLocks.Key[0]);
    }

    /**
     * Takes this part's locks on {@code on}, then checks {@code client}'s WATCHes there (none for a
     * client below 0); unlocks at once if one is dirty. True once held and clean.
     */
    Future<Boolean> hold(KvShard on, long client) {
        Promise<Boolean> granted = new Promise<>(on.loop());
        on.locks().acquire(keys, true, () -> {
            boolean clean = client < 0 || on.watches().checkAndForget(client);
            if (clean) {
                on.waiters().deferServing(); // blocked clients are served when the part ends, never between its commands
            } else {
                on.locks().release(keys);
            }
            granted.trySucceed(clean);
        });
        return granted;
    }

    /** Unlocks a held part; the shard then serves the blocked clients its commands readied. */
    void release(KvShard on) {
        on.locks().release(keys);
        on.waiters().resumeServing();
    }

    /** The highest shard's step, in one hop: lock, check, run, unlock; {@link #ABORTED} if a WATCH failed. */
    Future<List<byte[]>> lockCheckRun(KvShard on, long client, int protocol) {
        Promise<List<byte[]>> done = new Promise<>(on.loop());
        on.locks().acquire(keys, true, () -> {
            if (!on.watches().checkAndForget(client)) {
                on.locks().release(keys);
                done.trySucceed(ABORTED);
                return;
            }
            on.waiters().deferServing();
            Future<List<byte[]>> replies;
            try {
                replies = run(on, protocol);
            } finally {
                release(on);
            }
            replies.whenComplete(done::tryComplete);
        });
        return done;
    }

    /** A held part's last step: run its commands, unlock. */
    Future<List<byte[]>> runAndRelease(KvShard on, int protocol) {
        try {
            return run(on, protocol);
        } finally {
            release(on);
        }
    }

    /** Runs the part's commands in their queued order; each runtime error is that command's reply, as in Redis. */
    private Future<List<byte[]>> run(KvShard on, int protocol) {
        List<Future<byte[]>> replies = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            Future<byte[]> one;
            try {
                one = on.execute(specs.get(i), argv.get(i), protocol, dbs.get(i));
            } catch (RuntimeException e) {
                one = Future.succeeded(RespWriter.errorBytes("ERR " + KvShard.failureText(e)));
            }
            replies.add(one);
        }
        return Futures.all(replies);
    }
}
