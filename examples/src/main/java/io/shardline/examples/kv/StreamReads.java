package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.CommandSpec.OnKeys;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.store.DataCommands;
import io.shardline.examples.kv.store.Errors;
import io.shardline.examples.kv.store.StreamReadCommands;
import io.shardline.shard.Shard;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * XREAD and XREADGROUP as the connection's shard places them: their keys follow STREAMS (Redis'
 * movablekeys), so they are found here, and the request runs on their shard through its
 * {@link KeyWaiters}, which keeps a BLOCK request waiting there. An XREAD without BLOCK whose keys
 * live on several shards is gathered: each key is read on its shard, in argument order, and the parts
 * joined (the first error in key order wins, as Redis checks the keys in order); it reads, so it
 * cannot half-apply. XREADGROUP (it writes to each group) and BLOCK over several shards are refused
 * with CROSSSLOT, Redis Cluster's answer. A request whose keys cannot be found is run here for its
 * error. Stateless; called on the connection's shard.
 */
final class StreamReads {
    static final CommandSpec XREAD = new CommandSpec("xread", -4, CommandSpec.READONLY, 0, 0, 0,
            new OnKeys(DataCommands.of(DataCommands::streamReads, StreamReadCommands::xread)));
    static final CommandSpec XREADGROUP = new CommandSpec("xreadgroup", -7, CommandSpec.WRITE, 0, 0, 0,
            new OnKeys(DataCommands.of(DataCommands::streamReads, StreamReadCommands::xreadgroup)));

    private StreamReads() {
    }

    static Future<byte[]> xread(KvConnection c, Argv argv) {
        return run(c, argv.toArray(), XREAD);
    }

    static Future<byte[]> xreadgroup(KvConnection c, Argv argv) {
        return run(c, argv.toArray(), XREADGROUP);
    }

    private static Future<byte[]> run(KvConnection c, byte[][] argv, CommandSpec spec) {
        Shard here = c.shard();
        int target = here.id();
        int streams = streamsArg(argv);
        if (streams > 0) {
            int n = (argv.length - streams) / 2;
            int[] owner = new int[n];
            boolean one = true;
            for (int k = 0; k < n; k++) {
                owner[k] = c.server.slots().shardOf(argv[streams + k]);
                one &= owner[k] == owner[0];
            }
            target = owner[0];
            if (!one) {
                if (spec != XREAD || hasBlock(argv, streams)) {
                    return Dispatcher.error(Errors.CROSSSLOT);
                }
                Future<byte[]> reply = gather(c, argv, streams, owner, 0, new ArrayList<>());
                if (!reply.isDone()) {
                    c.barrier = reply;
                }
                return reply;
            }
        }
        int protocol = c.protocol;
        int db = c.db;
        Object ticket = new Object();
        int where = target;
        Future<byte[]> reply = target == here.id() ? c.server.shards().local().waiters().run(spec, argv, protocol, db, ticket)
                : here.submitToAsync(target, () -> c.server.shards().local().waiters().run(spec, argv, protocol, db, ticket));
        if (!reply.isDone()) {
            // No barrier (unlike a cross-shard chain): the connection keeps reading, so a client that
            // disconnects while blocked is noticed and its wait dropped. Replies stay in request order;
            // a command pipelined after the blocking one runs before it is answered (Redis would hold it).
            KeyWaiters home = c.server.shards().local().waiters();
            long id = c.id;
            KeyWaiters.Unblockable wait = new KeyWaiters.Unblockable() {
                @Override
                public Future<Boolean> unblock(boolean error) {
                    return cancelThere(error ? io.shardline.examples.kv.resp.RespWriter.errorBytes(KeyWaiters.UNBLOCKED) : null);
                }

                @Override
                public void clientGone() {
                    cancelThere(null);
                }

                private Future<Boolean> cancelThere(byte[] with) {
                    if (reply.isDone()) {
                        return Future.succeeded(false);
                    }
                    if (where == here.id()) {
                        return Future.succeeded(c.server.shards().local().waiters().cancel(ticket, with));
                    }
                    return here.submitTo(where, () -> c.server.shards().local().waiters().cancel(ticket, with));
                }
            };
            home.addCall(id, wait);
            reply.whenComplete((bytes, failure) -> home.removeCall(id, wait));
            BlockedCall.hookClose(c);
        }
        return reply;
    }

    /** Reads key {@code k} and the ones after it, each on its shard, then joins the parts. */
    private static Future<byte[]> gather(KvConnection c, byte[][] argv, int streams, int[] owner, int k, List<byte[]> parts) {
        int n = owner.length;
        if (k == n) {
            return Future.succeeded(join(c.protocol, parts));
        }
        byte[][] one = new byte[streams + 2][];
        System.arraycopy(argv, 0, one, 0, streams);
        one[streams] = argv[streams + k];
        one[streams + 1] = argv[streams + n + k];
        return SameShard.on(c, owner[k], XREAD, one).flatMap(reply -> {
            if (reply.length > 0 && reply[0] == '-') {
                return Future.succeeded(reply);
            }
            parts.add(reply);
            return gather(c, argv, streams, owner, k + 1, parts);
        });
    }

    /** One-key XREAD replies joined into one: each non-null part is a one-element array (RESP3: map). */
    private static byte[] join(int protocol, List<byte[]> parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int served = 0;
        for (byte[] p : parts) {
            if (p[0] == '*' || p[0] == '%') {
                if (p[1] != '-') {
                    served++;
                }
            }
        }
        if (served == 0) {
            return protocol == 3 ? "_\r\n".getBytes(StandardCharsets.US_ASCII) : "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
        }
        out.writeBytes(((protocol == 3 ? "%" : "*") + served + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] p : parts) {
            if ((p[0] == '*' || p[0] == '%') && p[1] != '-') {
                int body = 0;
                while (p[body] != '\n') {
                    body++;
                }
                out.write(p, body + 1, p.length - body - 1);
            }
        }
        return out.toByteArray();
    }

    private static boolean hasBlock(byte[][] argv, int streams) {
        for (int i = 1; i < streams - 1; i++) {
            if (new String(argv[i], StandardCharsets.ISO_8859_1).equalsIgnoreCase("block")) {
                return true;
            }
        }
        return false;
    }

    /** Where the keys start (after STREAMS, options skipped as xreadCommand reads them), or 0 if unbalanced or missing. */
    private static int streamsArg(byte[][] argv) {
        for (int i = 1; i < argv.length; i++) {
            int more = argv.length - i - 1;
            String o = new String(argv[i], java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            if ((o.equals("block") || o.equals("count")) && more > 0) {
                i++;
            } else if (o.equals("group") && more >= 2) {
                i += 2;
            } else if (o.equals("streams") && more > 0) {
                return (argv.length - i - 1) % 2 == 0 ? i + 1 : 0;
            } else if (!o.equals("noack")) {
                return 0;
            }
        }
        return 0;
    }
}
