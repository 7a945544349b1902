package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Promise;
import io.shardline.examples.kv.resp.RespWriter;
import java.util.function.Supplier;

/**
 * A connection's pipelined transactions in flight: the batch being gathered from the data being parsed
 * ({@link TxBatch}) and the last one sent. Owned by the {@link KvConnection}; used on its shard only.
 *
 * <p>A batch is sent when the data is parsed, or before a request that is not part of a transaction.
 * While an earlier batch still runs, a new one is sent once that is done, so each runs after the one
 * before, as they were sent; the connection reads on meanwhile, and the replies keep their places in its
 * pending queue. A request that is not part of a transaction waits until every batch before it is done
 * ({@link #behind}), so it sees all that they wrote, and the requests after it wait behind it.
 */
final class TxPipeline {
    /** The transactions gathered from the current data; null when none. */
    private TxBatch open;
    /** Completes when the last batch sent (or waiting to be sent behind another) is done; null before any. */
    private Future<byte[]> sent;

    /** The batch an EXEC in {@code protocol} can join, started if none is open; null if the open one takes no more. */
    TxBatch joinable(KvConnection c, int protocol) {
        if (open == null) {
            open = new TxBatch(c.shard().count(), protocol);
        }
        return open.accepts(protocol) ? open : null;
    }

    /** Sends the batch gathered, if any; see the class comment for the order. */
    void send(KvConnection c) {
        if (open == null) {
            return;
        }
        TxBatch batch = open;
        open = null;
        Future<byte[]> before = sent;
        if (before == null || before.isDone()) {
            sent = batch.send(c);
            return;
        }
        Promise<byte[]> done = new Promise<>(c.shard().loop());
        sent = done;
        before.whenComplete((v, e) -> batch.send(c).whenComplete(done::tryComplete));
    }

    /** Whether transactions are gathered or still running: a request that is not one of them waits ({@link #behind}). */
    boolean pending() {
        return open != null || (sent != null && !sent.isDone());
    }

    /**
     * A request that comes after transactions gathered or still running and is not one of them: sends
     * them, and runs it ({@code later}, its arguments owned) once they are done; the connection reads
     * nothing more until it has run (its {@link KvConnection#barrier}).
     */
    Future<byte[]> behind(KvConnection c, Supplier<Future<byte[]>> later) {
        send(c);
        Future<byte[]> gate = sent;
        if (gate == null || gate.isDone()) {
            return later.get();
        }
        Promise<byte[]> reply = new Promise<>(c.shard().loop());
        c.barrier = reply;
        gate.whenComplete((v, e) -> {
            if (c.closingAfterReply()) {
                reply.trySucceed(new byte[0]); // the client went away meanwhile: its request does not run
                return;
            }
            Future<byte[]> r;
            try {
                r = later.get();
            } catch (RuntimeException ex) {
                r = Future.succeeded(RespWriter.errorBytes("ERR " + KvShard.failureText(ex)));
            }
            send(c); // an EXEC run now may have started a batch of its own
            r.whenComplete(reply::tryComplete);
        });
        return reply;
    }

    /** The connection closed: what was gathered is dropped (what was sent still runs, as the client sent it). */
    void clear() {
        open = null;
        sent = null;
    }
}
