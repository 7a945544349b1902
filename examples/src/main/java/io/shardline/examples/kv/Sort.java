package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import io.shardline.examples.kv.store.Notifier;
import io.shardline.examples.kv.store.SortArgs;
import io.shardline.examples.kv.store.SortJob;
import io.shardline.shard.Shard;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * SORT and SORT_RO over the shards: the keys BY and GET patterns name, and the STORE destination, may
 * live on any shard, so they are gathered rather than refused (Redis Cluster refuses patterns outside
 * the key's slot). Stateless; runs on the connection's shard, its steps on the keys' shards.
 *
 * <p>The whole command runs as one step on the sorted key's shard when every key it reads and the
 * destination live there (always so with one shard, or with hash tags), which is atomic as a Redis
 * command is. Otherwise the job carries on from the connection's shard: one message per shard for each
 * round of reads (BY values, then GET values), then DEL and RPUSH of the result on the destination's
 * shard, logged there. A STORE to another shard runs under intent locks on the sorted key and the
 * destination ({@link TxExec#locked}); the BY and GET pattern keys are not known beforehand, so they are
 * read as of their steps.
 */
final class Sort {
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RPUSH = "RPUSH".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = new byte[0];

    private Sort() {
    }

    static Future<byte[]> sort(KvConnection c, Argv argv) {
        return run(c, argv, false);
    }

    static Future<byte[]> sortRo(KvConnection c, Argv argv) {
        return run(c, argv, true);
    }

    private static Future<byte[]> run(KvConnection c, Argv argv, boolean readOnly) {
        int protocol = c.protocol;
        int db = c.db;
        RespWriter check = RespWriter.forReply(protocol);
        SortArgs a = SortArgs.parse(argv, readOnly, check);
        if (a == null) {
            return Future.succeeded(check.toByteArray());
        }
        byte[] key = argv.bytes(1);
        int keyShard = shardOf(c, key);
        if (a.store() != null && shardOf(c, a.store()) != keyShard) {
            // issue 17 point 9: the sorted key and the destination under intent locks, so no client sees
            // the STORE half done (the BY and GET pattern keys are read as of their steps)
            Future<byte[]> reply = TxExec.lockedUnlessInExec(c, new byte[][] {key, a.store()},
                    new int[] {keyShard, shardOf(c, a.store())}, () -> sortFrom(c, a, key, keyShard, protocol, db));
            if (!reply.isDone()) {
                c.barrier = reply;
            }
            return reply;
        }
        Future<byte[]> reply = sortFrom(c, a, key, keyShard, protocol, db);
        if (!reply.isDone()) {
            c.barrier = reply; // a later request of the connection must see the STORE done
        }
        return reply;
    }

    private static Future<byte[]> sortFrom(KvConnection c, SortArgs a, byte[] key, int keyShard, int protocol, int db) {
        Future<Object> first = on(c, keyShard, () -> {
            KvShard shard = local(c);
            SortJob job = KeyspaceEvents.asRead(shard, db, () -> SortJob.load(shard.keyspace(db), key, a)); // keymiss as Redis'
            while (!job.done() && allOn(c, keyShard, job.pending())) {
                job.supply(SortJob.lookup(shard.keyspace(db), job.pending()));
            }
            if (!job.done() || (storing(job) && shardOf(c, job.storeKey()) != keyShard)) {
                return Future.<Object>succeeded(job); // the rest runs from the connection's shard
            }
            return storing(job) ? store(shard, job, protocol, db).map(r -> (Object) r) : Future.<Object>succeeded(reply(job, protocol));
        });
        return first.flatMap(r -> r instanceof byte[] b ? Future.succeeded(b) : drive(c, (SortJob) r, protocol, db));
    }

    /** Whether the job ends in a write: a STORE that passed the type and number checks. */
    private static boolean storing(SortJob job) {
        return job.storeKey() != null && !job.wrongType() && !job.conversionError();
    }

    /** Carries a job on from the connection's shard: each round of reads gathered over the shards. */
    private static Future<byte[]> drive(KvConnection c, SortJob job, int protocol, int db) {
        if (!job.done()) {
            return gather(c, job.pending(), db).flatMap(values -> {
                job.supply(values);
                return drive(c, job, protocol, db);
            });
        }
        if (!storing(job)) {
            return Future.succeeded(reply(job, protocol));
        }
        return on(c, shardOf(c, job.storeKey()), () -> store(local(c), job, protocol, db));
    }

    /** The reply of a job without a write: its error, or the array of its output. */
    private static byte[] reply(SortJob job, int protocol) {
        if (job.wrongType()) {
            return RespWriter.errorBytes(Errors.WRONGTYPE);
        }
        if (job.conversionError()) {
            return RespWriter.errorBytes(SortJob.NOT_DOUBLE);
        }
        RespWriter out = RespWriter.forReply(protocol);
        out.arrayHeader(job.output().length);
        for (byte[] v : job.output()) {
            if (v == null) {
                out.nullBulk();
            } else {
                out.bulk(v);
            }
        }
        return out.toByteArray();
    }

    /** STORE on the destination's shard: DEL, then RPUSH of the output (a missing GET is ""), both logged. */
    private static Future<byte[]> store(KvShard shard, SortJob job, int protocol, int db) {
        byte[] dest = job.storeKey();
        byte[][] out = job.output();
        Notifier events = shard.keyspace(db).notifier();
        boolean existed = events.flags() != 0 && shard.keyspace(db).exists(dest);
        Future<byte[]> written = KeyspaceEvents.quietly(shard, db, () -> {
            Future<byte[]> deleted = shard.execute(CommandTable.lookup(DEL), new byte[][] {DEL, dest}, protocol, db);
            if (out.length == 0) {
                return deleted;
            }
            byte[][] push = new byte[2 + out.length][];
            push[0] = RPUSH;
            push[1] = dest;
            for (int i = 0; i < out.length; i++) {
                push[2 + i] = out[i] == null ? EMPTY : out[i];
            }
            Future<byte[]> pushed = shard.execute(CommandTable.lookup(RPUSH), push, protocol, db);
            return deleted.flatMap(d -> isError(d) ? Future.succeeded(d) : pushed);
        });
        if (out.length > 0) { // sortCommandGeneric's events: setKey's "new", then "sortstore"; an empty result deletes
            if (!existed) {
                events.notify(Notifier.NEW, "new", dest);
            }
            events.notify(Notifier.LIST, "sortstore", dest);
        } else if (existed) {
            events.notify(Notifier.GENERIC, "del", dest);
        }
        long count = out.length;
        return written.map(r -> isError(r) ? r : RespWriter.forReply(protocol).integer(count).toByteArray());
    }

    /** Reads {@code keys} ({key, field} pairs) on their shards, one message per shard, values back in order. */
    private static Future<byte[][]> gather(KvConnection c, List<byte[][]> keys, int db) {
        int shards = c.shard().count();
        List<List<byte[][]>> parts = new ArrayList<>(shards);
        List<List<Integer>> where = new ArrayList<>(shards);
        for (int s = 0; s < shards; s++) {
            parts.add(new ArrayList<>());
            where.add(new ArrayList<>());
        }
        for (int i = 0; i < keys.size(); i++) {
            int s = shardOf(c, keys.get(i)[0]);
            parts.get(s).add(keys.get(i));
            where.get(s).add(i);
        }
        List<Future<byte[][]>> reads = new ArrayList<>();
        List<List<Integer>> order = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            if (parts.get(s).isEmpty()) {
                continue;
            }
            List<byte[][]> part = parts.get(s);
            reads.add(onValue(c, s, () -> SortJob.lookup(local(c).keyspace(db), part)));
            order.add(where.get(s));
        }
        return Futures.all(reads).map(got -> {
            byte[][] values = new byte[keys.size()][];
            for (int p = 0; p < got.size(); p++) {
                for (int i = 0; i < got.get(p).length; i++) {
                    values[order.get(p).get(i)] = got.get(p)[i];
                }
            }
            return values;
        });
    }

    private static boolean allOn(KvConnection c, int shard, List<byte[][]> keys) {
        for (byte[][] k : keys) {
            if (shardOf(c, k[0]) != shard) {
                return false;
            }
        }
        return true;
    }

    private static <T> Future<T> onValue(KvConnection c, int shard, Supplier<T> fn) {
        return shard == c.shard().id() ? Future.succeeded(fn.get()) : c.shard().submitTo(shard, fn::get);
    }

    private static <T> Future<T> on(KvConnection c, int shard, Supplier<Future<T>> fn) {
        Shard here = c.shard();
        return shard == here.id() ? fn.get() : here.submitToAsync(shard, fn);
    }

    private static int shardOf(KvConnection c, byte[] key) {
        return c.server.slots().shardOf(key);
    }

    private static KvShard local(KvConnection c) {
        return c.server.shards().local();
    }

    private static boolean isError(byte[] reply) {
        return reply.length > 0 && reply[0] == '-';
    }
}
