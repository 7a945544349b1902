package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.core.Future;
import io.shardline.core.Promise;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.shard.Shard;
import java.nio.charset.StandardCharsets;

/**
 * MGET, EXISTS, DEL, UNLINK, MSET and TOUCH over keys on several shards: the keys are split by shard,
 * each shard gets one message with its part, and the parts are gathered back in argument order. Runs
 * on the connection's shard; the parts run on their own shards.
 */
final class MultiKey {
    private MultiKey() {
    }

    /** Whether {@code spec} is one of the commands split here, whose parts are independent. */
    static boolean splits(CommandSpec spec) {
        return switch (spec.name()) {
            case "mget", "exists", "del", "unlink", "mset", "touch" -> true;
            default -> false;
        };
    }

    static Future<byte[]> run(KvConnection c, CommandSpec spec, Argv argv) {
        Shard here = c.shard();
        int n = here.count();
        int step = spec.keyStep();
        int keys = (argv.count() - 1) / step;
        // Which shard each key lives on, and how many keys each shard gets.
        int[] owner = new int[keys];
        int[] perShard = new int[n];
        for (int k = 0; k < keys; k++) {
            owner[k] = c.server.slots().shardOf(argv.bytes(spec.firstKey() + k * step));
            perShard[owner[k]]++;
        }
        int involved = 0;
        for (int count : perShard) {
            if (count > 0) {
                involved++;
            }
        }
        Gather gather = new Gather(c, c.protocol, spec.name(), keys, involved);
        int db = c.db;
        boolean check = !c.inExec; // inside EXEC the transaction holds these keys already
        for (int s = 0; s < n; s++) {
            if (perShard[s] == 0) {
                continue;
            }
            int[] indexes = new int[perShard[s]];
            byte[][] part = new byte[1 + perShard[s] * step][];
            part[0] = argv.bytes(0);
            int j = 0;
            for (int k = 0; k < keys; k++) {
                if (owner[k] == s) {
                    indexes[j] = k;
                    for (int t = 0; t < step; t++) {
                        part[1 + j * step + t] = argv.bytes(1 + k * step + t);
                    }
                    j++;
                }
            }
            Future<Object> result = s == here.id() ? partWhenFree(c, spec, part, db, check)
                    : here.submitToAsync(s, () -> partWhenFree(c, spec, part, db, check));
            result.whenComplete((v, e) -> gather.part(indexes, v, e));
        }
        return gather.promise;
    }

    /** One shard's part, on that shard, once no transaction holds one of its keys (in turn with those waiting). */
    private static Future<Object> partWhenFree(KvConnection c, CommandSpec spec, byte[][] part, int db, boolean check) {
        KvShard shard = c.server.shards().local();
        if (!check || shard.locks().idle()) {
            return settle(runPart(c, spec, part, db));
        }
        int step = spec.keyStep();
        TxLocks.Key[] keys = new TxLocks.Key[(part.length - 1) / step];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new TxLocks.Key(db, part[1 + i * step]);
        }
        return shard.locks().whenFree(keys, shard.loop(), () -> settle(runPart(c, spec, part, db)));
    }

    /** One shard's part, on that shard: values for MGET, a count for EXISTS, a logged write otherwise. */
    private static Object runPart(KvConnection c, CommandSpec spec, byte[][] part, int db) {
        KvShard shard = c.server.shards().local();
        boolean read = spec.name().equals("mget") || spec.name().equals("exists");
        // the reads run outside a command: keymiss as in one
        return read ? KeyspaceEvents.asRead(shard, db, () -> runPartOn(shard, spec, part, db)) : runPartOn(shard, spec, part, db);
    }

    private static Object runPartOn(KvShard shard, CommandSpec spec, byte[][] part, int db) {
        switch (spec.name()) {
            case "mget" -> {
                byte[][] values = new byte[part.length - 1][];
                for (int i = 1; i < part.length; i++) {
                    byte[] v = shard.keyspace(db).getString(part[i]);
                    values[i - 1] = v == null ? null : v.clone(); // SETBIT and BITFIELD change strings in place
                }
                return values;
            }
            case "exists" -> {
                long count = 0;
                for (int i = 1; i < part.length; i++) {
                    if (shard.keyspace(db).exists(part[i])) {
                        count++;
                    }
                }
                return count;
            }
            default -> {
                return shard.execute(spec, part, 2, db); // DEL, UNLINK, MSET: logged like any write; TOUCH: a count
            }
        }
    }

    /** Waits for a logged write's reply; other results are ready. */
    @SuppressWarnings("unchecked")
    private static Future<Object> settle(Object result) {
        if (result instanceof Future<?> f) {
            return ((Future<byte[]>) f).map(bytes -> (Object) bytes);
        }
        return Future.succeeded(result);
    }

    /** Collects the shards' parts on the connection's shard. */
    private static final class Gather {
        final Promise<byte[]> promise;
        final int protocol;
        final String name;
        final byte[][] values;
        long total;
        int partsLeft;
        String error;

        /** {@code protocol} as of the request: a HELLO pipelined after it must not change its reply. */
        Gather(KvConnection c, int protocol, String name, int keys, int parts) {
            this.protocol = protocol;
            this.name = name;
            this.promise = new Promise<>(c.shard().loop());
            this.values = name.equals("mget") ? new byte[keys][] : null;
            this.partsLeft = parts;
        }

        void part(int[] indexes, Object v, Throwable e) {
            if (e != null) {
                error = e.getMessage() != null ? e.getMessage() : e.toString();
            } else if (v instanceof byte[][] got) {
                for (int i = 0; i < indexes.length; i++) {
                    values[indexes[i]] = got[i];
                }
            } else if (v instanceof Long count) {
                total += count;
            } else if (v instanceof byte[] reply) {
                if (reply.length > 0 && reply[0] == ':') {
                    total += Long.parseLong(new String(reply, 1, reply.length - 3, StandardCharsets.US_ASCII));
                } else if (reply.length > 0 && reply[0] == '-') {
                    error = new String(reply, 1, reply.length - 3, StandardCharsets.UTF_8);
                }
            }
            if (--partsLeft == 0) {
                promise.trySucceed(reply());
            }
        }

        private byte[] reply() {
            RespWriter out = RespWriter.forReply(protocol);
            if (error != null) {
                out.error(error.startsWith("ERR") || error.startsWith("MISCONF") ? error : "ERR " + error);
            } else if (values != null) {
                out.arrayHeader(values.length);
                for (byte[] v : values) {
                    if (v == null) {
                        out.nullBulk();
                    } else {
                        out.bulk(v);
                    }
                }
            } else if (name.equals("mset")) {
                out.simple("OK");
            } else {
                out.integer(total);
            }
            return out.toByteArray();
        }
    }
}
