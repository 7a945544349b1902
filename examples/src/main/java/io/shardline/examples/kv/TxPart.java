package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Promise;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespArgs;
import io.shardline.examples.kv.resp.RespWriter;
import java.util.Arrays;
import java.util.HashSet;

/**
 * One shard's part of a transaction, of a batch of transactions ({@link TxBatch}) or of a cross-shard
 * command ({@link TxExec}): the keys it locks there and the queued commands it runs there, and the steps
 * it takes on that shard. Built on the connection's shard and not changed after it is sent; its steps run
 * on the part's shard, whose {@link KvShard} they are given, and the replies they note ({@link #replyEnds})
 * are read on the connection's shard once the step's future has crossed back (the mesh's hand-offs order
 * the writes before the reads).
 *
 * <p>Its commands' arguments are the queued commands' own copies, never changed after they are queued,
 * and their replies come back as one array with where each ends, as a {@link Forwarded} run's do: a part
 * costs a handful of objects, not a few per command.
 */
final class TxPart implements ShardRun.Requests {
    /** The highest shard's answer when a WATCHed key there had changed. */
    static final byte[] ABORTED = new byte[0];
    /** {@link #tryLockRunRelease}'s answer when a key was locked or wanted: nothing was run. */
    static final byte[] BUSY = new byte[0];
    /** Past this many keys, duplicates are found with a set rather than by a scan. */
    private static final int SCAN_KEYS = 16;

    final int shard;
    private TxLocks.Key[] keys = new TxLocks.Key[2];
    private int keyCount;
    private HashSet<TxLocks.Key> keySet;
    /** Per command: its place in the transaction's (or batch's) replies. */
    private int[] index = new int[2];
    private CommandSpec[] specs = new CommandSpec[2];
    private int[] dbs = new int[2];
    private Argv[] args = new Argv[2];
    private int count;
    /** {@link #keys} as sent: set by {@link #seal} before the part leaves its builder's shard. */
    private TxLocks.Key[] sealed;
    /** Set on the part's shard with the replies: where each command's reply ends in the reply array. */
    private int[] replyEnds;

    TxPart(int shard) {
        this.shard = shard;
    }

    /** Adds a key to lock on this shard, once. */
    void lock(TxLocks.Key key) {
        if (keySet != null) {
            if (!keySet.add(key)) {
                return;
            }
        } else {
            for (int i = 0; i < keyCount; i++) {
                if (keys[i].equals(key)) {
                    return;
                }
            }
            if (keyCount == SCAN_KEYS) {
                keySet = new HashSet<>(Arrays.asList(keys).subList(0, keyCount));
                keySet.add(key);
            }
        }
        if (keyCount == keys.length) {
            keys = Arrays.copyOf(keys, keyCount * 2);
        }
        keys[keyCount++] = key;
    }

    /** Adds a command to run here, with its own arguments ({@code args}, not changed after); {@code at} is its place among the replies. */
    void add(int at, CommandSpec spec, Argv argv, int db) {
        if (count == specs.length) {
            index = Arrays.copyOf(index, count * 2);
            specs = Arrays.copyOf(specs, count * 2);
            dbs = Arrays.copyOf(dbs, count * 2);
            args = Arrays.copyOf(args, count * 2);
        }
        index[count] = at;
        specs[count] = spec;
        dbs[count] = db;
        args[count] = argv;
        count++;
    }

    int commands() {
        return count;
    }

    /** The place among the replies of this part's command {@code i}. */
    int indexOf(int i) {
        return index[i];
    }

    void seal() {
        sealed = keyCount == keys.length ? keys : Arrays.copyOf(keys, keyCount);
    }

    /** Where command {@code i}'s reply starts in the array its run gave. */
    int replyFrom(int i) {
        return i == 0 ? 0 : replyEnds[i - 1];
    }

    int replyTo(int i) {
        return replyEnds[i];
    }

