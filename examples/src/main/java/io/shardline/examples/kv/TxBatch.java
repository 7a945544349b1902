package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Promise;
import io.shardline.examples.kv.CommandSpec.OnConnection;
import io.shardline.examples.kv.CommandSpec.OnKeys;
import io.shardline.examples.kv.Transaction.Queued;
import io.shardline.examples.kv.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The transactions one connection sent in one batch of received data, run as one: consecutive
 * MULTI ... EXEC blocks with no WATCH whose commands each run whole on one shard ({@link TxExec}'s
 * split path). Built by the connection's {@link KvConnection} on its shard as their EXECs are read,
 * sent when the data is all parsed or when a request that is not part of a transaction comes
 * ({@link TxPipeline}); its steps run on the shards, its replies are put together on the
 * connection's shard.
 *
 * <p>Why: a client that pipelines transactions (Redis runs a whole read of them in one go) would
 * otherwise wait a round trip through the mesh per transaction, and pay per transaction the lock
 * requests, the hops and the wake-ups. Run as one, the batch costs one lock request and one run per
 * shard for all of its transactions. Running them as one atomic step is one of the serial orders Redis
 * could have given them: each one's commands still run in their order, every one of them after the
 * one before, and nothing else runs on their keys in between. The connection reads on meanwhile; the
 * next batch is sent once this one is done, and a request that is not part of a transaction waits for
 * them, so it sees every write of them ({@link TxPipeline}).
 *
 * <p>The steps, over the shards it touches in ascending order (so no two batches or transactions
 * deadlock, as {@link TxExec} explains): each shard below the highest locks, runs its commands and keeps
 * its locks, one hop each; the highest locks, runs and unlocks in one hop; then the others unlock. With
 * no WATCH nothing can abort, so a lower shard need not wait for the highest before running; every lock
 * is taken before any is released, so the batch is serializable. Two shards cost one round trip for
 * the whole batch: with the connection on the lower one by those steps, on the higher one by locking
 * its own shard first and asking the lower to lock, run and unlock without waiting
 * ({@link #lowerWithoutWaiting}), the ordered steps when a key there is busy.
 */
final class TxBatch {
    /** Transactions of one batch: past this, the next EXEC starts another, so one batch does not hold its shards long. */
    static final int MAX_TRANSACTIONS = 64;

    /** The array headers of the commonest EXEC replies, the same in RESP2 and RESP3. */
    private static final byte[][] HEADERS = new byte[16][];

    static {
        for (int n = 0; n < HEADERS.length; n++) {
            HEADERS[n] = ("*" + n + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** The RESP version of every reply of the batch: a HELLO inside one of its transactions ends it. */
    final int protocol;
    private final TxPart[] parts;
    private int commands;
    /** Per command of the batch: its shard, or -1 when it was answered as its EXEC was read (a connection command). */
    private int[] shardOf = new int[8];
    /** Per command: its place in its shard's part, or in {@link #atOnce}. */
    private int[] placeOf = new int[8];
    private byte[][] atOnce;
    private int answered;
    /** Per transaction: its EXEC's reply, and its commands' range. */
    private final List<Promise<byte[]>> replies = new ArrayList<>(4);
    private int[] firstOf = new int[4];
    private int transactions;
    /** The replies of each shard's part, by shard. */
    private byte[][] results;

    TxBatch(int shards, int protocol) {
        this.parts = new TxPart[shards];
        this.protocol = protocol;
    }

    /** Whether the EXEC of a transaction in {@code protocol} can join this batch. */
    boolean accepts(int protocol) {
        return protocol == this.protocol && transactions < MAX_TRANSACTIONS;
    }

    /**
     * Adds a transaction's {@code queued} commands: connection commands run now, as they would at EXEC
     * (a SELECT changes the database of the commands after it), the others go into their shards' parts
     * with their arguments copied. The future completes with EXEC's reply once the batch has run.
     */
    Future<byte[]> add(KvConnection c, List<Queued> queued) {
        if (transactions == firstOf.length) {
            firstOf = Arrays.copyOf(firstOf, transactions * 2);
        }
        Promise<byte[]> reply = new Promise<>(c.shard().loop());
        replies.add(reply);
        firstOf[transactions] = commands;
        transactions++;
        int db = c.db;
        for (Queued q : queued) {
            int at = commands++;
            if (at == shardOf.length) {
                shardOf = Arrays.copyOf(shardOf, at * 2);
                placeOf = Arrays.copyOf(placeOf, at * 2);
            }
            switch (q.spec().handler()) {
                case OnConnection h -> {
                    RespWriter out = RespWriter.forReply(protocol);
                    h.run(c, q.argv(), out);
                    db = c.db;
                    if (atOnce == null || answered == atOnce.length) {
                        atOnce = atOnce == null ? new byte[4][] : Arrays.copyOf(atOnce, answered * 2);
                    }
                    shardOf[at] = -1;
                    placeOf[at] = answered;
                    atOnce[answered++] = out.toByteArray();
                }
                case OnKeys k -> {
                    TxLocks.Key[] keys = TxLocks.keysOf(q.spec(), q.argv(), db);
                    int target = c.shard().id();
                    for (int i = 0; i < keys.length; i++) {
                        int shard = c.server.slots().shardOf(keys[i].key);
                        part(shard).lock(keys[i]);
                        target = i == 0 ? shard : target;
                    }
                    TxPart p = part(target);
                    shardOf[at] = target;
                    placeOf[at] = p.commands();
                    p.add(at, q.spec(), q.argv(), db);
                }
                case CommandSpec.OnServer h -> throw new IllegalStateException(q.spec().name() + " does not split by shard");
            }
        }
        return reply;
    }

    /** Runs the batch; the future completes (on the connection's shard) once every transaction's reply has. */
    Future<byte[]> send(KvConnection c) {
        int n = 0;
        for (TxPart p : parts) {
            if (p != null) {
                p.seal();
                n++;
            }
        }
        TxPart[] involved = new TxPart[n];
        n = 0;
        for (TxPart p : parts) {
            if (p != null) {
                involved[n++] = p;
            }
        }
        results = new byte[parts.length][];
        if (involved.length == 0) {
            finish();
        } else if (involved.length == 2 && involved[1].shard == c.shard().id() && involved[1].tryHold(TxExec.local(c))) {
            lowerWithoutWaiting(c, involved[0], involved[1]);
        } else {
            step(c, involved, 0);
        }
        return replies.get(transactions - 1);
    }

    /**
     * Two shards, the connection's the higher, whose locks it holds already ({@code mine}): the lower
     * one locks, runs and unlocks in one hop if its keys are free, and never waits (a holder of a higher
     * shard waiting for a lower one could deadlock); then this shard runs and unlocks. Every lock is
     * taken before any is released. One round trip instead of two; if the lower shard's keys were
     * busy, this shard unlocks and the batch takes its steps in order.
     */
    private void lowerWithoutWaiting(KvConnection c, TxPart lower, TxPart mine) {
        int protocol = this.protocol;
        TxExec.on(c, lower.shard, () -> lower.tryLockRunRelease(TxExec.local(c), protocol)).whenComplete((all, e) -> {
            KvShard here = TxExec.local(c);
            if (e != null || all == TxPart.BUSY) {
                mine.release(here);
                if (e != null) {
                    fail(e);
                } else {
                    step(c, new TxPart[] {lower, mine}, 0);
                }
                return;
            }
            results[lower.shard] = all;
            Future<byte[]> own;
            try {
                own = mine.runAndRelease(here, protocol);
            } catch (RuntimeException ex) {
                own = Future.failed(ex);
            }
            own.whenComplete((mineAll, e2) -> {
                if (e2 != null) {
                    fail(e2);
                    return;
                }
                results[mine.shard] = mineAll;
                finish();
            });
        });
    }

    /** Shard {@code involved[i]}'s step, then the next shard's once it is done. */
    private void step(KvConnection c, TxPart[] involved, int i) {
        TxPart p = involved[i];
        boolean last = i == involved.length - 1;
        int protocol = this.protocol;
        Supplier<Future<byte[]>> run = last ? () -> p.lockCheckRun(TxExec.local(c), -1, protocol)
                : () -> p.lockRun(TxExec.local(c), protocol);
        TxExec.on(c, p.shard, run).whenComplete((all, e) -> {
            if (e != null) {
                for (int h = 0; h < (last ? i : i + 1); h++) { // a lower shard keeps its locks even when its run failed
                    release(c, involved[h]);
                }
                fail(e);
                return;
            }
            results[p.shard] = all;
            if (!last) {
                step(c, involved, i + 1);
                return;
            }
            for (int h = 0; h < i; h++) {
                release(c, involved[h]);
            }
            finish();
        });
    }

    private static void release(KvConnection c, TxPart p) {
        TxExec.on(c, p.shard, () -> {
            p.release(TxExec.local(c));
            return Future.succeeded(null);
        });
    }

    private void fail(Throwable e) {
        byte[] error = RespWriter.errorBytes("ERR " + KvShard.failureText(e));
        for (int t = 0; t < transactions; t++) {
            replies.get(t).trySucceed(error);
        }
    }

    /** Puts each transaction's reply together, the array of its commands' replies, and completes it. */
    private void finish() {
        for (int t = 0; t < transactions; t++) {
            int from = firstOf[t];
            int to = t + 1 < transactions ? firstOf[t + 1] : commands;
            byte[] header = to - from < HEADERS.length ? HEADERS[to - from]
                    : ("*" + (to - from) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            int length = header.length;
            for (int i = from; i < to; i++) {
                length += replyLength(i);
            }
            byte[] reply = Arrays.copyOf(header, length);
            int at = header.length;
            for (int i = from; i < to; i++) {
                at = copyReply(i, reply, at);
            }
            replies.get(t).trySucceed(reply);
        }
    }

    private int replyLength(int command) {
        int shard = shardOf[command];
        if (shard < 0) {
            return atOnce[placeOf[command]].length;
        }
        return parts[shard].replyTo(placeOf[command]) - parts[shard].replyFrom(placeOf[command]);
    }

    private int copyReply(int command, byte[] to, int at) {
        int shard = shardOf[command];
        if (shard < 0) {
            byte[] r = atOnce[placeOf[command]];
            System.arraycopy(r, 0, to, at, r.length);
            return at + r.length;
        }
        TxPart p = parts[shard];
        int from = p.replyFrom(placeOf[command]);
        int length = p.replyTo(placeOf[command]) - from;
        System.arraycopy(results[shard], from, to, at, length);
        return at + length;
    }

    private TxPart part(int shard) {
        return parts[shard] == null ? parts[shard] = new TxPart(shard) : parts[shard];
    }
}
