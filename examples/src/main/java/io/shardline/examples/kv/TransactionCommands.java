package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH with Redis 7's replies and errors, and the queuing of the
 * commands in between ({@link #queue}); {@link TxExec} runs what EXEC finds. Stateless; runs on the
 * connection's shard.
 */
final class TransactionCommands {
    static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";

    private TransactionCommands() {
    }

    /** Whether {@code spec} runs at once inside MULTI rather than being queued, as in Redis' processCommand. */
    static boolean runsInMulti(CommandSpec spec) {
        return switch (spec.name()) {
            case "exec", "discard", "multi", "watch", "quit", "reset" -> true;
            default -> false;
        };
    }

    /** Whether the connection is between MULTI and EXEC. */
    static boolean open(KvConnection c) {
        return c.tx != null && c.tx.open;
    }

    /** A command refused before it could be queued (unknown, wrong arity, not authenticated): EXEC will abort. */
    static void queuingError(KvConnection c) {
        if (open(c)) {
            c.tx.failed = true;
        }
    }

    /**
     * EXEC refused before running (wrong arity): the transaction is discarded and the error says why, as
     * Redis' execCommandAbort.
     */
    static String execAbort(KvConnection c, String error) {
        discard(c);
        return "EXECABORT Transaction discarded because of: " + (error.startsWith("ERR ") ? error.substring(4) : error);
    }

    /** +QUEUED, the same in RESP2 and RESP3: one future for every reply that waits its turn in a pipeline. */
    private static final Future<byte[]> QUEUED = Future.succeeded(RespWriter.forReply(2).simple("QUEUED").toByteArray());

    /** Queues the request (an owned copy) and answers +QUEUED. */
    static void queue(KvConnection c, CommandSpec spec, Argv argv, RespWriter out) {
        c.tx.queued.add(new Transaction.Queued(spec, argv.copy()));
        out.simple("QUEUED");
    }

    /** As {@link #queue(KvConnection, CommandSpec, Argv, RespWriter)}, its reply as a future. */
    static Future<byte[]> queue(KvConnection c, CommandSpec spec, Argv argv) {
        c.tx.queued.add(new Transaction.Queued(spec, argv.copy()));
        return QUEUED;
    }

    static void multi(KvConnection c, Argv argv, RespWriter out) {
        if (open(c)) {
            out.error("ERR MULTI calls can not be nested");
            return;
        }
        if (c.tx == null) {
            c.tx = new Transaction();
        }
        c.tx.begin();
        out.simple("OK");
    }

    static void discard(KvConnection c, Argv argv, RespWriter out) {
        if (!open(c)) {
            out.error("ERR DISCARD without MULTI");
            return;
        }
        discard(c);
        out.simple("OK");
    }

    /** Ends the transaction, if any, and every WATCH of the connection (DISCARD, RESET, a closed connection). */
    static void discard(KvConnection c) {
        if (c.tx != null) {
            unwatchAll(c);
            c.tx.end();
        }
    }

    static Future<byte[]> exec(KvConnection c, Argv argv) {
        if (!open(c)) {
            return Dispatcher.error("ERR EXEC without MULTI");
        }
        if (c.tx.failed) {
            discard(c);
            return Dispatcher.error(EXECABORT);
        }
        return TxExec.exec(c);
    }

    static Future<byte[]> watch(KvConnection c, Argv argv) {
        if (open(c)) {
            return Dispatcher.error("ERR WATCH inside MULTI is not allowed");
        }
        if (c.tx == null) {
            c.tx = new Transaction();
        }
        int db = c.db;
        long client = c.id;
        List<Future<Void>> registered = new ArrayList<>(argv.count() - 1);
        for (int i = 1; i < argv.count(); i++) {
            TxLocks.Key key = new TxLocks.Key(db, argv.bytes(i));
            int shard = c.server.slots().shardOf(key.key);
            Transaction.Watched w = new Transaction.Watched(shard, key);
            if (c.tx.watched.contains(w)) {
                continue; // Redis watches a key once per client
            }
            c.tx.watched.add(w);
            if (shard == c.shard().id()) { // at once: a command after it on this shard runs before any task
                c.server.shards().local().watches().watch(client, key);
            } else {
                registered.add(c.shard().submitTo(shard, () -> {
                    c.server.shards().local().watches().watch(client, key);
                    return null;
                }));
            }
        }
        Future<byte[]> reply = Futures.all(registered).map(v -> RespWriter.forReply(2).simple("OK").toByteArray());
        if (!reply.isDone()) {
            c.barrier = reply; // a write this client sends next must find the key watched
        }
        return reply;
    }

    static void unwatch(KvConnection c, Argv argv, RespWriter out) {
        unwatchAll(c);
        out.simple("OK");
    }

    /** Forgets the connection's watches on every shard that has some (one message to each). */
    static void unwatchAll(KvConnection c) {
        if (c.tx == null || c.tx.watched.isEmpty()) {
            return;
        }
        boolean[] told = new boolean[c.shard().count()];
        long client = c.id;
        for (Transaction.Watched w : c.tx.watched) {
            if (!told[w.shard()]) {
                told[w.shard()] = true;
                if (w.shard() == c.shard().id()) { // at once, as in watch
                    c.server.shards().local().watches().forget(client);
                } else {
                    c.shard().submitTo(w.shard(), () -> {
                        c.server.shards().local().watches().forget(client);
                        return null;
                    });
                }
            }
        }
        c.tx.watched.clear();
    }
}