    /**
     * Takes this part's locks on {@code on}, then checks {@code client}'s WATCHes there (none for a
     * client below 0); unlocks at once if one is dirty. True once held and clean.
     */
    Future<Boolean> hold(KvShard on, long client) {
        Promise<Boolean> granted = new Promise<>(on.loop());
        on.locks().acquire(sealed, true, () -> {
            boolean clean = client < 0 || on.watches().checkAndForget(client);
            if (clean) {
                on.waiters().deferServing(); // blocked clients are served when the part ends, never between its commands
            } else {
                on.locks().release(sealed);
            }
            granted.trySucceed(clean);
        });
        return granted;
    }

    /** Unlocks a held part; the shard then serves the blocked clients its commands readied. */
    void release(KvShard on) {
        on.locks().release(sealed);
        on.waiters().resumeServing();
    }

    /**
     * A step of a transaction with no WATCH on a shard below its highest, in one hop: lock, run, keep
     * the locks until {@link #release} (two-phase locking: the shards above are locked before any is
     * released). The replies, as {@link #runOn} gives them.
     */
    Future<byte[]> lockRun(KvShard on, int protocol) {
        Promise<byte[]> done = new Promise<>(on.loop());
        on.locks().acquire(sealed, true, () -> {
            on.waiters().deferServing();
            runHeld(on, protocol).whenComplete(done::tryComplete);
        });
        return done;
    }

    /**
     * The highest shard's step, in one hop: lock, check {@code client}'s WATCHes (none below 0), run,
     * unlock; {@link #ABORTED} if a WATCH failed.
     */
    Future<byte[]> lockCheckRun(KvShard on, long client, int protocol) {
        Promise<byte[]> done = new Promise<>(on.loop());
        on.locks().acquire(sealed, true, () -> {
            if (client >= 0 && !on.watches().checkAndForget(client)) {
                on.locks().release(sealed);
                done.trySucceed(ABORTED);
                return;
            }
            on.waiters().deferServing();
            runAndRelease(on, protocol).whenComplete(done::tryComplete);
        });
        return done;
    }

    /**
     * Takes this part's locks on {@code on} if they are free now (held by none, wanted by no request
     * waiting), never waiting; true if it did. Unlocked with {@link #release}.
     */
    boolean tryHold(KvShard on) {
        if (on.locks().conflicts(sealed)) {
            return false;
        }
        on.locks().acquire(sealed, true, NOTHING);
        on.waiters().deferServing();
        return true;
    }

    private static final Runnable NOTHING = () -> {
    };

    /**
     * Lock, run, unlock in one hop if the locks are free now; {@link #BUSY}, having done nothing, if
     * one would have to wait: the step of a transaction that holds a higher shard already, which must
     * never wait for a lower one (that could deadlock).
     */
    Future<byte[]> tryLockRunRelease(KvShard on, int protocol) {
        if (!tryHold(on)) {
            return Future.succeeded(BUSY);
        }
        return runAndRelease(on, protocol);
    }

    /** A held part's last step: run its commands, unlock. */
    Future<byte[]> runAndRelease(KvShard on, int protocol) {
        try {
            return runHeld(on, protocol);
        } finally {
            release(on);
        }
    }

    /** Runs the commands of a part whose locks are held; a failure is the future's. */
    private Future<byte[]> runHeld(KvShard on, int protocol) {
        try {
            return on.executeTxPart(this, protocol);
        } catch (RuntimeException e) {
            return Future.failed(e);
        }
    }

    /**
     * Runs the part's commands on {@code shard} (its thread) in their queued order, each runtime error
     * that command's reply as in Redis, and gives the replies as one array ({@link ShardRun}), noting
     * where each ends.
     */
    Future<byte[]> runOn(KvShard shard, boolean noLog, RespWriter out, RespArgs view, int protocol) {
        int[] ends = new int[count];
        replyEnds = ends;
        return ShardRun.run(shard, this, noLog, out, view, protocol, false, ends);
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
        return args[i];
    }

    @Override
    public int db(int i) {
        return dbs[i];
    }
}
